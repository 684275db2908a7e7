"""Publication is checked, through the real pages as a QA lead: a case reference, an email
address, a postcode or a date of birth typed into a report for the partnership is named, place
by place, as soon as the draft is saved; publishing is refused (the version stays a draft and
board viewers cannot read it) until the text is fixed; then it publishes. Internal reports may
hold case references and publish as before. The board report is checked the same way,
including the improvement-plan actions frozen in its action plan."""

import html
import re

import pytest
from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import ImprovementAction, Report, ReportStatus, Role
from qa_app.services import board_reports, publication_check
from tests.cycles.cycle_factory import make_cycle
from tests.documents import board_data
from tests.findings import known_data
from tests.helpers import csrf_token

VERSION_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"')


@pytest.fixture
def cycle(loaded_templates, make_user):
    data = known_data.build(
        make_user(Role.AUDITOR, username="auditor.one"),
        make_user(Role.MODERATOR, username="moderator.one"),
    )
    cycle = make_cycle("Single assessments, Q1 2026")
    for audit in data["audits"]:
        audit.cycle_id = cycle.id
    db.session.commit()
    return cycle


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def latest() -> Report:
    return db.session.scalars(select(Report).order_by(Report.id.desc())).first()


def draft_cycle_report(client, cycle, audience: str) -> Report:
    response = client.post(
        "/reports/new",
        data={
            "csrf_token": csrf_token(client, "/reports/new"),
            "cycle": cycle.id,
            "audience": audience,
            "template": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return latest()


def edit_page(report) -> str:
    kind = "board/" if report.kind == "lscb" else ""
    return f"/reports/{kind}{report.id}/edit"


def save(client, report, **boxes):
    """Post the edit form with every box as it is, except those given (by field name)."""
    page = client.get(edit_page(report))
    body = page.get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(client, edit_page(report)),
        "lock_version": VERSION_RE.search(body).group(1),
    }
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, flags=re.S
    ):
        data[name] = html.unescape(value).removeprefix("\n")
    data.update(boxes)
    return client.post(edit_page(report), data=data)


def publish(client, report):
    page = "/reports/board/" if report.kind == "lscb" else "/reports/"
    body = client.get(f"{page}{report.id}").get_data(as_text=True)
    return client.post(
        f"/reports/{report.id}/publish",
        data={
            "csrf_token": csrf_token(client, f"{page}{report.id}"),
            "lock_version": VERSION_RE.search(body).group(1),
        },
    )


def summary_of(report) -> str:
    return report.sections[0]["text"]


