"""Who may open the findings dashboards: the aggregate pages are for QA leads, moderators,
senior managers and board viewers (with small numbers hidden); the drill-down to the audits
behind a number is case-level, so never board viewers or administrators."""

from qa_app.models import Role
from tests.support.route_walk import ALL_AUDITS

FINDINGS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER})

EXPECTED = {
    "dashboards.overview": FINDINGS,
    "dashboards.template": FINDINGS,
    "dashboards.themes": FINDINGS,
    "dashboards.teams": FINDINGS,
    "dashboards.audits": ALL_AUDITS,
}
