"""The scorecard as a committee reads it: indicators under their area's title, each with its
definition and "good looks like" line, the year to date and the rolling year in words, an
18-month chart with its figures, and the month's breakdowns with their RAG (seed 004's figures,
stated exactly); a bounded number of queries however many indicators; the upload's summary of
breakdowns; the export's Breakdowns sheet; a definition's new fields saved and shown again."""

import html as html_lib
import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_scorecard import add_months
from qa_app.extensions import db
from qa_app.imports.indicators import check_indicator_file, store_indicator_values
from qa_app.models import ChangeLogEntry, Role
from tests.cycles.cycle_factory import count_queries
from tests.helpers import csrf_token
from tests.indicators import seed004
from tests.indicators.seed004 import RECRUITMENT, SEPTEMBER, TODAY, VISITS
from tests.indicators.support import CONTACTS, define, store

MONTH = "?month=2021-09"


def _text(html: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _seed_004(**visits):
    define({**VISITS, **visits}, *RECRUITMENT)
    figures = seed004.visit_figures() + seed004.recruitment_figures()
    checked = check_indicator_file(
        "september.csv", seed004.as_csv(seed004.long_rows(figures)), today=TODAY
    )
    assert checked.problems == []
    store_indicator_values(checked, actor=None)


def test_the_scorecard_states_seed_004s_breakdowns_with_their_rag(client_as):
    _seed_004()
    page = client_as(Role.BOARD_VIEWER).get(f"/indicators/{MONTH}")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    visits = text[text.index("Child in need plan visits within timescale by locality") :]
    assert (
        "Locality Sep 2021 RAG Sep 2020 Change on the year "
        "South 77% Amber: near target – – "
        "North 59% Red – – "
        "Mid and East 58% Red – – "
        "City 82% Green: meets target – – "
        "Whole council 77% Amber: near target – –"
    ) in visits
    assert (
        "Service Sep 2021 RAG Sep 2020 Change on the year "
        "Disabled Children Service 67% Red – – "
        "Social Workers in Schools 74% Red – – "
        "Whole council 77% Amber: near target"
    ) in visits
    # the recruitment table, indicator by indicator: FTE with the decimals they have, and a
    # RAG where the indicator has a target
    for role, cells in {
        "Team Manager": [
            "32",
            "2.5",
            "7.8% Green: meets target",
            "70.3% Amber: near target",
            "40.6% Red",
        ],
        "Assistant Team Manager": [
            "14",
            "1.15",
            "8.2% Green: meets target",
            "84.6% Green: meets target",
            "35.7% Red",
        ],
        "Social Worker (experienced and ASYE)": [
            "197.01",
            "36.05",
            "18.3% Red",
            "58% Red",
            "36.5% Red",
        ],
        "Family Practitioner": [
            "67.81",
            "14.27",
            "21% Red",
            "91.6% Green: meets target",
            "4.4% Green: meets target",
        ],
        "Personal Adviser (care leavers)": [
            "33.81",
            "5.39",
            "15.9% Red",
            "88.2% Green: meets target",
            "5.9% Green: meets target",
        ],
        "Whole council": [
            "348.63",
            "63.36",
            "18.2% Red",
            "69% Red",
            "27.2% Red",
        ],
    }.items():
        for cell in cells:
            assert f"{role} {cell} – –" in text, (role, cell)


def test_indicators_come_under_their_areas_title_in_the_reports_order(client_as):
    _seed_004()
    (contacts,) = define(CONTACTS)  # no area: after the areas
    store(contacts, {SEPTEMBER: 1300})
    html = client_as(Role.QA_LEAD).get(f"/indicators/{MONTH}").get_data(as_text=True)
    headings = re.findall(r'<h2 class="govuk-heading-l[^"]*" id="area-[^"]*">([^<]+)</h2>', html)
    assert headings == ["Children in need", "Recruitment", "Other indicators"]
    table = _text(html[: html.index("</table>")])
    assert table.index("Children in need") < table.index("Child in need plan visits")
    assert table.index("Recruitment") < table.index("Budgeted FTE establishment")
    assert table.index("Other indicators") < table.index("Contacts received")


def test_each_indicator_has_its_definition_periods_in_words_and_an_18_month_chart(client_as):
    (contacts,) = define(
        {
            **CONTACTS,
            "adds_up": True,
            "definition": "Every enquiry about a child that reaches the front door.",
            "good_looks_like": "Worries reach the front door easily.",
        }
    )
    # October 2019 to September 2021: 100 a month, then 110 from April 2021
    values = {add_months(date(2019, 10, 1), k): 100 for k in range(18)}
    values |= {add_months(date(2021, 4, 1), k): 110 for k in range(6)}
    store(contacts, values)
    page = client_as(Role.QA_LEAD).get(f"/indicators/{MONTH}").get_data(as_text=True)
    text = _text(page)
    assert "Definition: Every enquiry about a child that reaches the front door." in text
    assert "Good looks like: Worries reach the front door easily." in text
    assert (
        "Year to date April to September 2021: 660, 10% more than the same months of 2020 (600)"
    ) in text
    assert (
        "Rolling twelve months October 2020 to September 2021: 1,260, 5% more than the twelve "
        "months before (1,200)"
    ) in text
    assert page.count("<svg") == 1
    figures = text[text.index("The chart's figures, Apr 2020 to Sep 2021") :]
    months = " ".join(f"{m:%b %y}" for m in (add_months(date(2020, 4, 1), k) for k in range(18)))
    assert figures.startswith(
        f"The chart's figures, Apr 2020 to Sep 2021 Month {months} Count "
        + " ".join(["100"] * 12 + ["110"] * 6)
    )


def test_the_scorecard_runs_the_same_queries_for_three_indicators_or_thirty(client_as):
    lead = client_as(Role.QA_LEAD)
    _seed_004()
    with count_queries() as few:
        assert lead.get(f"/indicators/{MONTH}").status_code == 200
    for n in range(24):
        (extra,) = define({**VISITS, "code": f"CIN9{n:02d}", "name": f"Visits {n}"})
        store(extra, {SEPTEMBER: 70, add_months(SEPTEMBER, -12): 60})
        indicator_data.update_indicator(
            extra, {**VISITS, "code": extra.code, "name": extra.name}, None
        )
    checked = check_indicator_file(
        "more.csv",
        b"code,month,breakdown,value\n"
        + b"".join(f"CIN9{n:02d},2021-09,Locality: North,6{n % 10}\n".encode() for n in range(24)),
        today=TODAY,
    )
    store_indicator_values(checked, actor=None)
    with count_queries() as many:
        page = lead.get(f"/indicators/{MONTH}")
    assert page.status_code == 200 and page.get_data(as_text=True).count("by locality, Sep") == 25
    assert len(many) == len(few), (len(few), len(many))
    assert len(many) <= 12, many


def test_the_upload_says_how_many_breakdown_values_it_stored(client_as, monkeypatch):
    from qa_app.indicators import routes

    monkeypatch.setattr(routes, "date", type("D", (date,), {"today": staticmethod(lambda: TODAY)}))
    define(VISITS)
    lead = client_as(Role.QA_LEAD)
    body = seed004.as_xlsx(seed004.wide_rows(seed004.visit_figures()))
    data = {
        "csrf_token": csrf_token(lead, "/indicators/upload"),
        "file": (io.BytesIO(body), "sep.xlsx"),
    }
    page = lead.post(
        "/indicators/upload", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    text = _text(page.get_data(as_text=True))
    assert (
        "1 value for 1 indicator read from sep.xlsx (Sep 2021 to Sep 2021): 1 added, 0 replaced, "
        "0 unchanged; 6 breakdown values: 6 added, 0 replaced, 0 unchanged."
    ) in text
    assert "South 77% Amber: near target" in text


def test_the_export_has_a_breakdowns_sheet(client_as):
    _seed_004()
    response = client_as(Role.BOARD_VIEWER).get(f"/indicators/scorecard.xlsx{MONTH}")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Scorecard", "Breakdowns"]
    sheet = book["Breakdowns"]
    assert [c.value for c in sheet[4]] == [
        "Area",
        "Code",
        "Indicator",
        "Breakdown",
        "Category",
        "Value",
        "RAG",
        "Same month last year",
        "Change on same month last year",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert rows[0][:7] == [
        "Children in need",
        "CIN02",
        "Child in need plan visits within timescale",
        "Locality",
        "South",
        77,
        "Amber: near target",
    ]
    fte = [r for r in rows if r[1] == "WF01"]
    assert [(r[4], r[5]) for r in fte][0] == ("Team Manager", 32)
    assert fte[-1][4:6] == ["Whole council", 348.63]
    cell = next(row for row in sheet.iter_rows(min_row=5) if row[1].value == "WF01")[5]
    assert cell.number_format == "#,##0.00"
    scorecard = book["Scorecard"]
    header = [c.value for c in scorecard[4]]
    wf01 = next(row for row in scorecard.iter_rows(min_row=5) if row[0].value == "WF01")
    sept = next(i for i, h in enumerate(header) if getattr(h, "month", None) == 9)
    assert wf01[sept].value == 348.63 and wf01[sept].number_format == "#,##0.00"


def test_a_definitions_meaning_area_and_kind_are_saved_logged_and_shown(client_as):
    lead = client_as(Role.QA_LEAD)
    form = {
        "csrf_token": csrf_token(lead, "/indicators/new"),
        "code": "REF01",
        "name": "Referrals",
        "unit": "percentage",
        "better": "neither",
        "definition": "Contacts accepted for a social care response.",
        "area": "referrals",
        "adds_up": "sum",
        "demand": "y",
        "active": "y",
    }
    refused = lead.post("/indicators/new", data=form)
    assert refused.status_code == 400
    assert "A percentage or a rate is a position: its months do not add up" in _text(
        refused.get_data(as_text=True)
    )
    bad_area = lead.post("/indicators/new", data={**form, "unit": "count", "area": "elsewhere"})
    assert "Choose an area of the performance report, or none" in _text(
        bad_area.get_data(as_text=True)
    )
    saved = lead.post("/indicators/new", data={**form, "unit": "count"})
    assert saved.status_code == 302
    (indicator,) = indicator_data.list_indicators()
    assert (indicator.definition, indicator.area, indicator.adds_up, indicator.demand) == (
        "Contacts accepted for a social care response.",
        "referrals",
        True,
        True,
    )
    edit = lead.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert "Contacts accepted for a social care response.</textarea>" in edit
    assert re.search(r'<option value="referrals" selected', edit)
    assert re.search(r'value="sum" checked', edit) or re.search(r'checked[^>]*value="sum"', edit)
    changed = lead.post(
        f"/indicators/{indicator.id}/edit",
        data={
            **form,
            "csrf_token": csrf_token(lead, f"/indicators/{indicator.id}/edit"),
            "unit": "count",
            "area": "",
            "adds_up": "position",
            "demand": "",
        },
    )
    assert changed.status_code == 302
    entry = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.entity_type == "indicator", ChangeLogEntry.action == "updated")
        .order_by(ChangeLogEntry.id.desc())
    ).first()
    assert entry.changes["area"] == ["referrals", ""]
    assert entry.changes["adds_up"] == [True, False]
    assert entry.changes["demand"] == [True, False]
    listing = _text(lead.get("/indicators/definitions").get_data(as_text=True))
    assert "Definition Contacts accepted for a social care response. Area None" in listing
    assert "The average of its months (each is a position)" in listing
