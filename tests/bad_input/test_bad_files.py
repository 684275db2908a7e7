"""Bad tabular files: case lists, historic-audit imports and indicator imports. Each is refused
with a message naming the sheet, row and column, never a 500 or a crash, and the database is
unchanged (tests/bad_input/snapshot.py). The files are built here, as CSV or XLSX bytes; bad
audit templates are in test_bad_templates.py.

A cell holding NUL or another control character (other than tab and line breaks) refuses the
whole file, naming each such cell (qa_app.imports.tabular): PostgreSQL cannot store NUL."""

import pytest

from qa_app.data.organisation import get_settings, save_team
from qa_app.extensions import db
from qa_app.models import Role
from tests.bad_input.support import (
    Case,
    Checker,
    cli_refusal,
    csv_bytes,
    page_refusal,
    upload,
    xlsx,
)
from tests.cycles.cycle_factory import make_cycle
from tests.imports.support import complete_row, team_and_auditor

# ---- case lists, through the cycle's upload page --------------------------------------------

HEADER = "case_reference,team,worker,legal_status,age_band,date_opened"
GOOD_ROW = "1000001,MASH,SW 1,CIN,0-4,2025-04-01"


def _cases(*rows: str, header: str = HEADER) -> bytes:
    return csv_bytes(header, *rows)


CASE_LIST_CASES = [
    Case("no team column", _cases("1000001", header="case_reference"), ("column 'team'",)),
    Case("no reference column", _cases("MASH", header="team"), ("column 'case_reference'",)),
    Case("unknown team", _cases(GOOD_ROW, "1000002,Nowhere"), ("row 3", "column 'team'")),
    Case("team closed", _cases("1000002,Closed Team"), ("row 2", "column 'team'")),
    Case("team blank", _cases("1000002,"), ("row 2", "column 'team'")),
    Case("a name for a reference", _cases("Jane Smith,MASH"), ("row 2", "column 'case_ref")),
    Case("reference too long", _cases("1" * 61 + ",MASH"), ("row 2", "column 'case_ref")),
    Case("reference twice", _cases(GOOD_ROW, GOOD_ROW), ("row 3", "also row 2")),
    Case("formula for a reference", _cases('"=HYPERLINK(""x"")",MASH'), ("row 2",)),
    Case("a NUL in the file's name", _cases(GOOD_ROW), ("file's name",), "cases\x00.csv"),
    Case("U+FFFE in the file's name", _cases(GOOD_ROW), ("file's name",), "ca\ufffeses.csv"),
    Case("NUL in a reference", _cases("10000\x0001,MASH"), ("row 2", "A (case_reference)", "NUL")),
    Case("NUL in a worker", _cases("1000002,MASH,SW\x001"), ("row 2", "column C (worker)", "NUL")),
    Case("bell in a legal status", _cases("1000002,MASH,,C\x07IN"), ("row 2", "D (legal_st", "07")),
    Case(
        "non-characters in a worker",
        _cases("1000002,MASH,SW\ufffe1\uffff"),
        ("row 2", "column C (worker)", "non-character U+FFFE"),
    ),
    Case(
        "NULs in two rows",
        _cases("1000002,MASH,SW\x001", GOOD_ROW, "1000003,MASH,,,0\x00-4"),
        ("row 2, column C (worker)", "row 4, column E (age_band)"),
    ),
    Case("31 February", _cases("1000002,MASH,,,,31/02/2025"), ("row 2", "column 'date_op")),
    Case("opened in words", _cases("1000002,MASH,,,,last week"), ("row 2", "column 'date_op")),
    Case("opened in 2999", _cases("1000002,MASH,,,,2999-01-01"), ("row 2", "in the future")),
    Case("worker too long", _cases("1000002,MASH," + "w" * 121), ("row 2", "column 'worker'")),
    Case("age band too long", _cases("1000002,MASH,,," + "a" * 61), ("row 2", "column 'age_b")),
    Case("empty file", b"", ("column 'case_reference'",)),
    Case("header only", _cases(), ("no cases",)),
    Case("not text", b"\x81\x8d\x8f\x90\x9d" * 50, ("not text",)),
    Case("a PDF", b"%PDF-1.4", ("choose a CSV or XLSX file",), filename="cases.pdf"),
    Case("no extension", _cases(GOOD_ROW), ("choose a CSV or XLSX",), filename="cases"),
    Case("broken workbook", b"PK\x03\x04 not a zip", ("not a readable XLSX",), "cases.xlsx"),
    Case(
        "workbook with an unknown team",
        xlsx(("Cases", [["case_reference", "team"], ["1000001", "Nowhere"]])),
        ("sheet 1", "row 2", "column 'team'"),
        filename="cases.xlsx",
    ),
    Case(
        "workbook with a number for a date",
        xlsx(("Cases", [["case_reference", "team", "date_opened"], ["1000001", "MASH", 45000]])),
        ("row 2", "column 'date_opened'"),
        filename="cases.xlsx",
    ),
    Case("a cell over a million characters", _cases("1000002,MASH," + "x" * 1_000_001), ("row 2",)),
    Case("too many columns", csv_bytes(",".join(f"c{i}" for i in range(201))), ("201 columns",)),
]


