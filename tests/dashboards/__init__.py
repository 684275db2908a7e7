"""The findings dashboards. `build_known_data` stores a small data set whose figures are
worked out by hand below; the tests check the pages show exactly these.

| #  | template | team | completed    | overall     | voice of child | seen alone | days |
|----|----------|------|--------------|-------------|----------------|------------|------|
| 1  | SA       | A    | 5 days ago   | good        | strength       | yes        | 30   |
| 2  | SA       | A    | 5 days ago   | outstanding | strength       | yes        | 40   |
| 3  | SA       | A    | 5 days ago   | req. impr.  | development    | no         | 50   |
| 4  | SA       | B    | 5 days ago   | inadequate  | development    | no         | 60   |
| 5  | SA       | B    | 5 days ago   | good        | strength       | partly     | 20   |
| 6  | SA       | B    | in progress  | –           | –              | –          | –    |
| 7  | SA       | A    | 400 days ago | good        | strength       | yes        | 35   |
| 8  | CIN      | B    | 5 days ago   | req. impr.  | not seen       |            |      |
| 9  | ICPC     | A    | 5 days ago   | good        | agency reports: police yes, school no |
| 10 | ICPC     | A    | 5 days ago   | adequate    | agency reports: police yes            |

The single assessments' timeliness section has the same grade as the overall grade.
SA = single assessment (Ofsted four-point), CIN = child in need plan, ICPC = reports to an
initial child protection conference (good / adequate / inadequate). Team A is in the locality
North, team B in South. Audit 2 was moderated: overall outstanding lowered to good, timeliness
agreed (2 pairs, 1 agreed, 50%). Audit 1 has an overdue and an open action for the case;
audit 3 an open urgent concern.

In the default period (the last twelve months, so without audit 7): 8 completed, 1 moderated,
1 in progress; good or better per scale, never pooled: Ofsted four-point 3 of 6 (50%: SA 3
of 5, CIN 0 of 1), good / adequate / inadequate 1 of 2 (50%: ICPC); SA grades
outstanding 1, good 2, requires improvement 1, inadequate 1; voice of the child strength 3,
development 2, not seen 1 (of 6); child seen alone yes 2 (40%), partly 1 (20%), no 2 (40%);
working days median 40, range 20 to 60; team A 5 completed, good or better 2 of 3 (67%) on
the Ofsted scale and 1 of 2 (50%) on good / adequate / inadequate, 0 inadequate; team B 3
completed (all Ofsted), 1 good or better (33%), 1 inadequate (33%)."""

import html as html_lib
import re
from datetime import UTC, datetime, timedelta

from qa_app.data.organisation import save_locality, save_team
from qa_app.extensions import db
from qa_app.models import (
    OVERALL,
    Answer,
    CaseAction,
    Concern,
    Moderation,
    ModerationGrade,
    SectionGrade,
    ThemeMark,
)
from tests.audits.factory import make_audit

# Last month, whatever the day: readers below the internal tier see whole months that have ended.
RECENT = timedelta(days=datetime.now(UTC).day + 5)
OLD = timedelta(days=400)

SA_ROWS = [
    # reference, team, ago, overall, voice of child, seen alone, working days
    ("70000001", "A", RECENT, "good", "strength", "yes", 30),
    ("70000002", "A", RECENT, "outstanding", "strength", "yes", 40),
    ("70000003", "A", RECENT, "requires_improvement", "development", "no", 50),
    ("70000004", "B", RECENT, "inadequate", "development", "no", 60),
    ("70000005", "B", RECENT, "good", "strength", "partly", 20),
    ("70000006", "B", None, None, None, None, None),
    ("70000007", "A", OLD, "good", "strength", "yes", 35),
]


def make_teams() -> dict:
    north = save_locality("North", actor=None)
    south = save_locality("South", actor=None)
    return {
        "A": save_team("Team A", north, True, actor=None),
        "B": save_team("Team B", south, True, actor=None),
        "North": north,
        "South": south,
    }


def complete(audit, ago: timedelta, overall: str, *, now: datetime | None = None) -> None:
    """Mark an audit submitted `ago` before now with an overall grade (written directly)."""
    now = now or datetime.now(UTC)
    audit.status = "submitted"
    audit.submitted_at = now - ago
    audit.overall_grade = overall


