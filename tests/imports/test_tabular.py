"""Reading CSV and XLSX files: wide or broken files are refused with a message naming the
sheet and row, never with a crash, and blank cells cost nothing."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from qa_app.imports.tabular import MAX_COLUMNS, UnreadableFile, read_file


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def truncated_sheet(rows: list[list]) -> bytes:
    """A workbook whose first sheet's XML stops half way."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            target.writestr(item, body)
    return out.getvalue()


def test_a_very_wide_header_is_refused_before_any_row_is_read():
    header = ",".join(f"c{i}" for i in range(3000))
    data = (header + "\n" + "1\n" * 3000).encode()
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as caught:
            read_file("wide.csv", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        f"sheet 'wide' has 3,000 columns: at most {MAX_COLUMNS} can be read "
        "(delete the columns that are not needed)"
    )
    assert peak < 20_000_000


def test_blank_cells_are_not_kept():
    header = ",".join(f"c{i}" for i in range(150))
    data = (header + "\n" + "1\n" * 5 + ",,,x\n").encode()
    (sheet,) = read_file("sparse.csv", data)
    assert len(sheet.columns) == 150
    assert [cells for _, cells in sheet.rows] == [{"c0": "1"}] * 5 + [{"c3": "x"}]


def test_the_header_can_be_checked_before_the_rows_are_read():
    data = b"case_reference,team\n1234567,MASH\n"
    seen = []

    def wanted(sheet):
        seen.append((sheet.name, sheet.columns, list(sheet.rows)))
        return False

    (sheet,) = read_file("list.csv", data, wanted=wanted)
    assert seen == [("list", ["case_reference", "team"], [])]
    assert sheet.rows == [] and not sheet.rows_read


def test_only_the_first_sheet_can_be_read():
    workbook = Workbook()
    workbook.active.append(["case_reference"])
    workbook.create_sheet("Notes").append(["note"])
    out = io.BytesIO()
    workbook.save(out)
    assert [s.name for s in read_file("list.xlsx", out.getvalue(), first_only=True)] == ["sheet 1"]


def test_a_csv_cell_over_the_field_limit_names_the_sheet_and_row():
    data = ('case_reference,worker\n1234567,SW\n2345678,"' + "x" * 1_100_000 + '"\n').encode()
    with pytest.raises(UnreadableFile) as caught:
        read_file("huge.csv", data)
    assert str(caught.value) == ("sheet 'huge', row 3: a cell holds more than 1,000,000 characters")


def test_a_broken_xlsx_sheet_names_the_sheet_and_row():
    rows = [["case_reference", "team"]] + [[f"{1000000 + n}", "MASH"] for n in range(50)]
    with pytest.raises(UnreadableFile) as caught:
        read_file("list.xlsx", truncated_sheet(rows))
    message = str(caught.value)
    assert message.startswith("sheet 1, row ")
    assert "cannot be read" in message


def test_too_many_rows_names_the_limit():
    data = ("case_reference\n" + "1234567\n" * 11).encode()
    with pytest.raises(UnreadableFile) as caught:
        read_file("long.csv", data, max_rows=10)
    assert str(caught.value) == "sheet 'long' has more than 10 rows"
    assert len(read_file("ok.csv", data, max_rows=11)[0].rows) == 11


def test_a_utf16_csv_as_excel_saves_unicode_text_is_read_and_one_without_its_mark_is_refused():
    text = "team\tlocality\r\nMASH\tCentral\r\n"
    (sheet,) = read_file("teams.csv", text.encode("utf-16"))
    assert sheet.columns == ["team", "locality"]
    assert sheet.rows == [(2, {"team": "MASH", "locality": "Central"})]
    with pytest.raises(UnreadableFile, match="save it as CSV UTF-8"):
        read_file("teams.csv", text.encode("utf-16-le"))


def test_a_formula_without_a_value_is_refused_naming_its_row_and_column():
    workbook = Workbook()
    workbook.active.append(["code", "name"])
    workbook.active.append(["REF04", "=1+1"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UnreadableFile) as refused:
        read_file("indicators.xlsx", out.getvalue())
    assert str(refused.value).startswith("sheet 1, row 2, column B: a formula without a value")
