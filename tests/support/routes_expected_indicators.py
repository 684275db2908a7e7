"""Who may open the performance indicator pages: the scorecard, its export and the definitions
are aggregate figures for the readers of findings (board viewers too); commentary is the QA
lead's and senior managers'; definitions and imports are the QA lead's."""

from qa_app.models import Role
from tests.support.route_walk import QA_LEAD

INDICATOR_READERS = frozenset(
    {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER}
)
COMMENTATORS = frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER})

EXPECTED = {
    "indicators.scorecard": INDICATOR_READERS,
    "indicators.scorecard_xlsx": INDICATOR_READERS,
    "indicators.definitions": INDICATOR_READERS,
    "indicators.commentary": COMMENTATORS,
    "indicators.new_indicator": QA_LEAD,
    "indicators.edit_indicator": QA_LEAD,
    "indicators.upload": QA_LEAD,
}


def sample_values(values) -> dict:
    from datetime import date

    from qa_app.data import indicator_values
    from qa_app.data import indicators as indicator_data

    indicator = indicator_data.create_indicator(
        {"code": "WALK01", "name": "Route walk indicator", "unit": "count", "better": "neither"},
        None,
    )
    indicator_values.store_values(
        [(indicator, date(2026, 3, 1), 12.0)], source="route walk", actor=None
    )
    return {"indicator_id": indicator.id, "month": "2026-03"}
