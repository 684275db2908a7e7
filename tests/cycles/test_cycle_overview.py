"""The cycle page and the cycles list: progress counts overall, per auditor and per team,
overdue audits marked in words, and a bounded number of queries however big the cycle."""

import html as html_lib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, Case, Role
from qa_app.rules.uk_time import uk_date, uk_today
from tests.audits.factory import latest_version, make_audit
from tests.cycles.cycle_factory import count_queries, make_cycle, make_team

MAX_QUERIES = 20


def text(html: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def table(html: str, caption: str) -> dict[str, list[str]]:
    """{first cell: other cells} of the table with this caption."""
    match = re.search(
        rf"<caption[^>]*>\s*{re.escape(caption)}\s*</caption>(.*?)</table>", html, re.S
    )
    assert match, caption
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", match.group(1), re.S):
        cells = [text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


def test_progress_counts_and_overdue_marking(lead, make_user):
    mash, north = make_team("MASH"), make_team("Safeguarding North")
    ann = make_user(Role.AUDITOR, username="ann")
    bob = make_user(Role.AUDITOR, username="bob")
    cycle = make_cycle()
    past, future = uk_today() - timedelta(days=3), uk_today() + timedelta(days=10)
    specs = [
        ("5000001", mash, ann, AuditStatus.NOT_STARTED, past),  # overdue
        ("5000002", mash, ann, AuditStatus.IN_PROGRESS, past),  # overdue
        ("5000003", mash, bob, AuditStatus.SUBMITTED, past),  # late, but submitted
        ("5000004", north, bob, AuditStatus.MODERATED, future),
        ("5000005", north, None, AuditStatus.NOT_STARTED, future),
    ]
    for reference, team, auditor, status, due in specs:
        audit = make_audit(
            "single_assessment",
            auditor=auditor,
            team=team,
            reference=reference,
            cycle=cycle,
            due_date=due,
        )
        audit.status = status
    db.session.commit()
    html = lead.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    # columns: not started, in progress, submitted, moderated, overdue, total
    assert table(html, "All audits")["All audits"] == ["2", "1", "1", "1", "2 overdue", "5"]
    by_auditor = table(html, "By auditor")
    assert by_auditor["Test ann"] == ["1", "1", "0", "0", "2 overdue", "2"]
    assert by_auditor["Test bob"] == ["0", "0", "1", "1", "0", "2"]
    assert by_auditor["Not assigned"] == ["1", "0", "0", "0", "0", "1"]
    by_team = table(html, "By team")
    assert by_team["MASH"] == ["1", "1", "1", "0", "2 overdue", "3"]
    assert by_team["Safeguarding North"] == ["1", "0", "0", "1", "0", "2"]
    audits = table(html, "Audits")
    assert audits["5000001"][-1].endswith("Overdue") and "Not started" in audits["5000001"]
    assert audits["5000002"][-1].endswith("Overdue")
    assert "Overdue" not in audits["5000003"][-1]
    assert "Overdue" not in audits["5000005"][-1]
    row = next(r for r in re.findall(r"<tr.*?</tr>", html, re.S) if "5000001" in r)
    assert 'govuk-tag--red">Overdue' in row  # red, and says so in words
    listing = lead.get("/cycles/").get_data(as_text=True)
    assert table(listing, "Audit cycles and their progress")[f"{cycle.name} Themed audit"] == [
        f"{uk_date(cycle.period_start)} to {uk_date(cycle.period_end)}",
        uk_date(cycle.due_date),
        "0",
        "5",
        "2",
        "1",
        "1",
        "1",
        "2 overdue",
    ]


def bulk_cycle(name: str, size: int, teams, auditors) -> int:
    cycle = make_cycle(name)
    version = latest_version("single_assessment")
    base = 6_000_000 + 10_000 * cycle.id
    db.session.execute(
        insert(Case),
        [
            {"case_reference": str(base + i), "team_id": teams[i % len(teams)].id, "facts": {}}
            for i in range(size)
        ],
    )
    case_ids = db.session.scalars(
        select(Case.id).where(Case.case_reference.between(str(base), str(base + size)))
    ).all()
    statuses = list(AuditStatus)
    now = datetime.now(UTC)
    db.session.execute(
        insert(Audit),
        [
            {
                "cycle_id": cycle.id,
                "case_id": case_id,
                "template_version_id": version.id,
                "auditor_id": auditors[i % len(auditors)].id,
                "status": statuses[i % len(statuses)],
                "due_date": uk_today() + timedelta(days=(i % 7) - 3),
                "submitted_at": now if i % 4 >= 2 else None,
                "own_team_override": i % 50 == 0,
            }
            for i, case_id in enumerate(case_ids)
        ],
    )
    db.session.commit()
    return cycle.id


def test_the_cycle_page_runs_a_bounded_number_of_queries(lead, make_user):
    teams = [make_team(f"Team {n}") for n in range(6)]
    auditors = [make_user(Role.AUDITOR, username=f"bulk{n}") for n in range(12)]
    small = bulk_cycle("Small cycle", 5, teams, auditors)
    big = bulk_cycle("Big cycle", 500, teams, auditors)
    assert db.session.scalar(select(db.func.count(Audit.id)).where(Audit.cycle_id == big)) == 500
    counts = {}
    for cycle_id in (small, big):
        with count_queries() as statements:
            response = lead.get(f"/cycles/{cycle_id}")
        assert response.status_code == 200
        counts[cycle_id] = len(statements)
    assert counts[big] <= MAX_QUERIES, counts
    assert counts[big] == counts[small]
    html = response.get_data(as_text=True)
    assert table(html, "All audits")["All audits"][-1] == "500"
    assert "500 audits, page 1 of 10." in html  # paged: every audit on one of the pages
    overrides = sum(
        lead.get(f"/cycles/{big}?page={n}")
        .get_data(as_text=True)
        .count("Own-team audit: assigned by override")
        for n in range(1, 11)
    )
    assert overrides == 10
    with count_queries() as statements:
        assert lead.get("/cycles/").status_code == 200
    assert len(statements) <= MAX_QUERIES
    with count_queries() as statements:
        assert lead.get(f"/cycles/{big}/assign").status_code == 200
    assert len(statements) <= MAX_QUERIES + 5