def test_a_partnership_report_with_identifiers_is_refused_until_the_text_is_fixed(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    board = client_as(Role.BOARD_VIEWER)
    report = draft_cycle_report(lead, cycle, "partnership")
    drafted = summary_of(report)
    typed = f"{drafted}\nA second line.\nThe audit of 12345678 showed drift."
    saved = save(
        lead,
        report,
        section__0=typed,
        section__1="Ask jo.bloggs@example.gov.uk for the detail.",
        strengths="Visits were purposeful.\nThe family at SW1A 1AA were seen weekly.",
        development="A child (DOB 03/11/2012) waited too long.",
    )
    # Saved (nothing typed is lost), with a warning on the edit page straight away.
    assert saved.status_code == 302 and saved.headers["Location"].endswith(edit_page(report))
    db.session.expire_all()
    assert summary_of(report) == typed.strip()
    warning = text_of(lead.get(edit_page(report)))
    assert "This draft cannot be published yet" in warning
    line = typed.strip().splitlines().index("The audit of 12345678 showed drift.") + 1
    shown = re.sub(r"<[^>]+>", "", text_of(lead.get(f"/reports/{report.id}")))
    assert (
        "This draft cannot be published yet: 4 places hold what looks like a case reference "
        "or another identifier. Edit the text to see them."
    ) in shown

    refused = publish(lead, report)
    assert refused.status_code == 400
    page = text_of(refused)
    assert "This version was not published" in page
    template_title = report.sections[1]["title"]
    for message in (
        f"Section ‘Summary’, line {line}: looks like a case reference (“12345678”)",
        f"Section ‘{template_title}’: an email address (“jo.bloggs@example.gov.uk”)",
        "Key findings, strengths, item 2: a postcode (“SW1A 1AA”)",
        "Key findings, areas for development, item 1: a date of birth (“03/11/2012”)",
    ):
        assert message in page, message
    raw = refused.get_data(as_text=True)
    for box in ("section__0", "section__1", "strengths", "development"):
        assert f'href="#{box}"' in raw, box  # each problem links to its box
        assert f'id="{box}-error"' in raw, box  # and the box says what is wrong
    db.session.expire_all()
    assert report.status == ReportStatus.DRAFT and report.published_at is None
    assert board.get(f"/reports/{report.id}").status_code == 403
    assert board.get(f"/reports/{report.id}/report.pdf").status_code == 403
    assert f"/reports/{report.id}" not in board.get("/reports/").get_data(as_text=True)

    fixed = save(
        lead,
        report,
        section__0=drafted,
        section__1="The detail is held by the QA team.",
        strengths="Visits were purposeful.\nThe family were seen weekly.",
        development="A child waited too long.",
    )
    assert fixed.headers["Location"].endswith(f"/reports/{report.id}")
    assert "cannot be published" not in text_of(lead.get(f"/reports/{report.id}"))
    assert publish(lead, report).status_code == 302
    db.session.expire_all()
    assert report.status == ReportStatus.PUBLISHED
    read = board.get(f"/reports/{report.id}")
    assert read.status_code == 200 and "A child waited too long." in text_of(read)


def test_an_internal_report_may_hold_a_case_reference_and_publishes(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    report = draft_cycle_report(lead, cycle, "internal")
    saved = save(lead, report, section__0="The audit of 12345678 showed drift.")
    assert saved.headers["Location"].endswith(f"/reports/{report.id}")
    assert "cannot be published" not in text_of(lead.get(edit_page(report)))
    assert publish(lead, report).status_code == 302
    db.session.expire_all()
    assert report.status == ReportStatus.PUBLISHED


def test_the_council_s_own_pattern_is_used_and_a_broken_one_stops_publication(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    report = draft_cycle_report(lead, cycle, "partnership")
    get_settings().case_reference_pattern = r"^CR[0-9]{5}$"
    db.session.commit()
    save(lead, report, section__0="Case cr12345 was discussed; 12345678 is a count.")
    refused = publish(lead, report)
    assert refused.status_code == 400
    page = text_of(refused)
    assert "looks like a case reference (“cr12345”)" in page
    assert "12345678" not in page.split("was not published")[1].split("Edit")[0]

    get_settings().case_reference_pattern = "(a+)+$"  # stored before the admin check existed
    db.session.commit()
    save(lead, report, section__0="Nothing to see.")
    refused = publish(lead, report)
    assert refused.status_code == 400
    page = text_of(refused)
    assert "The text cannot be checked for case references" in page
    assert 'href="/admin/settings"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert report.status == ReportStatus.DRAFT


# ---- the board report ---------------------------------------------------------------------------


@pytest.fixture
def board_report_data(loaded_templates, make_user):
    return board_data.build(make_user(Role.SENIOR_MANAGER, username="senior.manager.a"))


def draft_board_report(client) -> Report:
    response = client.post(
        "/reports/board/new",
        data={
            "csrf_token": csrf_token(client, "/reports/board/new"),
            "agency": "Children's Services",
            "period_start": ["1", "4", "2026"],
            "period_end": ["30", "9", "2026"],
            "indicators": [str(i.id) for i in board_reports.active_indicators()],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return latest()


def test_a_board_report_is_refused_naming_sections_findings_and_frozen_actions(
    client_as, board_report_data
):
    lead = client_as(Role.QA_LEAD)
    board = client_as(Role.BOARD_VIEWER)
    action = db.session.scalars(select(ImprovementAction).order_by(ImprovementAction.id)).first()
    action.description = "Review the plan for 87654321 with the family"
    db.session.commit()
    report = draft_board_report(lead)
    assert publication_check.report_problems(report)  # the action text was frozen in the draft
    titles = {s["key"]: (i, s["title"]) for i, s in enumerate(report.sections)}
    index, title = titles["frontline_staff"]
    saved = save(
        lead,
        report,
        **{
            f"section__{index}": "Staff said:\nCall 07700 900123 for the rota.",
            "concerns": "Plans drift.\nThe plan for 12345678 drifted.",
        },
    )
    assert saved.headers["Location"].endswith(edit_page(report))
    assert "3 places hold what looks like" in text_of(lead.get(f"/reports/board/{report.id}"))
    refused = publish(lead, report)
    assert refused.status_code == 400
    page = text_of(refused)
    for message in (
        f"Section ‘{title}’, line 2: a phone number (“07700 900123”)",
        "Key findings, concerns, item 2: looks like a case reference (“12345678”)",
        f"Action plan, action {action.number} of ‘{action.plan.title}’: looks like a case "
        "reference (“87654321”); change it in the improvement plan, then draft a new version",
    ):
        assert message in page, message
    assert f'href="/improvement/actions/{action.id}/edit"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert report.status == ReportStatus.DRAFT
    assert board.get(f"/reports/board/{report.id}").status_code == 403
    assert board.get(f"/reports/board/{report.id}/report.docx").status_code == 403

    # Fix the action in the plan, draft again, and the new version publishes once clean.
    improvement_action = db.session.get(ImprovementAction, action.id)
    improvement_action.description = "Review the plan with the family"
    db.session.commit()
    response = lead.post(
        f"/reports/{report.id}/redraft",
        data={"csrf_token": csrf_token(lead, f"/reports/board/{report.id}")},
    )
    assert response.status_code == 302
    again = latest()
    assert again.id != report.id and publication_check.report_problems(again) == []
    assert publish(lead, again).status_code == 302
    db.session.expire_all()
    assert again.status == ReportStatus.PUBLISHED
    assert board.get(f"/reports/board/{again.id}").status_code == 200
    assert board.get(f"/reports/board/{report.id}").status_code == 403  # still a draft


def test_a_clean_board_report_drafted_from_the_data_publishes(client_as, board_report_data):
    lead = client_as(Role.QA_LEAD)
    report = draft_board_report(lead)
    assert publication_check.report_problems(report) == []
    assert "cannot be published" not in text_of(lead.get(edit_page(report)))
    assert publish(lead, report).status_code == 302


# ---- the walk over every free-text part -------------------------------------------------------


def report_with(audience: str, kind: str = "cycle", **parts) -> Report:
    return Report(
        kind=kind,
        series_key="test",
        number=1,
        title=parts.get("title", "Audit findings"),
        audience=audience,
        status=ReportStatus.DRAFT,
        scope={},
        figures=parts.get("figures", {}),
        sections=parts.get("sections", []),
        key_findings=parts.get("key_findings", {}),
    )


def test_every_free_text_part_is_walked_and_named(app):
    report = report_with(
        "public",
        title="Audit findings for 12345678",
        sections=[
            {"key": "summary", "title": "Summary", "text": "Fine.\nFine.\nCall 07700 900123"}
        ],
        key_findings={"strengths": ["Good.", "Seen at B1 1AA"], "development": []},
        figures={
            "cycle": {"name": "Re-audit of 11223344"},
            "templates": [{"name": "Template 99887766", "questions": [{"text": "DOB 1/2/2012?"}]}],
            "reviews": [{"title": "Review A", "recommendations": ["Tell x@y.org", "Fine"]}],
        },
    )
    messages = [p.message for p in publication_check.report_problems(report)]
    assert messages == [
        "Title: looks like a case reference (“12345678”); draft the report again with another "
        "title",
        "Section ‘Summary’, line 3: a phone number (“07700 900123”)",
        "Key findings, strengths, item 2: a postcode (“B1 1AA”)",
        "Name of the audit cycle: looks like a case reference (“11223344”); change it on the "
        "cycle's page, then draft a new version",
        "Reviews, row 1, recommendations, item 1: an email address (“x@y.org”)",
    ]  # template names and question wording are not case data: not walked
    assert publication_check.report_problems(report_with("internal", title="Case 12345678")) == []
    partnership = report_with("partnership", title="Case 12345678")
    assert [p.field for p in publication_check.report_problems(partnership)] == [None]


def test_a_review_recorded_with_a_case_number_stops_the_board_report(client_as, board_report_data):
    from datetime import date

    from qa_app.data import reviews

    lead = client_as(Role.QA_LEAD)
    reviews.save_review(
        None,
        name="Child safeguarding practice review",
        reference="Case 12345678",
        published_on=date(2026, 5, 1),
        actor=None,
    )
    report = draft_board_report(lead)
    messages = [p.message for p in publication_check.report_problems(report)]
    assert any("12345678" in m for m in messages), messages
    assert publish(lead, report).status_code == 400
