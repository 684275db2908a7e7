"""Who may do what: the permission table (each permission names the roles that hold it) and
`may`, the one check. Pure: no Flask; the routes' decorators (qa_app.web.security) and the data
layer's scoping both read it."""

from typing import Protocol

from qa_app.models.users import Role

# Which roles may do what. Every route names one of these; tests walk the URL map against it.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "signed_in": frozenset(Role),
    "manage_users": frozenset({Role.ADMIN}),
    "manage_organisation": frozenset({Role.ADMIN}),
    "view_templates": frozenset({Role.QA_LEAD, Role.MODERATOR}),
    # Case-level work. Board viewers and administrators never see case records.
    "manage_cycles": frozenset({Role.QA_LEAD}),
    "do_audits": frozenset({Role.AUDITOR, Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER}),
    "view_all_audits": frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER}),
    "moderate": frozenset({Role.MODERATOR, Role.QA_LEAD}),
    "sign_off_concerns": frozenset({Role.QA_LEAD}),
    # Calibration rounds: the QA lead and moderators open and close rounds, see who has
    # submitted and record the agreed grades; the auditors in a round grade it blind.
    "manage_calibration": frozenset({Role.QA_LEAD, Role.MODERATOR}),
    # Aggregate findings. Board viewers see them with small numbers hidden and no drill-down.
    "view_findings": frozenset(
        {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER}
    ),
    # Draft, edit and publish reports.
    "manage_reports": frozenset({Role.QA_LEAD}),
    # Practice weeks: the QA lead plans the week and writes its findings; senior managers
    # (and the QA lead) see the schedule and record activities. Activity records are
    # case-level: board viewers and administrators never see them.
    "manage_practice_weeks": frozenset({Role.QA_LEAD}),
    "take_part_in_practice_weeks": frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER}),
    # The improvement plan: read by the service's staff; plans and actions written by QA leads
    # and senior managers; an action's owner may post progress on their own action.
    "view_improvement_plan": frozenset(
        {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.AUDITOR}
    ),
    "manage_improvement_plan": frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER}),
    # Performance indicators are aggregate figures: read by the readers of findings (board
    # viewers too); definitions and imports are the QA lead's; commentary also senior managers'.
    "view_indicators": frozenset(
        {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER}
    ),
    "manage_indicators": frozenset({Role.QA_LEAD}),
    "comment_on_indicators": frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER}),
    # The email delivery state of every notification (who, what kind, sent or failing, the
    # relay's last answer; never case detail): the QA lead and the administrator.
    "view_notification_delivery": frozenset({Role.QA_LEAD, Role.ADMIN}),
}


class Person(Protocol):
    """Who asks: a user, or Flask-Login's anonymous one (whose roles are never read)."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def roles(self) -> set[Role]: ...


def may(user: Person, permission: str) -> bool:
    return bool(user.is_authenticated and user.roles & PERMISSIONS[permission])
