"""Seed 004's figures (a children's services performance pack to a scrutiny committee, to the
end of September 2021) typed into the frozen figures of a "scrutiny" report, with the council's
names replaced ("Example Council"; localities South, North, Mid and East, City).

As the seed states them:
  Children on a child in need plan: 686 this month; the trend the seed draws, 650 643 654 614
    603 618 605 617 629 578 574 (here July 2020 to May 2021; June to August 2021 not given);
    654 in September 2020, so 5% more than a year before (4.9% in the seed).
  Children in need visited within timescale: 77%; by locality South 77%, North 59%,
    Mid and East 58%, City 82%; by service Disabled Children Service 67%,
    Social Workers in Schools 74%.
  Recruitment (role x budgeted FTE, unfilled vacancies, % shortfall, % permanent, % agency):
    Team Manager 32.00 2.50 7.8% 70.3% 40.6%; Assistant Team Manager 14.00 1.15 8.2% 84.6%
    35.7%; Social Worker (Exp & ASYE) 197.01 36.05 18.3% 58.0% 36.5%; Family Practitioner
    67.81 14.27 21.0% 91.6% 4.4%; Personal Adviser (Care Leavers) 33.81 5.39 15.9% 88.2% 5.9%;
    totals 348.63 63.36 18.2% 69.0% 27.2%.
The practice week's findings, the quick wins, the audit themes and the actions are in our own
words."""

import copy
from typing import Any

TREND_CIN = [None, None, None, 650, 643, 654, 614, 603, 618, 605, 617, 629, 578, 574]
TREND_CIN += [None, None, None, 686]  # June to August 2021 not given; September 686
TREND_VISITS = [80, 79, 81, 78, 80, 82, 79, 77, 76, 78, 80, 81, 79, 75, 72, 70, 74, 77]
TREND_REFERRALS = [310, 295, 330, 360, 342, 351, 320, 300, 338, 365, 372, 390]
TREND_REFERRALS += [401, 410, 388, 395, 402, 384]
MONTHS = [f"{2020 + (3 + k) // 12}-{(3 + k) % 12 + 1:02d}-01" for k in range(18)]

RECRUITMENT_ROWS = [
    ("Team Manager", [32.0, 2.5, 7.8, 70.3, 40.6]),
    ("Assistant Team Manager", [14.0, 1.15, 8.2, 84.6, 35.7]),
    ("Social Worker (Exp & ASYE)", [197.01, 36.05, 18.3, 58.0, 36.5]),
    ("Family Practitioner", [67.81, 14.27, 21.0, 91.6, 4.4]),
    ("Personal Adviser (Care Leavers)", [33.81, 5.39, 15.9, 88.2, 5.9]),
]
RECRUITMENT_TOTAL = [348.63, 63.36, 18.2, 69.0, 27.2]
RECRUITMENT_COLUMNS = [
    ("WF01", "Budgeted FTE establishment", "count"),
    ("WF02", "Unfilled vacancies (permanent and temporary)", "count"),
    ("WF03", "Capacity shortfall (vacancies)", "percentage"),
    ("WF04", "Staff in post who are permanent", "percentage"),
    ("WF05", "Staff in post who are agency", "percentage"),
]

QUICK_WINS = [
    "Call the single assessment a child and family assessment from November.",
    "Run short workshops on analysis and consent for the initial response teams.",
    "Give managers who chair strategy meetings a business support officer.",
    "Arrange deprivation of liberty training for frontline staff.",
    "Give the out-of-hours duty service read access to the front door's records.",
]


def _period(
    kind: str, first: str, value: float | None, previous: float | None, change: int | None
) -> dict[str, Any]:
    return {
        "kind": kind,
        "first": first,
        "last": "2021-09-01",
        "value": value,
        "previous": previous,
        "change": change,
    }


