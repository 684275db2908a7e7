"""Demo data for a fresh install: teams, localities, one account per role and, on a fresh
install, a demo audit cycle (qa_app/demo/audits.py), a demo improvement plan
(qa_app/demo/improvement.py), a practice week held and one planned (qa_app/demo/practice_week.py),
two calibration rounds (qa_app/demo/calibration.py)
and the starter performance indicators with made-up values.
Names are roles, never real people; the demo password is for local trial use only."""

from datetime import timedelta

from qa_app.data import organisation, users
from qa_app.demo.audits import seed_audits
from qa_app.demo.calibration import seed_calibration
from qa_app.demo.follow_up import seed_follow_up
from qa_app.demo.improvement import seed_plan
from qa_app.demo.practice_week import seed_weeks
from qa_app.demo.reports import seed_scrutiny_pack, seed_self_evaluation
from qa_app.demo.synthetic import SyntheticError, generate
from qa_app.extensions import db
from qa_app.indicators.starter import add_starter_set, demo_values
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today

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


DEMO_HISTORY = 360  # audits in the year before this month
DEMO_MONTHS = 26  # of indicator values: the rolling year and the year before it, and more


def seed(only_if_empty: bool = True, history: bool = True) -> bool:
    """Create the demo organisation and accounts, a demo cycle and (unless history=False) a
    year of synthetic audit history. Returns False if it did nothing.
    Teams, localities and accounts that already exist (names matched regardless of case) are
    kept; the council and service names are set only on an install with no accounts yet."""
    fresh = not users.count_users()
    if only_if_empty and not fresh:
        return False
    if fresh:
        settings = organisation.get_settings()
        settings.council_name = "Exampleshire County Council"
        settings.service_name = "Practice QA"
        db.session.commit()
    teams = {t.name.lower(): t for t in organisation.list_teams()}
    localities = {loc.name.lower(): loc for loc in organisation.list_localities()}
    for locality_name, team_names in LOCALITIES.items():
        locality = localities.get(locality_name.lower())
        if locality is None:
            locality = localities[locality_name.lower()] = organisation.save_locality(
                locality_name, actor=None
            )
        for name in team_names:
            if name.lower() not in teams:
                teams[name.lower()] = organisation.save_team(name, locality, True, actor=None)
    for username, name, roles, team_names in ACCOUNTS:
        if users.find_by_username(username) is None:
            users.create_user(
                username,
                name,
                DEMO_PASSWORD,
                roles,
                teams=[teams[t.lower()] for t in team_names],
            )
    if fresh:
        seed_audits()
        if history:
            _seed_history()
            seed_follow_up()
        seed_plan()
        seed_weeks()
        _seed_indicators()
        seed_scrutiny_pack()
        seed_calibration()
        seed_self_evaluation()
    return True


def _seed_history() -> None:
    """A year of completed audits before this month, so the findings and reports have
    something to show (synthetic: made-up case references, no names)."""
    end_of_last_month = uk_today().replace(day=1) - timedelta(days=1)
    try:
        generate(DEMO_HISTORY, seed=2026, months=12, end=end_of_last_month)
    except SyntheticError:  # no templates loaded yet: nothing to audit against
        db.session.rollback()


def _seed_indicators() -> None:
    """The starter set of performance indicators with two years and two months of made-up
    values (so the rolling year has its year before), and their made-up breakdowns."""
    lead = users.find_by_username("qa.lead")
    add_starter_set(lead)
    demo_values(DEMO_MONTHS, uk_today().replace(day=1) - timedelta(days=1), seed=2026, actor=lead)
