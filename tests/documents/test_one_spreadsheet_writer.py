"""Every XLSX and CSV file goes through the one spreadsheet writer: the source of qa_app is read,
and any module but qa_app/documents/spreadsheet.py that imports openpyxl (or another spreadsheet
writer), uses csv.writer / csv.DictWriter, or asks pandas for a spreadsheet fails this test, so a
future export cannot slip past the formula rule. The importers in qa_app/imports read
spreadsheets: they may import openpyxl to read (load_workbook, its utilities), never a Workbook,
openpyxl's writer or its styles."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "qa_app"
THE_WRITER = PACKAGE / "documents" / "spreadsheet.py"
READERS = PACKAGE / "imports"
OTHER_WRITERS = ("xlsxwriter", "xlwt", "pyexcel", "pyexcelerate", "odf", "ezodf")
WRITING_PARTS = ("openpyxl.writer", "openpyxl.styles", "openpyxl.workbook", "openpyxl.cell")
CSV_WRITERS = {"writer", "DictWriter"}
PANDAS_WRITERS = {"to_excel", "to_csv", "ExcelWriter"}


def _root(name: str | None) -> str:
    return (name or "").split(".")[0]


def _openpyxl_writes(module: str, names: set[str], reader: bool) -> bool:
    """Whether importing `names` from `module` (an openpyxl module) is for writing."""
    if not reader:
        return True
    return "Workbook" in names or module.startswith(WRITING_PARTS)


def problems(source: str, name: str, reader: bool = False) -> list[str]:
    """What in a module's source writes a spreadsheet without the one writer; `reader` for the
    importers in qa_app/imports."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = _root(alias.name)
                if root in OTHER_WRITERS or (
                    root == "openpyxl" and _openpyxl_writes(alias.name, set(), reader)
                ):
                    found.append(f"{where} imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            root = _root(node.module)
            if root in OTHER_WRITERS or (
                root == "openpyxl" and _openpyxl_writes(node.module, names, reader)
            ):
                found.append(f"{where} imports {', '.join(sorted(names))} from {node.module}")
            if node.module == "csv" and names & CSV_WRITERS:
                found.append(f"{where} imports a csv writer")
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if owner == "csv" and node.attr in CSV_WRITERS:
                found.append(f"{where} uses csv.{node.attr}")
            elif owner == "openpyxl" and node.attr == "Workbook":
                found.append(f"{where} uses openpyxl.Workbook")
            elif node.attr in PANDAS_WRITERS:
                found.append(f"{where} uses .{node.attr}")
    return found


def test_no_module_but_the_one_writer_writes_a_spreadsheet():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != THE_WRITER:
            name = str(path.relative_to(PACKAGE.parent))
            found += problems(path.read_text(encoding="utf-8"), name, path.is_relative_to(READERS))
    assert not found, (
        "Write XLSX and CSV through qa_app.documents.spreadsheet (Spreadsheet, tables_xlsx, "
        "csv_bytes), which keeps formulas out of exports:\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        "from openpyxl import Workbook",
        "import openpyxl",
        "from openpyxl.styles import Font",
        "from openpyxl.utils import get_column_letter",
        "import csv\nw = csv.writer(out)",
        "import csv\nw = csv.DictWriter(out, fields)",
        "from csv import writer",
        "frame.to_excel(out)",
        "frame.to_csv(out)",
        "import xlsxwriter",
    ],
)
def test_the_check_finds_a_module_that_writes_a_spreadsheet_itself(source):
    assert problems(source, "qa_app/documents/sneaky.py")


@pytest.mark.parametrize(
    "source, writes",
    [
        ("from openpyxl import load_workbook", False),
        ("from openpyxl.utils import get_column_letter, range_boundaries", False),
        ("import openpyxl\nbook = openpyxl.load_workbook(f)", False),
        ("import csv\nrows = csv.reader(f)", False),
        ("from openpyxl import Workbook, load_workbook", True),
        ("import openpyxl\nbook = openpyxl.Workbook()", True),
        ("from openpyxl.styles import Font", True),
        ("from openpyxl.writer.excel import save_workbook", True),
        ("import csv\nw = csv.writer(out)", True),
    ],
)
def test_the_importers_may_read_but_not_write(source, writes):
    assert bool(problems(source, "qa_app/imports/reader.py", reader=True)) is writes


def test_the_one_writer_is_where_the_check_says():
    source = THE_WRITER.read_text(encoding="utf-8")
    assert "from openpyxl import Workbook" in source and "csv.writer(" in source