def test_bad_case_lists_are_refused_row_by_row(client_as, loaded_templates):
    save_team("MASH", None, True, actor=None)
    save_team("Closed Team", None, False, actor=None)
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    cycle = make_cycle(templates=("single_assessment",))
    url = f"/cycles/{cycle.id}/case-list"
    checker = Checker()
    for bad in CASE_LIST_CASES:
        send = upload(lead, url, bad.data, bad.filename or "cases.csv")
        checker.run(bad, send, lambda response, w=bad.where: page_refusal(response, w))
    checker.assert_all_behaved()


# ---- historic audits, through `flask qa import-audits` ------------------------------------

AUDIT_TEMPLATE = "single_assessment"


def _audit_rows(*overrides: dict) -> list[dict]:
    return [complete_row(AUDIT_TEMPLATE, f"100000{n}", **o) for n, o in enumerate(overrides, 1)]


def _audit_csv(*overrides: dict):
    """() -> a CSV of complete audits with `overrides` (built when the templates are loaded)."""
    return lambda: _write_audit_csv(*overrides)


def _write_audit_csv(*overrides: dict) -> bytes:
    rows = _audit_rows(*overrides)
    columns = list(dict.fromkeys(c for r in rows for c in r))
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(_csv_cell(row.get(c, "")) for c in columns))
    return csv_bytes(*lines)


def _csv_cell(value) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _audit_xlsx(*sheets: tuple[str, object]):
    return lambda: _write_audit_xlsx(*sheets)


def _write_audit_xlsx(*sheets: tuple[str, object]) -> bytes:
    out = []
    for name, rows in sheets:
        rows = rows() if callable(rows) else rows
        columns = list(dict.fromkeys(c for r in rows for c in r))
        out.append((name, [columns] + [[r.get(c) for c in columns] for r in rows]))
    return xlsx(*out)


