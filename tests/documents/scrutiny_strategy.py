"""A Hypothesis strategy for the scrutiny pack's frozen figures (the contract in
/work/brief/issue17.md and services/scrutiny_figures): any dict it draws is one the service
could freeze, empty parts, missing values, long text and odd characters included."""

from datetime import date
from typing import Any

from hypothesis import strategies as st

from qa_app.data.indicator_scorecard import add_months

MONTH = date(2021, 9, 1)
MONTHS = [add_months(MONTH, k).isoformat() for k in range(-17, 1)]

text = st.text(min_size=0, max_size=80)
long_text = st.text(min_size=0, max_size=400)
words = st.lists(st.sampled_from(["care", "plan", "visits", "a", "timely", "family"]), max_size=60)
sentence = st.one_of(text, words.map(" ".join))
number = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False), st.integers(-1000, 10**6))
small = st.one_of(st.none(), st.floats(0, 1000, allow_nan=False, allow_infinity=False))
change = st.one_of(st.none(), st.integers(-500, 500))
rag = st.sampled_from([None, "green", "amber", "red"])
unit = st.sampled_from(["count", "percentage", "rate_per_10000"])


@st.composite
def period(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "first": draw(st.sampled_from(MONTHS)),
        "last": MONTH.isoformat(),
        "value": draw(small),
        "previous": draw(small),
        "change": draw(change),
    }


@st.composite
def indicator(draw: st.DrawFn) -> dict[str, Any]:
    rows = st.fixed_dictionaries(
        {"category": text, "value": small, "rag": rag, "last_year": small, "change_year": change}
    )
    breakdown = st.fixed_dictionaries(
        {"dimension": text, "title": text, "rows": st.lists(rows, max_size=6)}
    )
    return {
        "code": draw(text),
        "name": draw(sentence),
        "unit": draw(unit),
        "better": draw(st.sampled_from(["higher", "lower", "neither"])),
        "adds_up": draw(st.booleans()),
        "definition": draw(long_text),
        "good_looks_like": draw(sentence),
        "value": draw(number),
        "target": draw(small),
        "rag": draw(rag),
        "previous": draw(small),
        "change_month": draw(change),
        "last_year": draw(small),
        "change_year": draw(change),
        "year_to_date": draw(period("year_to_date")),
        "rolling_12": draw(period("rolling_12")),
        "trend": [[m, draw(small)] for m in MONTHS],
        "comparators": draw(
            st.lists(
                st.fixed_dictionaries({"name": text, "value": small, "year": text}), max_size=3
            )
        ),
        "breakdowns": draw(st.lists(breakdown, max_size=2)),
    }


@st.composite
def area_table(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    values = st.lists(small, min_size=n, max_size=n)
    row = st.fixed_dictionaries({"category": text, "values": values})
    return {
        "dimension": "role",
        "title": draw(text),
        "columns": [
            {"code": f"C{k}", "name": draw(sentence), "unit": draw(unit)} for k in range(n)
        ],
        "rows": draw(st.lists(row, max_size=8)),
        "total": draw(st.one_of(st.none(), row)),
    }


@st.composite
def figures(draw: st.DrawFn) -> dict[str, Any]:
    area = st.fixed_dictionaries(
        {
            "key": st.sampled_from(["referrals", "children_in_need", "recruitment", "caseloads"]),
            "title": text,
            "indicators": st.lists(indicator(), max_size=3),
            "tables": st.lists(area_table(), max_size=2),
            "prompts": st.lists(sentence, max_size=3),
        }
    )
    demand_row = st.fixed_dictionaries(
        {
            "code": text,
            "name": text,
            "unit": unit,
            "adds_up": st.booleans(),
            "value": small,
            "previous": small,
            "change": change,
            "sentence": sentence,
        }
    )
    audits = st.fixed_dictionaries(
        {
            "count": st.integers(0, 500),
            "good_or_better": st.one_of(st.none(), st.integers(0, 500)),
            "share": st.one_of(st.none(), st.integers(0, 100)),
        }
    )
    week = st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {
                "title": text,
                "dates": text,
                "headlines": st.lists(sentence, max_size=14),
                "quick_wins": st.lists(sentence, max_size=8),
            }
        ),
    )
    action = st.fixed_dictionaries(
        {
            "number": text,
            "plan": text,
            "description": long_text,
            "owner": text,
            "due_date": st.one_of(st.none(), st.dates().map(date.isoformat)),
            "status": st.sampled_from(["not_started", "on_track", "at_risk", "off_track", "x"]),
            "status_text": text,
        }
    )
    return {
        "schema": 1,
        "month": MONTH.isoformat(),
        "period": {"from": "2021-04-01", "to": "2021-09-30"},
        "generated_at": "2021-10-20T09:00:00",
        "council": draw(text),
        "areas": draw(st.lists(area, max_size=3)),
        "demand": {
            "from": "2021-04-01",
            "to": "2021-09-30",
            "rows": draw(st.lists(demand_row, max_size=5)),
            "audits": draw(audits),
        },
        "practice_week": draw(week),
        "audit_themes": {
            "audits": draw(st.integers(0, 500)),
            "strengths": draw(st.lists(sentence, max_size=10)),
            "development": draw(st.lists(sentence, max_size=10)),
        },
        "actions": draw(st.lists(action, max_size=15)),
    }


def sections_for(keys: list[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.fixed_dictionaries({"key": st.sampled_from(keys), "title": text, "text": long_text}),
        max_size=len(keys),
    )


SECTION_KEYS = [
    "area:referrals",
    "area:children_in_need",
    "area:recruitment",
    "demand",
    "practice_week",
    "audit_themes",
    "actions",
]