def completed_audit(
    template: str,
    reference: str,
    team,
    auditor,
    *,
    ago: timedelta = RECENT,
    overall: str = "good",
    section: tuple[str, str] | None = None,
    themes: dict[str, str] | None = None,
    answers: list[dict] | None = None,
):
    audit = make_audit(template, auditor=auditor, team=team, reference=reference)
    complete(audit, ago, overall)
    if section:
        db.session.add(SectionGrade(audit_id=audit.id, section_key=section[0], grade=section[1]))
    for key, mark in (themes or {}).items():
        db.session.add(ThemeMark(audit_id=audit.id, theme_key=key, mark=mark))
    for answer in answers or []:
        db.session.add(Answer(audit_id=audit.id, **answer))
    db.session.commit()
    return audit


def build_known_data(auditor, moderator) -> dict:
    teams = make_teams()
    audits = []
    for reference, team, ago, overall, voice, alone, days in SA_ROWS:
        if ago is None:
            audit = make_audit(
                "single_assessment", auditor=auditor, team=teams[team], reference=reference
            )
            audit.status = "in_progress"
            db.session.commit()
            audits.append(audit)
            continue
        audits.append(
            completed_audit(
                "single_assessment",
                reference,
                teams[team],
                auditor,
                ago=ago,
                overall=overall,
                section=("timeliness", overall),
                themes={"voice_of_child": voice},
                answers=[
                    {"question_key": "child_seen_alone", "value_text": alone},
                    {"question_key": "working_days_to_complete", "value_number": days},
                ],
            )
        )
    audits.append(
        completed_audit(
            "cin_plan",
            "70000008",
            teams["B"],
            auditor,
            overall="requires_improvement",
            themes={"voice_of_child": "not_seen"},
        )
    )
    for reference, overall, agencies in (
        ("70000009", "good", {"police": "yes", "school": "no"}),
        ("70000010", "adequate", {"police": "yes"}),
    ):
        audits.append(
            completed_audit(
                "icpc_reports",
                reference,
                teams["A"],
                auditor,
                overall=overall,
                answers=[
                    {
                        "group_key": "agency_report",
                        "block_index": index,
                        "block_label": agency,
                        "question_key": "report_provided",
                        "value_text": value,
                    }
                    for index, (agency, value) in enumerate(agencies.items())
                ],
            )
        )
    moderated = audits[1]
    moderated.status = "moderated"
    moderation = Moderation(
        audit_id=moderated.id,
        moderator_id=moderator.id,
        status="completed",
        completed_at=datetime.now(UTC) - timedelta(days=1),
    )
    db.session.add(moderation)
    db.session.flush()
    db.session.add_all(
        [
            ModerationGrade(
                moderation_id=moderation.id,
                section_key=OVERALL,
                auditor_grade="outstanding",
                moderator_grade="good",
            ),
            ModerationGrade(
                moderation_id=moderation.id,
                section_key="timeliness",
                auditor_grade="outstanding",
                moderator_grade="outstanding",
            ),
        ]
    )
    today = datetime.now(UTC).date()
    db.session.add_all(
        [
            CaseAction(
                audit_id=audits[0].id,
                description="Chronology",
                owner="SW",
                due_date=today - timedelta(days=2),
            ),
            CaseAction(
                audit_id=audits[0].id,
                description="Plan",
                owner="SW",
                due_date=today + timedelta(days=20),
            ),
            Concern(
                audit_id=audits[2].id,
                raised_by_id=auditor.id,
                description="Risk",
                respond_by=datetime.now(UTC) + timedelta(days=1),
            ),
        ]
    )
    db.session.commit()
    return {"audits": audits, "teams": teams}


# ---- reading pages --------------------------------------------------------------------------

DRILL_LINK = re.compile(r'<a class="govuk-link" href="(/findings/audits\?[^"]*)">([\d,]+)')


def text(html: str) -> str:
    """The page's visible text (no charts, no visually hidden words), spaces collapsed."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def table(html: str, caption: str) -> dict[str, list[str]]:
    """{first cell: other cells} of the table whose caption starts with `caption`."""
    match = re.search(
        rf"<caption[^>]*>\s*{re.escape(caption)}.*?</caption>(.*?)</table>", html, re.S
    )
    assert match, f"no table {caption!r}"
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", match.group(1), re.S):
        cells = [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def drill_links(html: str) -> list[tuple[str, int]]:
    """(address, number shown) for every number on the page that links to the drill-down."""
    return [
        (html_lib.unescape(href), int(n.replace(",", ""))) for href, n in DRILL_LINK.findall(html)
    ]
