"""The demo drafts a self-evaluation for Ofsted over the last twelve whole months, internal,
with statements under every heading of every judgement area (qa_app.demo.reports)."""

from sqlalchemy import select

from qa_app.demo import seed as demo
from qa_app.extensions import db
from qa_app.models import Report, ReportKind
from qa_app.rules.uk_time import uk_today
from qa_app.services.self_evaluation import default_period


def test_the_demo_drafts_a_self_evaluation_for_the_last_twelve_months(loaded_templates):
    assert demo.seed(only_if_empty=True, history=False)
    (report,) = db.session.scalars(select(Report).where(Report.kind == ReportKind.SELF_EVALUATION))
    start, end = default_period(uk_today())
    assert (report.status, report.audience) == ("draft", "internal")
    assert report.scope == {"from": start.isoformat(), "to": end.isoformat()}
    assert len(report.sections) == 12
    assert all(section["statements"] for section in report.sections)
    doing = next(s for s in report.sections if s["key"] == "help_and_protection:doing")
    assert any(s["link"] and s["link"][0] == "improvement.action" for s in doing["statements"])
