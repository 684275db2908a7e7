"""Notifications written where their event is written, in the same transaction (so a concern
and the message about it are stored together or not at all): an urgent concern raised, audits
given to an auditor, an audit moderated, a practitioner's response wanted, a report or a
practice week's findings published. One query for the recipients, one INSERT for the rows.

No case free text: a case reference only for recipients who may see the case (everyone these
functions write to may), a cycle's or report's name, dates, counts."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, or_, select

from qa_app.data.notifications import Draft, active_users_with_roles, write
from qa_app.extensions import db
from qa_app.models import Audit, Case, Concern, PracticeWeek, Report, ReportAudience, User
from qa_app.models.users import user_teams
from qa_app.rules.permissions import PERMISSIONS


def _ids(stmt: Select[int]) -> list[int]:
    return list(db.session.scalars(stmt))


def _not(actor: User | None) -> int:
    return getattr(actor, "id", None) or 0


# ---- urgent concerns ------------------------------------------------------------------------


def concern_responders(team_id: int | None) -> Select[int]:
    """A SELECT of who responds to a concern on a case of `team_id`: the QA leads, and the
    people doing audits in the case's team (qa_app.data.concerns.can_respond)."""
    leads = active_users_with_roles(PERMISSIONS["sign_off_concerns"])
    if team_id is None:
        return leads
    in_team = select(user_teams.c.user_id).where(user_teams.c.team_id == team_id)
    auditors = active_users_with_roles(PERMISSIONS["do_audits"]).where(User.id.in_(in_team))
    return select(User.id).where(or_(User.id.in_(leads), User.id.in_(auditors)))


def concern_raised(concern: Concern, case: Case, *, working_days: int, actor: User | None) -> int:
    """Tell everyone who responds to the concern, at once and always (urgent)."""
    params = {
        "case_reference": case.case_reference,
        "respond_by": concern.respond_by.isoformat(),
        "working_days": working_days,
    }
    return write(
        Draft(
            user_id=user_id,
            kind="concern_raised",
            dedupe_key=f"concern_raised:concern:{concern.id}:user:{user_id}",
            link=f"/concerns/{concern.id}",
            params=params,
            due_at=concern.respond_by,
        )
        for user_id in _ids(concern_responders(case.team_id))
        if user_id != _not(actor)
    )


# ---- audits ---------------------------------------------------------------------------------


def audits_assigned(
    audits: Iterable[Audit], *, actor: User | None, cycle_name: str | None = None
) -> int:
    """Tell each auditor what they have been given: one notification for one audit (with its
    case reference), one for a batch (with the count). Not the person who assigned it to
    themselves."""
    by_auditor: dict[int, list[Audit]] = defaultdict(list)
    for audit in audits:
        if audit.auditor_id and audit.auditor_id != _not(actor):
            by_auditor[audit.auditor_id].append(audit)
    drafts = []
    for user_id, given in by_auditor.items():
        first = min(given, key=lambda a: a.id)
        due = min((a.due_date for a in given if a.due_date), default=None)
        params = {"count": len(given), "cycle": cycle_name, "due_date": due and due.isoformat()}
        if len(given) == 1:
            params["case_reference"] = first.case.case_reference
            key, link = f"audit_assigned:audit:{first.id}:user:{user_id}", f"/audits/{first.id}"
        else:
            key = f"audit_assigned:batch:{first.id}:{len(given)}:user:{user_id}"
            link = "/audits/mine"
        drafts.append(Draft(user_id, "audit_assigned", key, link, params))
    return write(drafts)


def audit_moderated(audit: Audit, moderation_id: int, *, changed: int, actor: User | None) -> int:
    """The moderation's result, to the audit's auditor."""
    if not audit.auditor_id or audit.auditor_id == _not(actor):
        return 0
    return write(
        [
            Draft(
                audit.auditor_id,
                "audit_moderated",
                f"audit_moderated:moderation:{moderation_id}:user:{audit.auditor_id}",
                f"/audits/{audit.id}",
                {"case_reference": audit.case.case_reference, "changed": changed},
            )
        ]
    )


def response_requested(audit: Audit, *, respond_by: datetime, working_days: int) -> int:
    """On submission: the auditor is asked to talk the audit through with the practitioner and
    record their response (qa_app.audits.extras) by `respond_by`."""
    if not audit.auditor_id:
        return 0
    return write(
        [
            Draft(
                audit.auditor_id,
                "response_requested",
                f"response_requested:audit:{audit.id}:user:{audit.auditor_id}",
                f"/audits/{audit.id}/responses",
                {
                    "case_reference": audit.case.case_reference,
                    "respond_by": respond_by.isoformat(),
                    "working_days": working_days,
                },
                due_at=respond_by,
            )
        ]
    )


# ---- publishing -----------------------------------------------------------------------------


def readers(audience: str) -> Select[int]:
    """A SELECT of who reads what is published to `audience`: below the internal tier every
    reader of findings (board viewers too); internal, only those who may see case records."""
    roles = set(PERMISSIONS["view_findings"])
    if audience == ReportAudience.INTERNAL:
        roles &= set(PERMISSIONS["view_all_audits"])
    return active_users_with_roles(roles)


def report_published(report: Report, *, actor: User | None) -> int:
    return write(
        Draft(
            user_id,
            "report_published",
            f"report_published:report:{report.id}:user:{user_id}",
            f"/reports/{report.id}",
            {"title": report.title, "what": "report", "audience": report.audience},
        )
        for user_id in _ids(readers(report.audience))
        if user_id != _not(actor)
    )


def findings_published(week: PracticeWeek, *, audience: str, actor: User | None) -> int:
    stamp = week.published_at.isoformat() if week.published_at else ""
    return write(
        Draft(
            user_id,
            "report_published",
            f"report_published:week:{week.id}:{stamp}:user:{user_id}",
            f"/practice-weeks/{week.id}/report",
            {"title": week.name, "what": "practice_week", "audience": audience},
        )
        for user_id in _ids(readers(audience))
        if user_id != _not(actor)
    )
