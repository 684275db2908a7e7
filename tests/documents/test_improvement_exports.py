"""The improvement plan's exports, read back as a reader would: the PDF's text (pypdf) and the
XLSX's cell values (openpyxl). A plan with a priority, an action that is at risk and overdue
with a progress note and a measured impact (worked out by hand below), and one not started;
then a plan with 300 actions to show the exports' queries do not grow with the actions.

The impact data set: voice of the child marked in 10 completed audits in the 6 months before
the action started (4 as a strength: 40%) and in 10 since (7 as a strength: 70%), so the
sentence reads "40% ... (n=10), 70% since (n=10): up 30 points"."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from qa_app.data import improvement as plan_data
from qa_app.data import improvement_queries
from qa_app.data.organisation import save_team
from qa_app.data.users import create_user
from qa_app.documents.improvement_pdf import plan_pdf
from qa_app.documents.improvement_xlsx import ACTION_HEADER, PROGRESS_HEADER
from qa_app.extensions import db
from qa_app.models import ActionUpdate, ImprovementAction, Role
from qa_app.rules.uk_time import to_uk, uk_date, uk_today
from qa_app.services.improvement_exports import plan_export, plan_pdf_bytes, plan_xlsx_bytes
from tests.cycles.cycle_factory import count_queries
from tests.dashboards import completed_audit
from tests.helpers import PASSWORD

TODAY = datetime.now(UTC).date()  # the audits' completion dates are relative to now
STARTED = TODAY - timedelta(days=60)
DUE = TODAY - timedelta(days=5)  # passed: the open action is overdue
TITLE = "Children's services improvement plan 2026–27"
DESCRIPTION = "Every assessment records the child's own words and what they want to happen"
NOTE = "Workshops held with two assessment teams; the audit tool now asks for the child's words"
SENTENCE = (
    "Voice of the child evidenced as a strength: 40% of audits in the 6 months before "
    "(n=10), 70% since (n=10): up 30 points."
)


def audits_for_impact(auditor) -> None:
    team = save_team("Assessment Team 1", None, True, actor=None)
    marks = [("strength", 4, 90), ("development", 6, 90), ("strength", 7, 10), ("not_seen", 3, 10)]
    n = 0
    for mark, times, days_ago in marks:
        for _ in range(times):
            n += 1
            completed_audit(
                "single_assessment",
                f"8{n:07d}",
                team,
                auditor,
                ago=timedelta(days=days_ago),
                themes={"voice_of_child": mark},
            )


@pytest.fixture
def plan(loaded_templates, make_user):
    lead = create_user("qa.lead.a", "QA Lead A", PASSWORD, [Role.QA_LEAD])
    owner = create_user("senior.manager.a", "Senior Manager A", PASSWORD, [Role.SENIOR_MANAGER])
    audits_for_impact(make_user(Role.AUDITOR))
    plan = plan_data.save_plan(
        None,
        title=TITLE,
        description="What we will do after the 2026 inspection.",
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        actor=lead,
    )
    priority = plan_data.save_priority(plan, None, title="Quality of assessments", actor=lead)
    action = plan_data.create_action(
        plan,
        actor=lead,
        today=TODAY,
        description=DESCRIPTION,
        priority=priority,
        owner=owner,
        due_date=DUE,
        status="at_risk",
        started_on=STARTED,
        themes=["voice_of_child"],
        source_kind="inspection",
        source_note="ILACS 2026, recommendation 2",
        expected_outcome="Most audits find the child's voice evidenced",
    )
    plan_data.add_update(action, note=NOTE, actor=owner, today=TODAY)
    plan_data.create_action(
        plan,
        actor=lead,
        today=TODAY,
        description="Refresh the supervision policy",
        due_date=TODAY + timedelta(days=90),
        themes=["management_oversight"],
    )
    return plan


def progress_day() -> date:
    """The UK day the latest progress note was stored: the exports show that day, which is not
    TODAY when the suite runs across midnight."""
    return to_uk(db.session.scalar(select(func.max(ActionUpdate.at)))).date()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def flat(text: str) -> str:
    """Text with line breaks as spaces: table cells wrap."""
    return " ".join(text.split())


def test_the_pdf_shows_the_plan_its_counts_and_each_action(plan):
    text = pdf_text(plan_pdf_bytes(plan, TODAY))
    words = flat(text)
    assert TITLE in words
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "1 April 2026 to 31 March 2027" in words
    assert "Page 2 of" in text
    assert "Table 1: actions by status" in words
    assert "At risk 1" in words and "Not started 1" in words and "Complete 0" in words
    assert "Priority 1: Quality of assessments" in words
    assert "Actions under no priority" in words
    assert DESCRIPTION in words
    assert "Senior Manager A" in words
    assert uk_date(DUE) in words and "Overdue" in words
    assert "Themes: Voice of the child" in words
    assert f"Latest progress ({uk_date(progress_day())}): {NOTE}" in words
    assert SENTENCE in words
    assert "Not started yet: impact is measured from the day work starts." in words
    assert "No owner" in words


def test_the_pdf_colours_each_status_cell_by_rag(plan):
    export = plan_export(plan, TODAY)
    assert [a.rag for a in export.actions] == ["amber", "grey"]
    data = plan_pdf(export)
    # The amber and grey tints are drawn as cell backgrounds (fill colours in the content).
    pages = PdfReader(BytesIO(data)).pages
    content = b"".join(page.get_contents().get_data() for page in pages)
    assert b"1 .968627 .74902 rg" in content  # #fff7bf, amber
    assert b".933333 .937255 .937255 rg" in content  # #eeefef, grey


def test_the_xlsx_has_one_row_per_action_with_typed_cells(plan):
    book = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))
    assert book.sheetnames == ["Actions", "Progress"]
    sheet = book["Actions"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ACTION_HEADER
    assert len(rows) == 3
    first = dict(zip(ACTION_HEADER, rows[1], strict=True))
    assert first["Priority"] == "1. Quality of assessments"
    assert first["Action number"] == 1
    assert first["Description"] == DESCRIPTION
    assert first["Owner"] == "Senior Manager A"
    assert first["Due date"] == datetime.combine(DUE, datetime.min.time())  # a date cell
    assert sheet.cell(row=2, column=5).is_date
    assert first["Status"] == "At risk" and first["RAG"] == "Amber"
    assert first["Overdue"] == "Yes"
    assert first["Themes"] == "Voice of the child"
    assert first["Started on"].date() == STARTED
    assert first["Source"] == "An inspection: ILACS 2026, recommendation 2"
    assert first["Latest progress on"].date() == progress_day()
    assert first["Latest progress note"] == NOTE
    assert first["Impact"] == SENTENCE
    status = sheet.cell(row=2, column=ACTION_HEADER.index("Status") + 1)
    assert status.fill.fgColor.rgb.endswith("FFF7BF")
    second = dict(zip(ACTION_HEADER, rows[2], strict=True))
    assert second["Priority"] is None and second["Owner"] is None
    assert second["Status"] == "Not started" and second["Overdue"] == "No"
    assert second["Impact"].startswith("Not started yet")


def test_a_progress_note_is_dated_by_the_uk_day_it_was_written(plan):
    """Written at 00:30 on 1 July in the UK (23:30 UTC on 30 June): both exports say 1 July."""
    db.session.execute(
        ActionUpdate.__table__.update().values(at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    )
    book = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))
    rows = list(book["Actions"].iter_rows(values_only=True))
    first = dict(zip(ACTION_HEADER, rows[1], strict=True))
    assert first["Latest progress on"].date() == date(2026, 7, 1)
    assert f"Latest progress (1 July 2026): {NOTE}" in flat(pdf_text(plan_pdf_bytes(plan, TODAY)))


def test_the_xlsx_progress_sheet_has_one_row_per_update(plan):
    action = improvement_queries.list_actions(today=TODAY, plan_id=plan.id)[0]
    owner = action.owner
    plan_data.update_action(
        action, based_on=action.lock_version, actor=owner, today=TODAY, status="on_track"
    )
    book = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))
    rows = list(book["Progress"].iter_rows(values_only=True))
    assert list(rows[0]) == PROGRESS_HEADER
    assert len(rows) == 3
    note, moved = (dict(zip(PROGRESS_HEADER, r, strict=True)) for r in rows[1:])
    assert note["Action number"] == 1 and note["Note"] == NOTE
    assert note["Author"] == "Senior Manager A" and isinstance(note["Date (UK time)"], datetime)
    assert (moved["Status from"], moved["Status to"]) == ("At risk", "On track")
    # A status change without a note does not replace the latest progress note.
    actions = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))["Actions"]
    assert actions.cell(row=2, column=ACTION_HEADER.index("Latest progress note") + 1).value == NOTE


def test_text_that_looks_like_a_formula_stays_text(plan):
    lead = create_user("qa.lead.b", "QA Lead B", PASSWORD, [Role.QA_LEAD])
    plan_data.create_action(plan, actor=lead, today=TODAY, description='=HYPERLINK("x")')
    sheet = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))["Actions"]
    cell = sheet.cell(row=4, column=3)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_long_text_fits_the_pdf_and_stays_whole_in_the_xlsx(plan):
    lead = create_user("qa.lead.c", "QA Lead C", PASSWORD, [Role.QA_LEAD])
    long = "A very long description of what must change. " * 88  # about 4,000 characters
    action = plan_data.create_action(plan, actor=lead, today=TODAY, description=long[:4000])
    plan_data.add_update(action, note=long[:4000], actor=lead, today=TODAY)
    assert "A very long description" in pdf_text(plan_pdf_bytes(plan, TODAY))
    sheet = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))["Actions"]
    assert sheet.cell(row=4, column=3).value == long[:4000].strip()


def test_an_empty_plan_exports(loaded_templates):
    lead = create_user("qa.lead.d", "QA Lead D", PASSWORD, [Role.QA_LEAD])
    plan = plan_data.save_plan(None, title="An empty plan", actor=lead)
    assert "No dates set" in flat(pdf_text(plan_pdf_bytes(plan, TODAY)))
    book = load_workbook(BytesIO(plan_xlsx_bytes(plan, TODAY)))
    assert book["Actions"].max_row == 1 and book["Progress"].max_row == 1


def add_actions(plan, lead, owners, priorities, start: int, n: int) -> None:
    """Actions stored directly (the data layer's rules are tested elsewhere), each with an
    owner, a priority, a status, one or two themes and a progress update."""
    statuses = ["not_started", "on_track", "at_risk", "off_track", "complete"]
    for i in range(start, start + n):
        action = ImprovementAction(
            plan_id=plan.id,
            number=i + 1,
            description=f"Action {i}",
            owner_id=owners[i % len(owners)].id,
            priority_id=priorities[i % len(priorities)].id,
            due_date=TODAY + timedelta(days=i - 150),
            status=statuses[i % 5],
            started_on=None if i % 5 == 0 else STARTED,
            themes=["voice_of_child", "timeliness"][: 1 + i % 2],
        )
        db.session.add(action)
        db.session.flush()
        db.session.add(ActionUpdate(action_id=action.id, author_id=lead.id, note=f"Update {i}"))
    db.session.commit()


def test_exports_of_300_actions_make_a_bounded_number_of_queries(loaded_templates, make_user):
    lead = create_user("qa.lead.e", "QA Lead E", PASSWORD, [Role.QA_LEAD])
    owners = [make_user(Role.SENIOR_MANAGER) for _ in range(5)]
    plan = plan_data.save_plan(None, title="A big plan", actor=lead)
    priorities = [
        plan_data.save_priority(plan, None, title=f"Priority {n}", actor=lead) for n in range(4)
    ]
    add_actions(plan, lead, owners, priorities, 0, 3)
    plan_pdf_bytes(plan, TODAY)  # warm up: the first export stores the settings row
    db.session.commit()
    db.session.expire_all()
    with count_queries() as few:
        plan_xlsx_bytes(plan, TODAY)
        plan_pdf_bytes(plan, TODAY)
    add_actions(plan, lead, owners, priorities, 3, 297)
    db.session.expire_all()
    with count_queries() as many:
        xlsx = plan_xlsx_bytes(plan, TODAY)
        pdf = plan_pdf_bytes(plan, TODAY)
    assert len(many) == len(few), (len(few), len(many))
    assert len(many) <= 30, len(many)
    assert load_workbook(BytesIO(xlsx))["Actions"].max_row == 301
    assert "Action 299" in pdf_text(pdf)


# ---- the downloads ------------------------------------------------------------------------


def test_staff_who_read_the_plan_download_it(plan, client_as):
    client = client_as(Role.AUDITOR)
    response = client.get(f"/improvement/plans/{plan.id}/plan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="improvement-plan-{plan.id}-{uk_today()}.pdf"'
    assert SENTENCE in flat(pdf_text(response.data))
    response = client.get(f"/improvement/plans/{plan.id}/plan.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(response.data))
    assert book["Actions"].cell(row=2, column=3).value == DESCRIPTION
    assert client.get("/improvement/plans/987654/plan.pdf").status_code == 404
    assert client.get("/improvement/plans/987654/plan.xlsx").status_code == 404


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.ADMIN])
def test_board_viewers_and_administrators_cannot_download_the_plan(plan, client_as, role):
    client = client_as(role)
    assert client.get(f"/improvement/plans/{plan.id}/plan.pdf").status_code == 403
    assert client.get(f"/improvement/plans/{plan.id}/plan.xlsx").status_code == 403
