"""The demo's reports: last month's performance pack for the scrutiny committee, drafted from
the demo's indicators, practice week, audits and improvement plan, and published to the
partnership, so a board viewer finds it under Reports and a QA lead sees how it is made; and
a drafted self-evaluation for Ofsted over the last twelve whole months (internal)."""

from datetime import date

from qa_app.data import users
from qa_app.rules.uk_time import uk_today
from qa_app.services import report_drafting, scrutiny_reports, self_evaluation


def seed_scrutiny_pack(today: date | None = None) -> None:
    """Draft last month's pack as the demo QA lead and publish it (nothing if the demo QA
    lead is missing or the publication check refuses it: the draft stays for them to see)."""
    today = today or uk_today()
    lead = users.find_by_username("qa.lead")
    if lead is None:
        return
    report = scrutiny_reports.draft(scrutiny_reports.default_month(today), lead, today)
    try:
        report_drafting.publish(report, based_on=report.lock_version, actor=lead)
    except report_drafting.PublicationRefused:
        return


def seed_self_evaluation(today: date | None = None) -> None:
    """Draft the self-evaluation for the last twelve whole months as the demo QA lead, left as
    a draft (internal) for them to check against its evidence, rewrite and publish."""
    today = today or uk_today()
    lead = users.find_by_username("qa.lead")
    if lead is None:
        return
    start, end = self_evaluation.default_period(today)
    self_evaluation.draft(start, end, lead, today)
