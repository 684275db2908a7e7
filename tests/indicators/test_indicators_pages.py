"""The indicator pages: the scorecard shows the month's figures, commentary is saved against
the version read, board viewers read but never write, uploads and definitions, the export."""

import html as html_lib
import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.extensions import db
from qa_app.models import IndicatorValue, Role
from tests.helpers import csrf_token
from tests.indicators.support import (
    APRIL,
    CONTACT_VALUES,
    CONTACTS,
    REREFERRALS,
    define,
    store,
)

VERSION_RE = re.compile(r'name="lock_version" type="hidden" value="(\d+)"')


def _scorecard():
    contacts, rereferrals = define(CONTACTS, REREFERRALS)
    store(contacts, CONTACT_VALUES)
    store(rereferrals, {date(2026, 3, 1): 25, APRIL: 22})
    return contacts, rereferrals


def _text(html: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_scorecard_shows_the_latest_month_with_its_figures(client_as):
    _scorecard()
    page = client_as(Role.QA_LEAD).get("/indicators/?columns=all")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = _text(html)
    assert "Scorecard for Apr 2026" in text
    # the last six months of contacts, and the changes on the month and the year
    assert "1,535 1,123 1,219 1,354 1,323 1,258 −5% −12%" in text
    # re-referrals: 25% -> 22%, lower is better, target 20 with 3 of tolerance
    assert "▼ down, good" in text
    assert "Amber: near target" in text
    assert "Statistical neighbours 21.4% (2024-25)" in text
    assert "England 22.4% (2024-25)" in text
    assert "average 1,302, highest 1,535, lowest 1,123" in text
    assert 'class="govuk-tag govuk-tag--green app-trend"' in html
    assert html.count("<svg") == 2  # a chart per indicator
    assert 'class="app-table-scroll"' in html


def test_the_scorecard_shows_fewer_columns_by_default_and_the_rest_a_click_away(client_as):
    _scorecard()
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/indicators/").get_data(as_text=True)
    table = _text(html[html.index("<table") : html.index("</table>")])
    # the last three months and the change on the month; not the year, averages, comparators
    assert "1,354 1,323 1,258 −5% " in table
    assert "1,219" not in table and "22.4%" not in table
    assert "Change on the year" not in table and "12-month maximum" not in table
    assert "Show all columns" in _text(html)
    wide = lead.get("/indicators/?columns=all").get_data(as_text=True)
    assert "Change on the year" in _text(wide[wide.index("<table") : wide.index("</table>")])
    assert "Show fewer columns" in _text(wide)


def test_the_month_chooser_shows_an_earlier_month(client_as):
    _scorecard()
    text = _text(
        client_as(Role.SENIOR_MANAGER).get("/indicators/?month=2026-03&columns=all").get_data(True)
    )
    assert "Scorecard for Mar 2026" in text
    assert "1,219 1,354 1,323 −2% –" in text  # Mar 2025 has no value: no year change


def test_board_viewers_read_the_scorecard_but_cannot_edit(client_as):
    contacts, _ = _scorecard()
    board = client_as(Role.BOARD_VIEWER)
    html = board.get("/indicators/").get_data(as_text=True)
    assert "1,258" in html
    assert "/commentary/" not in html and "/indicators/upload" not in html
    assert board.get("/indicators/scorecard.xlsx").status_code == 200
    assert board.get("/indicators/definitions").status_code == 200
    url = f"/indicators/{contacts.id}/commentary/2026-04"
    assert board.get(url).status_code == 403
    token = csrf_token(board, "/indicators/")
    posted = board.post(url, data={"csrf_token": token, "lock_version": "0", "text": "Mine"})
    assert posted.status_code == 403
    assert indicator_values.get_commentary(contacts, APRIL) is None
    for url in ("/indicators/upload", "/indicators/new", f"/indicators/{contacts.id}/edit"):
        assert board.get(url).status_code == 403


def test_a_manager_writes_the_months_commentary(client_as):
    contacts, _ = _scorecard()
    manager = client_as(Role.SENIOR_MANAGER)
    url = f"/indicators/{contacts.id}/commentary/2026-04"
    form = manager.get(url).get_data(as_text=True)
    saved = manager.post(
        url,
        data={
            "csrf_token": csrf_token(manager, url),
            "lock_version": VERSION_RE.search(form).group(1),
            "text": "Contacts fell over the Easter holidays.",
        },
    )
    assert saved.status_code == 302
    page = manager.get("/indicators/?month=2026-04").get_data(as_text=True)
    assert "Contacts fell over the Easter holidays." in page


def test_a_stale_commentary_save_is_refused_and_keeps_the_text(client_as, make_user):
    contacts, _ = _scorecard()
    manager = client_as(Role.SENIOR_MANAGER)
    url = f"/indicators/{contacts.id}/commentary/2026-04"
    version = VERSION_RE.search(manager.get(url).get_data(as_text=True)).group(1)
    assert version == "0"
    indicator_values.save_commentary(
        contacts,
        APRIL,
        "Written meanwhile by the QA lead.",
        based_on=0,
        actor=make_user(Role.QA_LEAD),
    )
    stale = manager.post(
        url,
        data={
            "csrf_token": csrf_token(manager, url),
            "lock_version": version,
            "text": "My careful analysis.",
        },
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "My careful analysis." in html  # what was typed is kept
    assert "Written meanwhile by the QA lead." in html  # beside what is stored now
    assert VERSION_RE.search(html).group(1) == "1"  # saving again keeps theirs visible first
    stored = indicator_values.get_commentary(contacts, APRIL)
    assert (stored.text, stored.lock_version) == ("Written meanwhile by the QA lead.", 1)


def test_an_upload_with_problems_lists_them_and_stores_nothing(client_as):
    define(CONTACTS)
    lead = client_as(Role.QA_LEAD)
    data = {
        "csrf_token": csrf_token(lead, "/indicators/upload"),
        "file": (io.BytesIO(b"code,2026-03,Apr-26\nCON01,1323,lots\nXYZ,1,2\n"), "values.csv"),
    }
    page = lead.post("/indicators/upload", data=data, content_type="multipart/form-data")
    assert page.status_code == 400
    text = _text(page.get_data(as_text=True))
    assert "2 problems in values.csv: nothing was stored" in text
    assert "2 C (Apr 2026) the cell's text is not a number" in text
    assert "3 A (code) no indicator has the code the cell's text" in text
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_an_upload_is_stored_with_a_summary(client_as):
    define(CONTACTS)
    lead = client_as(Role.QA_LEAD)
    data = {
        "csrf_token": csrf_token(lead, "/indicators/upload"),
        "file": (io.BytesIO(b"code,2026-03,Apr-26\nCON01,1323,1258\n"), "values.csv"),
    }
    page = lead.post(
        "/indicators/upload", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    text = _text(page.get_data(as_text=True))
    assert "2 values for 1 indicator read from values.csv (Mar 2026 to Apr 2026): 2 added" in text
    assert "Scorecard for Apr 2026" in text


def test_a_definition_is_checked_then_saved(client_as):
    lead = client_as(Role.QA_LEAD)
    token = csrf_token(lead, "/indicators/new")
    refused = lead.post(
        "/indicators/new",
        data={
            "csrf_token": token,
            "code": "ASM 01",
            "name": "Assessments",
            "unit": "percentage",
            "better": "higher",
            "target": "eighty",
            "england_value": "82.8",
        },
    )
    assert refused.status_code == 400
    text = _text(refused.get_data(as_text=True))
    assert "Use up to 30 letters, digits" in text
    assert "Enter the target as a number" in text
    assert "Enter the year the England value is for" in text
    assert indicator_data.list_indicators() == []
    saved = lead.post(
        "/indicators/new",
        data={
            "csrf_token": token,
            "code": "asm01",
            "name": "Assessments within 45 working days",
            "unit": "percentage",
            "better": "higher",
            "target": "85",
            "tolerance": "5",
            "england_value": "82.8",
            "england_year": "2024-25",
            "active": "y",
        },
    )
    assert saved.status_code == 302
    (indicator,) = indicator_data.list_indicators()
    assert (indicator.code, indicator.target, indicator.tolerance) == ("ASM01", 85, 5)
    assert indicator.comparators == [{"group": "england", "value": 82.8, "year": "2024-25"}]
    edit = lead.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert 'value="82.8"' in edit and 'value="2024-25"' in edit


def test_the_export_holds_the_figures_in_typed_cells(client_as):
    _scorecard()
    response = client_as(Role.BOARD_VIEWER).get("/indicators/scorecard.xlsx?month=2026-04")
    assert response.status_code == 200
    assert 'filename="scorecard-2026-04.xlsx"' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[4]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=5)}

    def cells(code: str) -> dict:
        keys = [h if isinstance(h, str) else h.date() for h in header]
        return {k: c.value for k, c in zip(keys, rows[code], strict=True)}

    contacts = cells("CON01")
    assert contacts[date(2025, 11, 1)] == 1535 and contacts[APRIL] == 1258
    assert contacts["Change on previous month"] == -0.05
    assert contacts["Change on same month last year"] == -0.12
    assert contacts["12-month average"] == 1302
    assert contacts["12-month maximum"] == 1535
    rereferrals = cells("REF04")
    assert rereferrals[APRIL] == 22
    assert rereferrals["Trend"] == "down, good"
    assert rereferrals["RAG"] == "Amber: near target"
    assert (rereferrals["Target"], rereferrals["Tolerance"]) == (20, 3)
    assert (rereferrals["England"], rereferrals["England: year"]) == (22.4, "2024-25")
    assert rows["REF04"][header.index("Change on previous month")].number_format == "0%;−0%;0%"


def test_a_board_viewer_under_a_threshold_sees_no_small_count_of_children_nor_its_giveaway(
    client_as,
):
    # With a partnership threshold of 5, a team's 2 children on plans is left out for the
    # board viewer, and so is the next smallest team (the whole less the others would give it);
    # the QA lead, who may see case records, sees every figure.
    from qa_app.data.organisation import get_settings
    from qa_app.extensions import db
    from qa_app.models import IndicatorBreakdownValue, Role

    get_settings().partnership_threshold = 5
    (plans,) = define(
        {"code": "CPP01", "name": "Children on plans", "unit": "count", "better": "neither"}
    )
    store(plans, {APRIL: 40})
    for team, n in {"Zebrateam": 2, "Bigteam": 30, "Midteam": 8}.items():
        db.session.add(
            IndicatorBreakdownValue(
                indicator_id=plans.id, month=APRIL, dimension="team", category=team, value=n
            )
        )
    db.session.commit()

    board = client_as(Role.BOARD_VIEWER).get("/indicators/?month=2026-04").get_data(as_text=True)
    lead = client_as(Role.QA_LEAD).get("/indicators/?month=2026-04").get_data(as_text=True)

    assert "Bigteam" in board and "Zebrateam" not in board and "Midteam" not in board
    assert "Zebrateam" in lead and "Midteam" in lead
