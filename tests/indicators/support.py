"""Indicators for the indicator tests: a hand-made set with known values."""

from datetime import date

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data

CONTACTS = {
    "code": "CON01",
    "name": "Contacts received",
    "unit": "count",
    "better": "neither",
    "comparators": [],
}
REREFERRALS = {
    "code": "REF04",
    "name": "Re-referrals within 12 months",
    "unit": "percentage",
    "better": "lower",
    "target": 20,
    "tolerance": 3,
    "comparators": [
        {"group": "england", "value": 22.4, "year": "2024-25"},
        {"group": "statistical_neighbours", "value": 21.4, "year": "2024-25"},
    ],
    "good_looks_like": "Help makes a lasting difference.",
}
ASSESSMENTS = {
    "code": "ASM01",
    "name": "Assessments within 45 working days",
    "unit": "percentage",
    "better": "higher",
    "target": 85,
    "tolerance": 5,
    "comparators": [{"group": "england", "value": 82.8, "year": "2024-25"}],
}

# Contacts, Nov 2025 .. Apr 2026, with Apr 2025 for the year-on-year change
CONTACT_VALUES = {
    date(2025, 4, 1): 1430,
    date(2025, 11, 1): 1535,
    date(2025, 12, 1): 1123,
    date(2026, 1, 1): 1219,
    date(2026, 2, 1): 1354,
    date(2026, 3, 1): 1323,
    date(2026, 4, 1): 1258,
}
APRIL = date(2026, 4, 1)


def define(*definitions, actor=None):
    return [indicator_data.create_indicator(dict(d), actor) for d in definitions]


def store(indicator, values: dict, actor=None, source="test"):
    return indicator_values.store_values(
        [(indicator, m, float(v)) for m, v in values.items()], source=source, actor=actor
    )