AUDIT_CASES = [
    Case("grade off the scale", _audit_csv({"grade__timeliness": "Superb"}), ("row 2", "grade")),
    Case(
        "number above the maximum",
        _audit_csv({"children_in_household": "21"}),
        ("row 2", "column 'children_in_household'"),
    ),
    Case(
        "number in words",
        _audit_csv({}, {"children_in_household": "three"}),
        ("row 3", "column 'children_in_household'"),
    ),
    Case(
        "number enormous",
        _audit_csv({"children_in_household": "9" * 400}),
        ("row 2", "column 'children_in_household'"),
    ),
    Case(
        "choice not an option",
        _audit_csv({"assessment_type": "Guesswork"}),
        ("row 2", "column 'assessment_type'"),
    ),
    Case(
        "date 31 February",
        _audit_csv({"assessment_start_date": "31/02/2024"}),
        ("row 2", "column 'assessment_start_date'"),
    ),
    Case("unknown team", _audit_csv({"team": "Nowhere"}), ("row 2", "column 'team'")),
    Case("unknown auditor", _audit_csv({"auditor": "nobody"}), ("row 2", "column 'auditor'")),
    Case("audit in 2999", _audit_csv({"audit_date": "2999-01-01"}), ("row 2", "column 'audit_d")),
    Case("a name for a reference", _audit_csv({"case_reference": "Jane Smith"}), ("row 2",)),
    Case("theme mark unknown", _audit_csv({"theme__voice_of_child": "meh"}), ("row 2", "theme")),
    Case("unknown column", _audit_csv({"postcode": "AB1 2CD"}), ("row 1", "column 'postcode'")),
    Case(
        "no reference column",
        _audit_csv({"case_reference": None}),
        ("row 1", "column 'case_reference'"),
    ),
    Case(
        "rationale over the limit",
        _audit_csv({"overall_rationale": "r" * 100_001}),
        ("row 2", "column 'overall_rationale'"),
    ),
    Case(
        "NUL in a rationale",
        _audit_csv({"overall_rationale": "Late\x00 plan"}),
        ("row 2", "(overall_rationale)", "NUL"),
    ),
    Case("NUL in a reference", _audit_csv({"case_reference": "10000\x0001"}), ("row 2", "NUL")),
    Case("NUL in a team", _audit_csv({}, {"team": "East\x00"}), ("row 3", "(team)", "NUL")),
    Case("escape in an answer", _audit_csv({"overall_rationale": "\x1b[1m"}), ("row 2", "1B")),
    Case("empty file", b"", ("case_reference",)),
    Case("not a workbook", b"PK\x03\x04 broken", ("not a readable XLSX",), filename="a.xlsx"),
    Case("a Word file", b"\xd0\xcf\x11\xe0", ("choose a CSV or XLSX",), filename="a.doc"),
    Case(
        "an unknown sheet",
        _audit_xlsx(("Audits", lambda: _audit_rows({})), ("Notes", [{"note": "hello"}])),
        ("Notes", "unknown sheet"),
        filename="a.xlsx",
    ),
    Case(
        "the same audit twice",
        _audit_csv({}, {"case_reference": "1000001"}),
        ("row 3", "row 2 is an audit of the same case"),
    ),
    Case(
        "unknown template",
        _audit_csv({}),
        ("--template", "no template 'nope'"),
        extra={"args": ["--template", "nope"]},
    ),
    Case(
        "unknown cycle",
        _audit_csv({}),
        ("--cycle", "no audit cycle called 'Nope'"),
        extra={"args": ["--cycle", "Nope"]},
    ),
]


def test_bad_audit_imports_are_refused_cell_by_cell(app, make_user, loaded_templates, tmp_path):
    team_and_auditor(make_user)
    get_settings()  # made on first use (the migration's row is emptied between tests)
    runner = app.test_cli_runner()
    checker = Checker()
    for number, bad in enumerate(AUDIT_CASES):
        path = tmp_path / f"case{number}" / (bad.filename or "audits.csv")
        path.parent.mkdir()
        path.write_bytes(bad.data() if callable(bad.data) else bad.data)
        args = ["qa", "import-audits", str(path), "--template", AUDIT_TEMPLATE]
        args += bad.extra.get("args", [])
        checker.run(
            bad,
            lambda args=args: runner.invoke(args=args),
            lambda result, w=bad.where: cli_refusal(result, w, "Nothing was imported"),
        )
    checker.assert_all_behaved()


# ---- indicator values, through the upload page and `flask qa import-indicators` ----------

LONG = "code,month,value"

