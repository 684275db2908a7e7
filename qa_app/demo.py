"""Demo data for a fresh install: teams, localities and one account per role.
Names are roles, never real people; the demo password is for local trial use only."""

from qa_app.data import organisation, users
from qa_app.extensions import db
from qa_app.models import Role

DEMO_PASSWORD = "practice-qa-demo"  # noqa: S105  (documented demo-only password)

LOCALITIES = {
    "North": ["Initial Response North", "Safeguarding North"],
    "South": ["Initial Response South", "Safeguarding South"],
    "Countywide": ["MASH", "Disabled Children's Service", "Children in Care", "Care Leavers"],
}

ACCOUNTS = [
    ("admin", "Demo Administrator", [Role.ADMIN], []),
    ("qa.lead", "Demo QA Lead", [Role.QA_LEAD, Role.MODERATOR], []),
    ("moderator", "Demo Moderator", [Role.MODERATOR, Role.AUDITOR], ["Children in Care"]),
    ("auditor", "Demo Auditor", [Role.AUDITOR], ["Safeguarding North"]),
    ("senior.manager", "Demo Senior Manager", [Role.SENIOR_MANAGER, Role.AUDITOR], []),
    ("board.viewer", "Demo Board Viewer", [Role.BOARD_VIEWER], []),
]


def seed(only_if_empty: bool = True) -> bool:
    """Create the demo organisation and accounts. Returns False if it did nothing."""
    if only_if_empty and users.count_users():
        return False
    settings = organisation.get_settings()
    settings.council_name = "Exampleshire County Council"
    settings.service_name = "Practice QA"
    db.session.commit()
    teams = {t.name: t for t in organisation.list_teams()}
    for locality_name, team_names in LOCALITIES.items():
        existing = {loc.name: loc for loc in organisation.list_localities()}
        locality = existing.get(locality_name) or organisation.save_locality(
            locality_name, actor=None
        )
        for name in team_names:
            if name not in teams:
                teams[name] = organisation.save_team(name, locality, True, actor=None)
    for username, name, roles, team_names in ACCOUNTS:
        if users.find_by_username(username) is None:
            users.create_user(
                username, name, DEMO_PASSWORD, roles, teams=[teams[t] for t in team_names]
            )
    return True
