"""Seed 004's figures typed in for the scrutiny pack's tests (Example Council, September 2021):
children on a child in need plan and their trend, visit timeliness by locality and by service,
and the recruitment table by role with its totals."""

from datetime import date

from qa_app.data.indicator_scorecard import add_months
from qa_app.extensions import db
from qa_app.models import IndicatorBreakdownValue
from tests.indicators.support import define, store

SEPTEMBER = date(2021, 9, 1)

CIN_PLANS = {
    "code": "CIN01",
    "name": "Children on a child in need plan",
    "unit": "count",
    "better": "neither",
    "comparators": [],
}
VISITS = {
    "code": "CIN02",
    "name": "Child in need visits within timescale",
    "unit": "percentage",
    "better": "higher",
    "target": 80,
    "tolerance": 5,
    "comparators": [{"group": "england", "value": 75.0, "year": "2020-21"}],
    "good_looks_like": "Children are seen at least every four weeks.",
}
# April 2020 to September 2021, oldest first: 654 a year before, 629 the month before
CIN_TREND = [640, 645, 650, 643, 648, 654, 614, 603, 618, 605, 617, 629, 578, 574, 600, 615, 629]
CIN_TREND.append(686)
LOCALITIES = {"South": 77, "North": 59, "Mid and East": 58, "City": 82}
SERVICES = {"Disabled Children Service": 67, "Social Workers in Schools": 74}

RECRUITMENT = [
    ("WF01", "Budgeted FTE establishment", "count"),
    ("WF02", "Unfilled vacancies (permanent and temporary)", "count"),
    ("WF03", "Capacity shortfall", "percentage"),
    ("WF04", "Staff in post who are permanent", "percentage"),
    ("WF05", "Staff in post from agencies", "percentage"),
]
ROLES = {
    "Team Manager": (32.00, 2.50, 7.8, 70.3, 40.6),
    "Assistant Team Manager": (14.00, 1.15, 8.2, 84.6, 35.7),
    "Social Worker (Exp & ASYE)": (197.01, 36.05, 18.3, 58.0, 36.5),
    "Family Practitioner": (67.81, 14.27, 21.0, 91.6, 4.4),
    "Personal Adviser (Care Leavers)": (33.81, 5.39, 15.9, 88.2, 5.9),
}
TOTALS = (348.63, 63.36, 18.2, 69.0, 27.2)


def set_up(indicator, *, area: str, definition: str = "", adds_up: bool = False):
    indicator.area, indicator.definition, indicator.adds_up = area, definition, adds_up
    db.session.commit()
    return indicator


def breakdown(indicator, month: date, dimension: str, values: dict) -> None:
    for category, value in values.items():
        db.session.add(
            IndicatorBreakdownValue(
                indicator_id=indicator.id,
                month=month,
                dimension=dimension,
                category=category,
                value=float(value),
            )
        )
    db.session.commit()


def children_in_need():
    plans, visits = define(CIN_PLANS, VISITS)
    set_up(plans, area="children_in_need", definition="A child in need has a plan of support.")
    set_up(visits, area="children_in_need")
    months = [add_months(SEPTEMBER, k) for k in range(1 - len(CIN_TREND), 1)]
    store(plans, dict(zip(months, CIN_TREND, strict=True)))
    store(visits, {SEPTEMBER: 77, add_months(SEPTEMBER, -12): 70})
    breakdown(visits, SEPTEMBER, "locality", LOCALITIES)
    breakdown(visits, SEPTEMBER, "service", SERVICES)
    breakdown(visits, add_months(SEPTEMBER, -12), "locality", {"South": 70})
    return plans, visits


def recruitment():
    indicators = define(
        *[
            {"code": code, "name": name, "unit": unit, "better": "neither", "comparators": []}
            for code, name, unit in RECRUITMENT
        ]
    )
    for column, indicator in enumerate(indicators):
        set_up(indicator, area="recruitment")
        store(indicator, {SEPTEMBER: TOTALS[column]})
        breakdown(indicator, SEPTEMBER, "role", {role: row[column] for role, row in ROLES.items()})
    return indicators