INDICATOR_CASES = [
    Case("unknown code", csv_bytes(LONG, "NOPE1,2026-03,12"), ("row 2", "A (code)")),
    Case("a bell in the file's name", csv_bytes(LONG), ("file's name",), "val\x07ues.csv"),
    Case("month 13", csv_bytes(LONG, "CON01,2026-13,12"), ("row 2", "B (month)")),
    Case("month in words", csv_bytes(LONG, "CON01,soon,12"), ("row 2", "B (month)")),
    Case("month in 2999", csv_bytes(LONG, "CON01,2999-01,12"), ("row 2", "B (month)")),
    Case("month blank", csv_bytes(LONG, "CON01,,12"), ("row 2", "enter the month")),
    Case("value in words", csv_bytes(LONG, "CON01,2026-03,many"), ("row 2", "C (value)")),
    Case("value infinite", csv_bytes(LONG, "CON01,2026-03,1e999"), ("row 2", "C (value)")),
    Case("value not a number", csv_bytes(LONG, "CON01,2026-03,nan"), ("row 2", "C (value)")),
    Case("value negative", csv_bytes(LONG, "CON01,2026-03,-4"), ("row 2", "negative")),
    Case("percentage over 100", csv_bytes(LONG, "ASM01,2026-03,150%"), ("row 2", "over 100%")),
    Case("percent sign on a count", csv_bytes(LONG, "CON01,2026-03,12%"), ("row 2", "C (value)")),
    Case("value with a NUL", csv_bytes(LONG, "CON01,2026-03,1\x002"), ("row 2", "C (value)")),
    Case("month with a NUL", csv_bytes(LONG, "CON01,2026\x00-03,1"), ("row 2", "B (month)", "NUL")),
    Case("code with a bell", csv_bytes(LONG, "CON\x0701,2026-03,1"), ("row 2", "A (code)", "07")),
    Case(
        "a month twice",
        csv_bytes(LONG, "CON01,2026-03,12", "CON01,Mar-26,13"),
        ("row 3", "also on row 2"),
    ),
    Case("no value column", csv_bytes("code,month", "CON01,2026-03"), ("value", "missing")),
    Case("an unknown column", csv_bytes("code,month,value,colour", "CON01,2026-03,1"), ("D",)),
    Case(
        "wide layout, a header that is no month",
        csv_bytes("code,2026-03,Smarch-26", "CON01,12,13"),
        ("C (smarch_26)",),
    ),
    Case(
        "wide layout, a month twice",
        csv_bytes("code,2026-03,Mar-26", "CON01,12,13"),
        ("C",),
    ),
    Case("wide layout, a bad value", csv_bytes("code,2026-03", "CON01,lots"), ("row 2", "B")),
    Case("empty file", b"", ("code",)),
    Case("a PNG", b"\x89PNG\r\n", ("choose a CSV or XLSX",), filename="values.png"),
    Case("broken workbook", b"PK\x03\x04 broken", ("not a readable XLSX",), "values.xlsx"),
    Case(
        "workbook with an unknown code",
        xlsx(("Values", [["code", "month", "value"], ["NOPE1", "2026-03", 5]])),
        ("sheet 1", "row 2", "A (code)"),
        filename="values.xlsx",
    ),
]


@pytest.fixture
def indicators():
    from qa_app.data import indicators as indicator_data

    for definition in (
        {"code": "CON01", "name": "Contacts received", "unit": "count", "better": "neither"},
        {"code": "ASM01", "name": "Assessments", "unit": "percentage", "better": "higher"},
    ):
        indicator_data.create_indicator(definition, None)
    db.session.commit()


def test_bad_indicator_uploads_are_refused_cell_by_cell(client_as, indicators):
    lead = client_as(Role.QA_LEAD)
    checker = Checker()
    for bad in INDICATOR_CASES:
        send = upload(lead, "/indicators/upload", bad.data, bad.filename or "values.csv")
        checker.run(bad, send, lambda response, w=bad.where: page_refusal(response, w))
    checker.assert_all_behaved()


def test_bad_indicator_files_are_refused_by_the_command_too(app, indicators, tmp_path):
    runner = app.test_cli_runner()
    checker = Checker()
    # a file's name only comes from a person through the upload page
    by_content = [bad for bad in INDICATOR_CASES if "file's name" not in bad.where]
    for number, bad in enumerate(by_content):
        path = tmp_path / f"case{number}" / (bad.filename or "values.csv")
        path.parent.mkdir()
        path.write_bytes(bad.data)
        checker.run(
            Case(f"{bad.name} (command)", bad.data, bad.where),
            lambda p=path: runner.invoke(args=["qa", "import-indicators", str(p)]),
            lambda result, w=bad.where: cli_refusal(result, w, "Nothing was imported"),
        )
    checker.assert_all_behaved()


FILE_CASE_COUNT = len(CASE_LIST_CASES) + len(AUDIT_CASES) + len(INDICATOR_CASES)
