"""Demand beside the audit findings of the same period, as cabinet and scrutiny papers set
them (seed papers 000 and 001): each indicator that measures demand (Indicator.demand:
contacts, referrals, assessments, children in need, in care) over the period's whole months
beside the same months a year before, and the audits completed in the period with how they
were judged. One JSON-ready dict, frozen into the board report's and the scrutiny pack's
figures. Counts below the tier's threshold are hidden (and so is any change worked from them)."""

from datetime import date
from typing import Any

from sqlalchemy import select

from qa_app.data.indicator_periods import compare
from qa_app.data.indicator_scorecard import (
    add_months,
    first_of_month,
    places_of,
    round_half_up,
)
from qa_app.data.indicator_values import values_between
from qa_app.documents.demand_text import audits_sentence, demand_sentence, months_text
from qa_app.documents.narrative import grade_scales
from qa_app.extensions import db
from qa_app.models import Indicator
from qa_app.rules.small_numbers import hides_figure


def demand_indicators() -> list[Indicator]:
    stmt = (
        select(Indicator)
        .where(Indicator.active.is_(True), Indicator.demand.is_(True))
        .order_by(Indicator.position, Indicator.name)
    )
    return list(db.session.scalars(stmt))


def _hidden(indicator: Indicator, value: float | None, limit: int) -> bool:
    """A count of children below the tier's threshold (as the board's indicator table)."""
    return indicator.unit == "count" and hides_figure(value, limit)


def demand_context(
    date_from: date, date_to: date, findings: dict[str, Any], *, limit: int
) -> dict[str, Any]:
    """The demand rows and the audits line for the whole months from `date_from`'s to
    `date_to`'s; `findings` are the period's findings already shaped for the tier. Two
    queries: the demand indicators and their values."""
    first, last = first_of_month(date_from), first_of_month(date_to)
    indicators = demand_indicators()
    values = values_between([i.id for i in indicators], add_months(first, -12), last)
    rows = []
    for indicator in indicators:
        months = values[indicator.id]
        c = compare(months, "period", first, last, indicator.adds_up)
        value, previous, change = c.value, c.previous, c.change
        # tested before any rounding (4.5 children is below 5), and on every month read: a
        # period's sum or average over a hidden month would give that month away
        hidden = any(_hidden(indicator, v, limit) for v in (value, previous, *months.values()))
        if hidden:  # either figure with the change would give the hidden one away
            value = previous = change = None
        elif indicator.unit == "count" and not indicator.adds_up:
            # an average of whole children is written whole (643.88 children reads oddly)
            places = places_of(months.values())
            value = None if value is None else round_half_up(value, places)
            previous = None if previous is None else round_half_up(previous, places)
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "adds_up": indicator.adds_up,
                "value": value,
                "previous": previous,
                "change": change,
                "hidden": hidden,
                "sentence": demand_sentence(
                    indicator.name,
                    indicator.unit,
                    indicator.adds_up,
                    value,
                    previous,
                    change,
                    first,
                    last,
                    hidden,
                ),
            }
        )
    return {
        "from": first.isoformat(),
        "to": date_to.isoformat(),
        "rows": rows,
        "audits": {
            "count": findings["totals"]["completed"],
            "by_scale": [
                {"name": s["name"], "good_or_better": s["good_or_better"], "graded": s["n"]}
                for s in grade_scales(findings)
                if s["n"] != 0
            ],
            "sentence": audits_sentence(findings, months_text(first, last), limit),
        },
    }