def _indicator(code: str, name: str, unit: str, value: float | None, **more: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": code,
        "name": name,
        "unit": unit,
        "better": "higher",
        "adds_up": False,
        "definition": "",
        "good_looks_like": "",
        "value": value,
        "target": None,
        "rag": None,
        "previous": None,
        "change_month": None,
        "last_year": None,
        "change_year": None,
        "year_to_date": _period("year_to_date", "2021-04-01", None, None, None),
        "rolling_12": _period("rolling_12", "2020-10-01", None, None, None),
        "trend": [[m, None] for m in MONTHS],
        "comparators": [],
        "breakdowns": [],
    }
    base.update(more)
    return base


def _trend(values: list[Any]) -> list[list[Any]]:
    return [[m, None if v is None else float(v)] for m, v in zip(MONTHS, values, strict=True)]


def _rows(pairs: list[tuple[str, float, str]]) -> list[dict[str, Any]]:
    return [
        {"category": c, "value": v, "rag": r, "last_year": None, "change_year": None}
        for c, v, r in pairs
    ]


REFERRALS = _indicator(
    "REF01",
    "Referrals received",
    "count",
    384.0,
    better="neither",
    adds_up=True,
    previous=402.0,
    change_month=-4,
    last_year=338.0,
    change_year=14,
    year_to_date=_period("year_to_date", "2021-04-01", 2380.0, 2015.0, 18),
    rolling_12=_period("rolling_12", "2020-10-01", 4627.0, 4106.0, 13),
    trend=_trend(TREND_REFERRALS),
    definition="A referral is a request for a social care service about a child, most often "
    "from a professional through the front door.",
)
REREFERRALS = _indicator(
    "REF02",
    "Re-referrals within 12 months",
    "percentage",
    23.0,
    better="lower",
    target=20.0,
    rag="amber",
    previous=24.0,
    change_month=-4,
    last_year=21.0,
    change_year=10,
    good_looks_like="Councils judged good see about one referral in five come back within a year.",
    comparators=[
        {"name": "Statistical neighbours", "value": 21.5, "year": "2020-21"},
        {"name": "England", "value": 22.7, "year": "2020-21"},
    ],
)
CIN_PLANS = _indicator(
    "CIN01",
    "Children on a child in need plan",
    "count",
    686.0,
    better="neither",
    previous=None,
    change_month=None,
    last_year=654.0,
    change_year=5,
    year_to_date=_period("year_to_date", "2021-04-01", None, 612.0, None),
    trend=_trend(TREND_CIN),
    definition="A child in need needs support for their health or development; the plan says "
    "who will do what and how often the child is seen.",
)
CIN_VISITS = _indicator(
    "CIN02",
    "Children in need visited within timescale",
    "percentage",
    77.0,
    target=80.0,
    rag="amber",
    previous=74.0,
    change_month=4,
    last_year=79.0,
    change_year=-3,
    year_to_date=_period("year_to_date", "2021-04-01", 74.8, 79.5, -6),
    rolling_12=_period("rolling_12", "2020-10-01", 77.3, 79.6, -3),
    trend=_trend(TREND_VISITS),
    good_looks_like="Every child on a plan is seen at least every four weeks.",
    breakdowns=[
        {
            "dimension": "locality",
            "title": "Locality",
            "rows": _rows(
                [
                    ("South", 77.0, "amber"),
                    ("North", 59.0, "red"),
                    ("Mid and East", 58.0, "red"),
                    ("City", 82.0, "green"),
                ]
            ),
        },
        {
            "dimension": "service",
            "title": "Service",
            "rows": _rows(
                [
                    ("Disabled Children Service", 67.0, "red"),
                    ("Social Workers in Schools", 74.0, "amber"),
                ]
            ),
        },
    ],
)
RECRUITMENT = [
    _indicator(code, name, unit, total, better="neither")
    for (code, name, unit), total in zip(RECRUITMENT_COLUMNS, RECRUITMENT_TOTAL, strict=True)
]

