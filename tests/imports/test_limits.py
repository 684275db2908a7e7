"""The limits of qa_app.imports.limits, met by read_file: each hostile file is refused quickly
and with little memory; each bound can be reached and names itself; real files, as big as a
council's, are still read whole."""

import io
import time
import tracemalloc
from dataclasses import replace

import pytest
from openpyxl import Workbook

from qa_app.imports.limits import HISTORIC, UPLOAD
from qa_app.imports.tabular import UnreadableFile, read_file
from tests.bad_input import hostile_files as hostile
from tests.bad_input import hostile_text as text
from tests.bad_input.test_hostile_uploads import UPLOAD_CASES

MEMORY = 25 * 1024 * 1024  # bytes a refusal may allocate (the files took ~1.3 GB)
SECONDS = 5  # a refusal's time, on a slow shared machine (most take a few milliseconds)


@pytest.mark.parametrize("case", UPLOAD_CASES, ids=lambda c: c.name)
def test_each_hostile_file_is_refused_quickly_with_little_memory(case):
    data = case.data() if callable(case.data) else case.data
    started = time.monotonic()
    with pytest.raises(UnreadableFile) as refused:
        read_file(case.filename, data)
    assert time.monotonic() - started < SECONDS
    assert all(words in str(refused.value) for words in case.where), str(refused.value)
    tracemalloc.start()  # again, measuring (which slows it down)
    try:
        with pytest.raises(UnreadableFile):
            read_file(case.filename, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY, f"{peak / 1e6:.0f} MB"


def test_a_declared_dimension_is_ignored_so_gaps_cost_nothing():
    """openpyxl fills the gap before a far row with rows as wide as the sheet declares: with
    A1:XFD1048576 and a row at 40,000, that was 40,000 rows of 16,384 cells."""
    body = [hostile.HEADER, b'<row r="40000"><c r="A40000"><v>7</v></c></row>']
    data = hostile.workbook(
        [hostile.sheet(lambda: body, b'<dimension ref="A1:XFD1048576"/>')], stored=True
    )
    started = time.monotonic()
    (sheet,) = read_file("gap.xlsx", data)
    assert time.monotonic() - started < SECONDS
    assert sheet.rows == [(40000, {"case_reference": "7"})]


def _refusal(data: bytes, filename: str = "f.xlsx", **limits) -> str:
    with pytest.raises(UnreadableFile) as refused:
        read_file(filename, data, limits=replace(UPLOAD, **limits))
    return str(refused.value)


def test_each_limit_names_itself():
    good_csv = text.csv_dense(3)
    good = hostile.workbook([hostile.sheet(lambda: [hostile.HEADER, hostile.GOOD_ROW])])
    assert _refusal(good_csv, "f.csv", file_bytes=100) == (
        "the file is bigger than 1 KB: at most 1 KB can be read (split it into smaller files)"
    )
    assert _refusal(good, file_bytes=1000).startswith("the file is bigger than 1 KB")
    assert _refusal(good, unpacked_bytes=1000).startswith(
        "the workbook unpacks to more than 1 KB: at most 1 KB can be read"
    )
    assert _refusal(good, elements=10).startswith("the workbook has more than 10 XML elements")
    assert _refusal(good, text=10) == (
        "the file holds more than 10 characters of text: at most 10 are read "
        "(split it into smaller files)"
    )
    assert _refusal(good_csv, "f.csv", text=10).startswith("the file holds more than 10 char")
    assert _refusal(good, cells=3).startswith("the file has more than 3 cells")
    assert _refusal(good_csv, "f.csv", cells=3).startswith("the file has more than 3 cells")
    assert _refusal(good, rows=1) == (
        "sheet 1, row 2: at most 1 rows are read, blank ones included "
        "(delete the rows below your data)"
    )
    assert _refusal(good_csv, "f.csv", rows=1).startswith("sheet 'f', row 2: at most 1 rows")
    assert "more than 1 different pieces of text" in _refusal(
        hostile.many_shared_strings(2), strings=1
    )


def test_the_clock_stops_a_long_read():
    rows = text.csv_dense(1000)
    message = _refusal(rows, "f.csv", seconds=0)
    assert message == (
        "reading the file took more than 0 seconds, the most one upload may take: split it "
        "into smaller files"
    )
    assert "took more than 0 seconds" in _refusal(hostile.dense_cells(1000, 6), seconds=0)


def test_the_columns_a_caller_allows_are_the_columns_a_cell_may_be_in():
    data = hostile.far_cells(1)
    with pytest.raises(UnreadableFile, match="column XFD: at most 300 columns are read"):
        read_file("wide.xlsx", data, max_columns=300)


def test_a_sheet_is_named_by_its_position_never_by_its_name_from_the_file():
    workbook = Workbook()
    workbook.active.title = "Jane Smith"
    workbook.active.append(["case_reference", "team"])
    workbook.active.cell(row=3, column=250, value="far")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UnreadableFile) as refused:
        read_file("cases.xlsx", out.getvalue())
    assert str(refused.value).startswith("sheet 1, row 3 has a cell in column IP")
    assert "Jane" not in str(refused.value)


def test_csv_text_is_read_a_line_at_a_time_as_before():
    bom = "\ufeffcase_reference;team\r\n1000001;MASH\r\n".encode()
    assert read_file("a.csv", bom)[0].rows == [(2, {"case_reference": "1000001", "team": "MASH"})]
    old_mac = b"case_reference,team\r1000001,MASH\r"
    assert read_file("b.csv", old_mac)[0].rows == [
        (2, {"case_reference": "1000001", "team": "MASH"})
    ]
    quoted = b'case_reference,worker\n1000001,"two\nlines"\n1000002,x\n'
    assert [cells for _, cells in read_file("c.csv", quoted)[0].rows] == [
        {"case_reference": "1000001", "worker": "two\nlines"},
        {"case_reference": "1000002", "worker": "x"},
    ]
    latin = "case_reference,worker\n1000001,Zoë\n".encode("cp1252")
    assert read_file("d.csv", latin)[0].rows[0][1]["worker"] == "Zoë"


def _case_list_workbook(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["case_reference", "team", "worker", "legal_status", "age_band", "date_opened"])
    for n in range(rows):
        sheet.append([f"{1000000 + n}", "MASH", f"SW {n % 300}", "CIN", "0-4", "2025-04-01"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_case_list_as_big_as_allowed_is_read_whole():
    """20,000 cases of six columns (the most one upload takes) are far inside every limit."""
    (sheet,) = read_file("cases.xlsx", _case_list_workbook(20_000), max_rows=20_000)
    assert len(sheet.rows) == 20_000
    (sheet,) = read_file("cases.csv", text.csv_dense(20_000), max_rows=20_000)
    assert len(sheet.rows) == 20_000


def test_the_historic_limits_read_what_the_upload_limits_refuse():
    data = hostile.empty_rows(60_000)
    with pytest.raises(UnreadableFile, match="at most 50,000 rows"):
        read_file("a.xlsx", data)
    assert read_file("a.xlsx", data, limits=HISTORIC)[0].rows == []
