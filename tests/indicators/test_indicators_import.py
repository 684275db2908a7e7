"""Importing monthly values: long and wide layouts from CSV and XLSX, values with separators
and % signs, blanks skipped, every problem named by row and column with nothing stored, and a
month imported again replacing the value with the change logged."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from qa_app.cli.commands import qa
from qa_app.extensions import db
from qa_app.imports.indicators import (
    check_indicator_file,
    parse_month,
    store_indicator_values,
)
from qa_app.models import ChangeLogEntry, IndicatorValue, Role
from tests.indicators.support import APRIL, ASSESSMENTS, CONTACTS, REREFERRALS, define

TODAY = date(2026, 5, 10)
MARCH = date(2026, 3, 1)


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _stored() -> dict[tuple[str, date], float]:
    from qa_app.models import Indicator

    rows = db.session.execute(
        select(Indicator.code, IndicatorValue.month, IndicatorValue.value).join(Indicator)
    )
    return {(code, month): value for code, month, value in rows}


def _import(name: str, data: bytes, actor=None):
    checked = check_indicator_file(name, data, today=TODAY)
    assert checked.problems == [], [str(p) for p in checked.problems]
    return checked, store_indicator_values(checked, actor=actor)


def test_months_are_read_as_people_write_them():
    for text in (
        "2026-04",
        "2026-04-01",
        "Apr-26",
        "apr_26",
        "April 2026",
        "april_2026",
        "01/04/2026",
        "04/2026",
        "2026/04",
        "Apr 2026",
        "2026-04-30 00:00:00",
    ):
        assert parse_month(text) == APRIL, text
    for text in ("April", "2026", "13/2026", "Aprill 2026", "value", "31/02/2026", ""):
        assert parse_month(text) is None, text


def test_a_long_csv_stores_each_value():
    define(CONTACTS, REREFERRALS)
    data = (
        b"code,month,value\n"
        b'CON01,2026-03,"1,323"\n'
        b"CON01,Apr-26,1258\n"
        b"ref04,April 2026,22%\n"
        b"REF04,2026-03,\n"
    )
    checked, result = _import("values.csv", data)
    assert checked.layout == "long" and checked.blanks == 1
    assert (result.added, result.indicators) == (3, 2)
    assert _stored() == {("CON01", MARCH): 1323, ("CON01", APRIL): 1258, ("REF04", APRIL): 22}


def test_a_wide_csv_stores_a_value_per_month_column():
    define(CONTACTS, REREFERRALS)
    data = (
        "code,name,Mar-26,April 2026\n"
        'CON01,Contacts received,"1,323","1,258"\n'
        "Front door,,,\n"  # a section heading: skipped
        "REF04,Re-referrals,25%,–\n"
    ).encode()
    checked, result = _import("scorecard.csv", data)
    assert checked.layout == "wide" and checked.blanks == 1
    assert result.added == 3
    assert _stored() == {("CON01", MARCH): 1323, ("CON01", APRIL): 1258, ("REF04", MARCH): 25}


def test_a_wide_workbook_with_date_headers_and_numbers():
    define(CONTACTS, ASSESSMENTS)
    data = _xlsx(
        [
            ["Code", "Name", datetime(2026, 3, 1), datetime(2026, 4, 1)],
            ["CON01", "Contacts", 1323, 1258],
            ["ASM01", "Assessments", 81.5, None],
        ]
    )
    checked, result = _import("scorecard.xlsx", data)
    assert checked.layout == "wide"
    assert _stored() == {("CON01", MARCH): 1323, ("CON01", APRIL): 1258, ("ASM01", MARCH): 81.5}


def test_a_long_workbook():
    define(CONTACTS)
    data = _xlsx([["code", "month", "value"], ["CON01", datetime(2026, 4, 1), 1258]])
    checked, _ = _import("values.xlsx", data)
    assert checked.layout == "long"
    assert _stored() == {("CON01", APRIL): 1258}


def test_a_file_with_any_problem_stores_nothing_and_says_where():
    define(CONTACTS, REREFERRALS)
    data = (
        b"code,month,value\n"
        b"CON01,2026-03,1323\n"  # fine, but not stored: the file has problems
        b"XYZ99,2026-04,10\n"  # row 3: unknown code
        b"CON01,Aprill 2026,1258\n"  # row 4: bad month
        b"CON01,2026-04,lots\n"  # row 5: not a number
        b"REF04,2026-04,22\n"
        b"REF04,April 2026,23\n"  # row 7: the same indicator and month again
        b"REF04,2026-08,20\n"  # row 8: a month that has not happened
        b"CON01,2026-02,34%\n"  # row 9: a % for a count
    )
    checked = check_indicator_file("values.csv", data, today=TODAY)
    found = {(p.row, p.column): p.message for p in checked.problems}
    assert "no indicator has the code the cell's text" in found[(3, "A (code)")]
    assert "not a month" in found[(4, "B (month)")]
    assert found[(5, "C (value)")] == "the cell's text is not a number"
    assert found[(7, "B (month)")] == "REF04 for Apr 2026 is also on row 6"
    assert "Aug 2026 has not happened yet" in found[(8, "B (month)")]
    assert "is a percentage" in found[(9, "C (value)")]
    assert len(checked.problems) == 6
    assert "values, row 5, column 'C (value)': the cell's text is not a number" in [
        str(p) for p in checked.problems
    ]
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_problems_in_a_wide_file_name_the_month_column():
    define(CONTACTS, REREFERRALS)
    data = (
        b"code,2026-03,2026-04,Total\n"  # D: not a month
        b"CON01,1323,1258,\n"
    )
    checked = check_indicator_file("wide.csv", data, today=TODAY)
    assert [(p.row, p.column) for p in checked.problems] == [(1, "D (total)")]
    data = b"code,2026-03,Apr-26\nCON01,1323,n0pe\nREF04,120%,20\n"
    checked = check_indicator_file("wide.csv", data, today=TODAY)
    assert {(p.row, p.column, p.message) for p in checked.problems} == {
        (2, "C (Apr 2026)", "the cell's text is not a number"),
        (3, "B (Mar 2026)", "'120%' is over 100%"),
    }
    data = b"code,2026-03,March 2026\nCON01,1,2\n"
    checked = check_indicator_file("wide.csv", data, today=TODAY)
    assert [p.message for p in checked.problems] == [
        "Mar 2026 is also the month of column B (Mar 2026)"
    ]
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_a_file_of_the_wrong_shape_is_refused():
    define(CONTACTS)
    checked = check_indicator_file("values.csv", b"code,when,value\nCON01,2026-04,1\n", today=TODAY)
    assert {(p.row, p.column) for p in checked.problems} == {(1, "B (when)"), (1, "month")}
    checked = check_indicator_file("values.txt", b"whatever", today=TODAY)
    assert "choose a CSV or XLSX file" in checked.problems[0].message


def test_importing_a_month_again_replaces_it_and_logs_old_and_new(make_user):
    lead = make_user(Role.QA_LEAD)
    (contacts,) = define(CONTACTS)
    _import("march.csv", b"code,month,value\nCON01,2026-04,1258\n", actor=lead)
    _, result = _import("march-corrected.csv", b"code,2026-04\nCON01,1262\n", actor=lead)
    assert (result.added, result.replaced) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 1
    assert _stored() == {("CON01", APRIL): 1262}
    entry = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "indicator", ChangeLogEntry.action == "value replaced"
        )
    ).one()
    assert entry.entity_id == str(contacts.id) and entry.user_id == lead.id
    assert entry.changes == {
        "value": [1258.0, 1262.0],
        "month": "2026-04-01",
        "source": "march-corrected.csv",
    }


def test_the_command_imports_or_lists_the_problems(app, tmp_path):
    define(CONTACTS)
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,month,value\nCON01,2026-04,lots\n")
    result = runner.invoke(qa, ["import-indicators", str(bad)])
    assert result.exit_code == 1
    assert "row 2, column 'C (value)': the cell's text is not a number" in result.output
    assert "Nothing was imported." in result.output
    good = tmp_path / "good.csv"
    good.write_text("code,month,value\nCON01,2026-04,1258\n")
    result = runner.invoke(qa, ["import-indicators", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 added, 0 replaced" in result.output
    assert _stored() == {("CON01", APRIL): 1258}


def test_the_command_adds_the_starter_set_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(qa, ["indicators", "add-starter-set"])
    assert first.exit_code == 0 and first.output.startswith("Added 26 indicators")
    again = runner.invoke(qa, ["indicators", "add-starter-set"])
    assert "nothing added" in again.output


def test_a_value_too_large_to_be_a_count_is_refused_rather_than_breaking_the_pages():
    # 1e30 passed the checks before and then broke every page and report that worked a change
    # from it (exact decimal arithmetic overflows): now the cell is named, and so is a target.
    from qa_app.data.indicators import IndicatorError, create_indicator

    define(CONTACTS)
    checked = check_indicator_file(
        "big.csv", b"code,month,value\nCON01,2026-04,1e30\n", today=TODAY
    )
    assert [(p.row, p.column, p.message) for p in checked.problems] == [
        (2, "C (value)", "the cell's text is too large: no indicator counts over 1,000,000,000")
    ]
    with pytest.raises(IndicatorError) as refused:
        create_indicator(dict(REREFERRALS, code="BIG01", target="1e300"), None)
    assert ("target", "Enter the target as a number up to 1,000,000,000") in refused.value.problems
