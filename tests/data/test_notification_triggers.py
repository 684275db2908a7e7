"""What the round finds due (qa_app.data.notification_triggers) and what events write
(qa_app.data.notification_events), worded in UK time and working days: audits and actions due
soon and overdue (once each, to their auditor or owner, never to a disabled account), urgent
concerns escalated past their deadline (with the case reference only for those who may see
the case), the moderation result, the response wanted after submission, and publications to
their readers."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from qa_app.data import notification_events, notification_triggers
from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Concern, Notification, Role
from qa_app.rules.uk_time import LONDON, BankHolidays, add_working_days
from qa_app.web.messages import messages_for
from tests.audits.factory import make_audit
from tests.improvement.support import make_action, make_plan

ENGLAND = BankHolidays()  # England and Wales bank holidays (the holidays package)
MONDAY = date(2026, 8, 24)  # a Monday; 31 August 2026 is the summer bank holiday


def _rows(kind: str) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id)
        )
    )


def _message(app, n: Notification):
    return messages_for(app).message(n.kind, n.params, due_at=n.due_at)


def _window(today: date, days: int = 3) -> dict:
    now = datetime.combine(today, time(9), tzinfo=LONDON)
    soon = add_working_days(now, days, ENGLAND).astimezone(LONDON).date()
    return {"today": today, "soon_until": soon, "calendar": ENGLAND}


@pytest.fixture
def people(make_user, loaded_templates):
    team = save_team("MASH", None, True, actor=None)
    return {
        "team": team,
        "auditor": make_user(Role.AUDITOR, username="auditor"),
        "lead": make_user(Role.QA_LEAD, username="lead"),
        "senior": make_user(Role.SENIOR_MANAGER, username="senior"),
        "board": make_user(Role.BOARD_VIEWER, username="board"),
    }


def test_audits_due_soon_and_overdue_are_written_once_in_working_days(app, people):
    auditor = people["auditor"]
    # Friday 28 August: the next working days are Tue 1, Wed 2 and Thu 3 September
    friday = date(2026, 8, 28)
    make_audit(
        "single_assessment", auditor=auditor, reference="10000001", due_date=date(2026, 9, 2)
    )
    make_audit(
        "single_assessment", auditor=auditor, reference="10000002", due_date=date(2026, 9, 4)
    )
    make_audit(
        "single_assessment", auditor=auditor, reference="10000003", due_date=date(2026, 8, 20)
    )
    window = _window(friday)
    assert window["soon_until"] == date(2026, 9, 3)

    assert notification_triggers.due_audits("audit_due_soon", **window) == 1
    assert notification_triggers.due_audits("audit_overdue", **window) == 1
    db.session.commit()
    [soon] = _rows("audit_due_soon")
    message = _message(app, soon)
    assert message.subject == "Audit of case 10000001 is due on 2 September 2026"
    assert "is due on 2 September 2026, in 2 working days." in message.body  # Mon 31 skipped
    assert soon.link.startswith("/audits/") and soon.due_at.astimezone(LONDON).hour == 0
    [overdue] = _rows("audit_overdue")
    message = _message(app, overdue)
    assert message.subject == "Audit of case 10000003 is overdue: it was due 20 August 2026"
    assert "was due on 20 August 2026, 6 working days ago." in message.body

    # the next round finds the same audits and writes nothing
    assert notification_triggers.due_audits("audit_due_soon", **window) == 0
    assert notification_triggers.due_audits("audit_overdue", **window) == 0


def test_an_audit_due_today_says_today_and_a_moved_due_date_is_reminded_again(app, people):
    auditor = people["auditor"]
    audit = make_audit("cin_plan", auditor=auditor, reference="10000004", due_date=MONDAY)
    assert notification_triggers.due_audits("audit_due_soon", **_window(MONDAY)) == 1
    assert _message(app, _rows("audit_due_soon")[0]).subject == (
        "Audit of case 10000004 is due today"
    )
    audit.due_date = MONDAY + timedelta(days=2)
    db.session.commit()
    assert notification_triggers.due_audits("audit_due_soon", **_window(MONDAY)) == 1


def test_no_reminder_for_a_submitted_audit_or_a_disabled_auditor(people):
    from qa_app.models import AuditStatus

    auditor = people["auditor"]
    done = make_audit("cin_plan", auditor=auditor, reference="10000005", due_date=MONDAY)
    done.status = AuditStatus.SUBMITTED
    gone = make_audit("cin_plan", auditor=people["senior"], reference="10000006", due_date=MONDAY)
    people["senior"].active = False
    db.session.commit()
    window = _window(MONDAY + timedelta(days=1))
    assert notification_triggers.due_audits("audit_overdue", **window) == 0
    assert gone.id and not _rows("audit_overdue")


def test_improvement_actions_remind_their_owner(app, people):
    senior = people["senior"]
    plan = make_plan(people["lead"], title="Plan: better plans")
    make_action(plan, people["lead"], owner=senior, due_date=date(2026, 9, 1))
    make_action(plan, people["lead"], owner=senior, due_date=date(2026, 8, 3))
    window = _window(date(2026, 8, 28))
    assert notification_triggers.due_actions("action_due_soon", **window) == 1
    assert notification_triggers.due_actions("action_overdue", **window) == 1
    soon = _message(app, _rows("action_due_soon")[0])
    assert soon.subject == "Improvement action 1 is due on 1 September 2026"
    assert 'Action 1 of the improvement plan "Plan: better plans", which you own' in soon.body
    assert "in 1 working day." in soon.body
    assert _rows("action_overdue")[0].link.startswith("/improvement/actions/")


def _concern(audit, raised_by, respond_by: datetime) -> Concern:
    concern = Concern(
        audit_id=audit.id,
        raised_by_id=raised_by.id,
        description="Free text never sent",
        respond_by=respond_by,
    )
    db.session.add(concern)
    db.session.commit()
    return concern


def test_an_overdue_concern_is_escalated_once_to_the_roles_named(app, people):
    audit = make_audit(
        "cin_plan", auditor=people["auditor"], team=people["team"], reference="20000001"
    )
    due = datetime(2026, 7, 27, 15, 30, tzinfo=UTC)  # 16:30 in London (summer time)
    concern = _concern(audit, people["auditor"], due)
    later = due + timedelta(hours=1)
    roles = ["senior_manager", "board_viewer"]
    assert notification_triggers.escalate_concerns(now=due - timedelta(minutes=1), roles=roles) == 0
    assert notification_triggers.escalate_concerns(now=later, roles=roles) == 2
    assert notification_triggers.escalate_concerns(now=later, roles=roles) == 0
    by_user = {n.user_id: n for n in _rows("concern_escalated")}
    senior = by_user[people["senior"].id]
    assert senior.params["case_reference"] == "20000001"  # may see every audit
    assert senior.link == f"/audits/{audit.id}"
    assert _message(app, senior).subject == (
        "Urgent concern on case 20000001 has no response: it was due 27 July 2026 at 16:30"
    )
    board = by_user[people["board"].id]  # may never see a case: no reference, no case link
    assert "case_reference" not in board.params and board.link == "/notifications"
    assert _message(app, board).subject == (
        "Urgent concern has no response: it was due 27 July 2026 at 16:30"
    )
    concern.responded_at, concern.response = later, "Visited today"
    db.session.commit()


def test_a_concern_with_a_response_is_not_escalated(people):
    audit = make_audit("cin_plan", auditor=people["auditor"], reference="20000002")
    concern = _concern(audit, people["auditor"], datetime(2026, 7, 27, 15, 30, tzinfo=UTC))
    concern.response, concern.responded_at = "Seen", datetime(2026, 7, 27, 15, 0, tzinfo=UTC)
    db.session.commit()
    now = datetime(2026, 7, 28, tzinfo=UTC)
    assert notification_triggers.escalate_concerns(now=now, roles=["senior_manager"]) == 0


@pytest.mark.parametrize(
    ("raised", "due_text"),
    [
        # 16:30 on a Friday in July (British Summer Time): due 16:30 on Monday
        (datetime(2026, 7, 24, 15, 30, tzinfo=UTC), "27 July 2026 at 16:30"),
        # the Friday before the August bank holiday: due on Tuesday
        (datetime(2026, 8, 28, 15, 30, tzinfo=UTC), "1 September 2026 at 16:30"),
        # a Friday in winter (GMT): 16:30 is 16:30 UTC
        (datetime(2026, 12, 4, 16, 30, tzinfo=UTC), "7 December 2026 at 16:30"),
    ],
)
def test_an_urgent_concern_message_gives_its_deadline_in_uk_time(app, people, raised, due_text):
    audit = make_audit(
        "cin_plan", auditor=people["auditor"], team=people["team"], reference="20000003"
    )
    concern = _concern(audit, people["auditor"], add_working_days(raised, 1, ENGLAND))
    notification_events.concern_raised(concern, audit.case, working_days=1, actor=people["auditor"])
    db.session.commit()
    [n] = _rows("concern_raised")  # the QA lead (the auditor raised it)
    assert n.user_id == people["lead"].id and n.urgent
    message = _message(app, n)
    assert message.subject == f"Urgent concern on case 20000003: respond by {due_text}"
    assert f"It needs a response by {due_text} (UK time), 1 working day after it was raised." in (
        message.body
    )
    assert "Free text" not in message.subject + message.body


def test_a_moderation_result_and_a_response_wanted_go_to_the_auditor(app, people):
    audit = make_audit("cin_plan", auditor=people["auditor"], reference="20000004")
    notification_events.audit_moderated(audit, 77, changed=2, actor=people["lead"])
    submitted = datetime(2026, 8, 21, 10, 0, tzinfo=UTC)  # Friday: 10 working days, one a holiday
    notification_events.response_requested(
        audit, respond_by=add_working_days(submitted, 10, ENGLAND), working_days=10
    )
    db.session.commit()
    moderated = _message(app, _rows("audit_moderated")[0])
    assert "The moderator changed 2 grades, with reasons." in moderated.body
    wanted = _rows("response_requested")[0]
    assert wanted.link == f"/audits/{audit.id}/responses"
    assert "by 7 September 2026, 10 working days after it was submitted" in (
        _message(app, wanted).body
    )


def test_a_report_published_to_the_partnership_reaches_board_viewers(app, people):
    from qa_app.models import Report

    report = Report(
        title="Audit findings, Q2",
        audience="partnership",
        series_key="p",
        scope={},
        figures={},
        sections=[],
        key_findings={},
    )
    db.session.add(report)
    db.session.flush()
    notification_events.report_published(report, actor=people["lead"])
    internal = Report(
        title="Internal",
        audience="internal",
        scope={},
        figures={},
        sections=[],
        key_findings={},
        series_key="i",
    )
    db.session.add(internal)
    db.session.flush()
    notification_events.report_published(internal, actor=people["lead"])
    db.session.commit()
    readers = {}
    for n in _rows("report_published"):
        readers.setdefault(n.params["title"], set()).add(n.user_id)
    assert people["board"].id in readers["Audit findings, Q2"]
    assert people["lead"].id not in readers["Audit findings, Q2"]  # who published it
    assert people["board"].id not in readers["Internal"]  # never case-level reading
    assert people["senior"].id in readers["Internal"]
    n = next(n for n in _rows("report_published") if n.user_id == people["board"].id)
    assert _message(app, n).subject == "Report published: Audit findings, Q2"
    assert "published to the safeguarding partnership" in _message(app, n).body
