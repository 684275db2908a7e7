"""Demand in the same period, in the single-agency report to the safeguarding board: under
its statistical information, the demand the service met over the period's months (contacts,
referrals, assessments, children in need, in care: the indicators marked as measuring demand)
against the same months a year before, then the audits completed in those months, so the board
reads the audit findings beside the demand, as papers to cabinet and scrutiny set them.

Reads the sentences frozen in the snapshot's "demand" (qa_app.services.demand_figures); a
snapshot with no demand indicator, or drafted before demand was frozen (schemas 1 and 2), has
no demand part at all: no heading over nothing. Pure: no database, no Flask."""

from dataclasses import dataclass
from typing import Any

DEMAND_HEADING = "Demand in the same period"
DEMAND_SECTION = "statistics"  # the board form's section it sits under


@dataclass(frozen=True)
class DemandPart:
    heading: str
    lines: list[str]  # one sentence per demand indicator, in the indicators' order
    audits: str  # the audits completed in the same months, and how they were judged


def demand_part(figures: dict[str, Any]) -> DemandPart | None:
    """The demand sentences and the audits sentence of the snapshot, or None when it has no
    demand indicator."""
    demand = figures.get("demand")
    if not demand or not demand.get("rows"):
        return None
    lines = [row["sentence"] for row in demand["rows"] if row.get("sentence")]
    if not lines:
        return None
    return DemandPart(DEMAND_HEADING, lines, demand["audits"]["sentence"])
