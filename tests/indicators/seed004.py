"""The figures of seed 004 (a council's performance report to its scrutiny committee, September
2021) typed in: child in need plan visits within timescale, by locality and by service, and the
recruitment table by role. Localities and services carry made-up names (North, South, Mid and
East, City); the definitions are the starter set's."""

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook

SEPTEMBER = date(2021, 9, 1)
TODAY = date(2021, 10, 20)

VISITS = {
    "code": "CIN02",
    "name": "Child in need plan visits within timescale",
    "unit": "percentage",
    "better": "higher",
    "target": 80,
    "tolerance": 5,
    "area": "children_in_need",
}
# (breakdown, value): "" is the whole council
VISIT_FIGURES = [
    ("", "77%"),
    ("Locality: South", "77%"),
    ("Locality: North", "59%"),
    ("Locality: Mid and East", "58%"),
    ("Locality: City", "82%"),
    ("Service: Disabled Children Service", "67%"),
    ("Service: Social Workers in Schools", "74%"),
]

RECRUITMENT = [
    {
        "code": "WF01",
        "name": "Budgeted FTE establishment",
        "unit": "count",
        "better": "neither",
        "area": "recruitment",
    },
    {
        "code": "WF02",
        "name": "Unfilled vacancies (permanent and temporary)",
        "unit": "count",
        "better": "lower",
        "area": "recruitment",
    },
    {
        "code": "WF03",
        "name": "Capacity shortfall",
        "unit": "percentage",
        "better": "lower",
        "target": 10,
        "tolerance": 5,
        "area": "recruitment",
    },
    {
        "code": "WF04",
        "name": "Staff in post who are permanent",
        "unit": "percentage",
        "better": "higher",
        "target": 80,
        "tolerance": 10,
        "area": "recruitment",
    },
    {
        "code": "WF05",
        "name": "Staff who are agency workers",
        "unit": "percentage",
        "better": "lower",
        "target": 15,
        "tolerance": 10,
        "area": "recruitment",
    },
]
# role: budgeted FTE, unfilled vacancies, % shortfall, % permanent, % agency; "" is the total
RECRUITMENT_TABLE = {
    "Team Manager": ("32.00", "2.50", "7.8%", "70.3%", "40.6%"),
    "Assistant Team Manager": ("14.00", "1.15", "8.2%", "84.6%", "35.7%"),
    "Social Worker (experienced and ASYE)": ("197.01", "36.05", "18.3%", "58.0%", "36.5%"),
    "Family Practitioner": ("67.81", "14.27", "21.0%", "91.6%", "4.4%"),
    "Personal Adviser (care leavers)": ("33.81", "5.39", "15.9%", "88.2%", "5.9%"),
    "": ("348.63", "63.36", "18.2%", "69.0%", "27.2%"),
}


def recruitment_figures() -> list[tuple[str, str, str]]:
    """(code, breakdown, value) for every cell of the recruitment table."""
    return [
        (definition["code"], f"Role: {role}" if role else "", values[k])
        for role, values in RECRUITMENT_TABLE.items()
        for k, definition in enumerate(RECRUITMENT)
    ]


def visit_figures() -> list[tuple[str, str, str]]:
    return [("CIN02", breakdown, value) for breakdown, value in VISIT_FIGURES]


def long_rows(figures: list[tuple[str, str, str]], month="2021-09") -> list[list]:
    """One row per value: code, month, breakdown, value."""
    return [["code", "month", "breakdown", "value"]] + [
        [code, month, breakdown, value] for code, breakdown, value in figures
    ]


def wide_rows(figures: list[tuple[str, str, str]], month="Sep-21") -> list[list]:
    """One row per indicator and breakdown: code, breakdown, then the month's column."""
    return [["code", "breakdown", month]] + [
        [code, breakdown, value] for code, breakdown, value in figures
    ]


def as_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list], numbers: bool = True) -> bytes:
    """A workbook of the rows; with `numbers`, values typed as numbers (a percentage as 77, as
    docs/imports.md asks) and months as dates."""
    book = Workbook()
    for row in rows:
        cells = []
        for cell in row:
            text = str(cell)
            if numbers and text.rstrip("%").replace(".", "", 1).isdigit():
                cells.append(float(text.rstrip("%")))
            elif numbers and text == "2021-09":
                cells.append(datetime(2021, 9, 1))
            else:
                cells.append(cell)
        book.active.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