FIGURES: dict[str, Any] = {
    "schema": 1,
    "month": "2021-09-01",
    "period": {"from": "2021-04-01", "to": "2021-09-30"},
    "generated_at": "2021-10-20T09:00:00",
    "council": "Example Council",
    "areas": [
        {
            "key": "referrals",
            "title": "Referrals",
            "indicators": [REFERRALS, REREFERRALS],
            "tables": [],
            "prompts": [],
        },
        {
            "key": "children_in_need",
            "title": "Children in need",
            "indicators": [CIN_PLANS, CIN_VISITS],
            "tables": [],
            "prompts": [
                "Children on a child in need plan: 686 at the end of September 2021, 5% more "
                "than a year before."
            ],
        },
        {
            "key": "recruitment",
            "title": "Recruitment",
            "indicators": RECRUITMENT,
            "tables": [
                {
                    "dimension": "role",
                    "title": "Role",
                    "columns": [
                        {"code": c, "name": n, "unit": u} for c, n, u in RECRUITMENT_COLUMNS
                    ],
                    "rows": [{"category": c, "values": v} for c, v in RECRUITMENT_ROWS],
                    "total": {"category": "Total", "values": RECRUITMENT_TOTAL},
                }
            ],
            "prompts": [],
        },
    ],
    "demand": {
        "from": "2021-04-01",
        "to": "2021-09-30",
        "rows": [
            {
                "code": "REF01",
                "name": "Referrals received",
                "unit": "count",
                "adds_up": True,
                "value": 2380.0,
                "previous": 2015.0,
                "change": 18,
                "sentence": "Referrals rose by 18% between April and September 2021, "
                "compared with the same period in 2020.",
            }
        ],
        "audits": {"count": 120, "good_or_better": 70, "share": 58},
    },
    "practice_week": {
        "title": "Practice week October 2021",
        "dates": "4 to 8 October 2021",
        "headlines": [
            "Senior managers watched meetings, shadowed workers and read records with them.",
            "Children at clear risk were seen quickly at the front door; those needing early "
            "help waited too long.",
            "Strategy meetings need sharper direction from managers on next steps.",
            "Work with fathers and safety planning where there is domestic abuse needs to improve.",
        ],
        "quick_wins": QUICK_WINS,
    },
    "audit_themes": {
        "audits": 120,
        "strengths": [
            "Urgent protection was decisive and timely.",
            "Decisions for children in care by agreement were sound.",
        ],
        "development": [
            "Assessments were not always thorough or on time.",
            "The child's voice was not always heard in plans.",
            "Fathers and wider family were not always included.",
        ],
    },
    "actions": [
        {
            "number": "3",
            "plan": "Improvement plan 2021",
            "description": "Coaching for managers on supervision and oversight.",
            "owner": "Head of service",
            "due_date": "2021-11-30",
            "status": "on_track",
            "status_text": "On track",
        },
        {
            "number": "7",
            "plan": "Improvement plan 2021",
            "description": "Workshops on child in need plans with the initial response teams.",
            "owner": "Principal social worker",
            "due_date": "2021-12-15",
            "status": "at_risk",
            "status_text": "At risk",
        },
    ],
}

SECTIONS: list[dict[str, Any]] = [
    {
        "key": "area:referrals",
        "title": "Referrals",
        "text": "- Referrals rose after the pandemic and have eased since the start of term.\n"
        "- More staff have been agreed for the front door.",
    },
    {
        "key": "area:children_in_need",
        "title": "Children in need",
        "text": "Caseloads have grown with the number of children in need.\n\n"
        "- Visits slipped in North and Mid and East while staff changed over the summer.",
    },
    {"key": "area:recruitment", "title": "Recruitment", "text": ""},
    {"key": "demand", "title": "Demand", "text": "Demand rose faster than audit grades fell."},
    {"key": "practice_week", "title": "Practice week", "text": ""},
    {"key": "audit_themes", "title": "Audit themes", "text": "- Themes match the practice week."},
    {"key": "actions", "title": "Actions", "text": "- Actions are reviewed monthly."},
]

TITLE = "Children's social care performance"
STATUS = "Draft 2: not for circulation"
ORGANISATION = "Example Council"


def figures() -> dict[str, Any]:
    """A fresh copy for a test to change."""
    return copy.deepcopy(FIGURES)
