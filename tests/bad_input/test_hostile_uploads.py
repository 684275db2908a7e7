"""Uploads built to take the service down (issue 14, item 3): workbooks small on the wire that
unpack to gigabytes, declare a sheet as wide and long as Excel allows, hold one enormous cell,
thousands of parts, styles or merged ranges, XML entities or deep nesting; CSV files of one
enormous row or a million blank lines; templates that expand. Each is refused, naming the
limit (qa_app.imports.limits), through the real page or command, and nothing is stored.

The files are built here (tests/bad_input/hostile_files.py), at sizes just over the limits;
benchmarks/hostile_uploads.py sends the issue's own sizes and measures time and memory."""

import io

import pytest

from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Role
from tests.bad_input import hostile_files as hostile
from tests.bad_input import hostile_text as text
from tests.bad_input.support import REPO, Case, Checker, cli_refusal, page_refusal, upload
from tests.bad_input.test_bad_files import indicators  # noqa: F401 - a fixture
from tests.cycles.cycle_factory import make_cycle
from tests.imports.support import team_and_auditor

X = "cases.xlsx"
UNPACKED = "the workbook unpacks to more than 100 MB"
PACKED = "times its packed size"


def _bytes(case: Case) -> bytes:
    return case.data() if callable(case.data) else case.data


# ---- case lists and indicator values: the web pages' limits (limits.UPLOAD) -------------

UPLOAD_CASES = [
    Case(
        "(a) a sheet declaring A1:XFD1048576, with a cell in the far corner",
        hostile.far_dimension,
        ("row 1,048,576", "at most 50,000 rows are read, blank ones included"),
        X,
    ),
    Case("(b) 120 MB of empty rows", lambda: hostile.empty_rows(20_000_000), (UNPACKED,), X),
    Case("(c) a cell of 120 MB", lambda: hostile.big_shared_string(120_000_000), (UNPACKED,), X),
    Case(
        "a shared text over a million characters",
        lambda: hostile.big_shared_string(1_000_001, stored=True),
        ("a cell holds more than 1,000,000 characters",),
        X,
    ),
    Case(
        "an inline text over a million characters",
        lambda: hostile.big_inline_string(1_000_001, stored=True),
        ("row 2", "a cell holds more than 1,000,000 characters"),
        X,
    ),
    Case(
        "60,000 empty rows",
        lambda: hostile.empty_rows(60_000),
        ("row 50,001", "at most 50,000 rows are read"),
        X,
    ),
    Case(
        "a cell in column XFD",
        lambda: hostile.far_cells(3),
        ("row 2 has a cell in column XFD", "at most 200 columns are read"),
        X,
    ),
    Case("a row of a million empty cells", lambda: hostile.wide_row(1_000_000), (PACKED,), X),
    Case(
        "a row of 201 empty cells",
        lambda: hostile.wide_row(201),
        ("row 2 has a cell in column GS", "at most 200 columns"),
        X,
    ),
    Case(
        "300,000 cells",
        lambda: hostile.dense_cells(50_000, 6),
        ("more than 250,000 cells",),
        X,
    ),
    Case(
        "100,001 pieces of shared text",
        lambda: hostile.many_shared_strings(100_001, stored=True),
        ("more than 100,000 different pieces of text",),
        X,
    ),
    Case(
        "20,001 cell styles",
        lambda: hostile.many_styles(20_001, stored=True),
        ("'xl/styles.xml' has more than 20,000 XML elements",),
        X,
    ),
    Case(
        "20,001 merged ranges",
        lambda: hostile.merged_cells(20_001, stored=True),
        ("more than 20,000 XML elements outside its rows",),
        X,
    ),
    Case("1,001 sheets", lambda: hostile.many_sheets(1_001), ("more than 1,000 files",), X),
    Case("a zip of 1,001 files", lambda: hostile.many_members(1_001), ("1,000 files",), X),
    Case("XML entities", hostile.entity_expansion, ("declares a document type",), X),
    Case("XML 101 levels deep", lambda: hostile.deep_nesting(101), ("100 levels deep",), X),
    Case("a 2 MB tag", lambda: hostile.long_tag(2_000_000), ("tag longer than 1 MB",), X),
    Case("a part packed with bzip2", hostile.bzip2_part, ("packed in a way",), X),
    Case(
        "a part lying about its size",
        lambda: hostile.lying_size(10_000_000),
        ("not a readable XLSX workbook",),
        X,
    ),
    Case(
        "a CSV row of 1.1 million cells",
        lambda: text.csv_wide_row(1_100_000),
        ("line 3 of the file holds more than 2,000,000 characters",),
        "cases.csv",
    ),
    Case(
        "a CSV line of 3 million characters",
        lambda: text.csv_long_line(3_000_000),
        ("line 2 of the file holds more than 2,000,000 characters",),
        "cases.csv",
    ),
    Case(
        "a CSV of 60,000 blank lines",
        lambda: text.csv_many_blank_lines(60_000),
        ("row 50,001", "at most 50,000 rows"),
        "cases.csv",
    ),
    Case(
        "a CSV of 273,000 cells",
        lambda: text.csv_dense(19_500, notes=8),
        ("more than 250,000 cells",),
        "cases.csv",
    ),
]


def test_hostile_case_lists_are_refused_naming_the_limit(client_as, loaded_templates):
    save_team("MASH", None, True, actor=None)
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    url = f"/cycles/{make_cycle().id}/case-list"
    checker = Checker()
    for bad in UPLOAD_CASES:
        send = upload(lead, url, _bytes(bad), bad.filename)

        def judge(response, where=bad.where):
            status = [] if response.status_code == 200 else [f"answered {response.status_code}"]
            return status + page_refusal(response, where)

        checker.run(bad, send, judge)
    checker.assert_all_behaved()


def test_hostile_indicator_uploads_are_refused_naming_the_limit(client_as, indicators):  # noqa: F811
    lead = client_as(Role.QA_LEAD)
    checker = Checker()
    for bad in UPLOAD_CASES:
        send = upload(lead, "/indicators/upload", _bytes(bad), bad.filename)

        def judge(response, where=bad.where):
            status = [] if response.status_code == 400 else [f"answered {response.status_code}"]
            return status + page_refusal(response, where)

        checker.run(bad, send, judge)
    checker.assert_all_behaved()


def test_hostile_indicator_files_are_refused_by_the_command(app, indicators, tmp_path):  # noqa: F811
    runner = app.test_cli_runner()
    checker = Checker()
    for number, bad in enumerate(UPLOAD_CASES):
        path = tmp_path / str(number) / bad.filename
        path.parent.mkdir()
        path.write_bytes(_bytes(bad))
        checker.run(
            bad,
            lambda p=path: runner.invoke(args=["qa", "import-indicators", str(p)]),
            lambda result, w=bad.where: cli_refusal(result, w, "Nothing was imported"),
        )
    checker.assert_all_behaved()


def test_a_file_bigger_than_the_limit_is_not_read_by_the_command(app, indicators, tmp_path):  # noqa: F811
    path = tmp_path / "values.csv"
    with path.open("wb") as file:
        file.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    result = app.test_cli_runner().invoke(args=["qa", "import-indicators", str(path)])
    assert cli_refusal(result, ("the file is bigger than 20 MB",), "Nothing was imported") == []


# ---- historic audits: the command's limits (limits.HISTORIC) ----------------------------

HISTORIC_CASES = [
    Case(
        "(a) a sheet declaring A1:XFD1048576, with a cell in the far corner",
        hostile.far_dimension,
        ("row 1,048,576", "at most 250,000 rows are read"),
        "audits.xlsx",
    ),
    Case("(b) 120 MB of empty rows", lambda: hostile.empty_rows(20_000_000), (PACKED,), "a.xlsx"),
    Case("(c) a 120 MB cell", lambda: hostile.big_shared_string(120_000_000), (PACKED,), "a.xlsx"),
    Case(
        "a shared text over a million characters",
        lambda: hostile.big_shared_string(1_000_001, stored=True),
        ("a cell holds more than 1,000,000 characters",),
        "a.xlsx",
    ),
    Case("a cell in column XFD", lambda: hostile.far_cells(3), ("column XFD",), "a.xlsx"),
    Case("XML entities", hostile.entity_expansion, ("declares a document type",), "a.xlsx"),
    Case("a zip of 1,001 files", lambda: hostile.many_members(1_001), ("1,000 files",), "a.xlsx"),
    Case(
        "a CSV row of 1.1 million cells",
        lambda: text.csv_wide_row(1_100_000),
        ("line 3 of the file holds more than 2,000,000 characters",),
        "audits.csv",
    ),
]


def test_hostile_audit_imports_are_refused_naming_the_limit(
    app, make_user, loaded_templates, tmp_path
):
    team_and_auditor(make_user)
    runner = app.test_cli_runner()
    checker = Checker()
    for number, bad in enumerate(HISTORIC_CASES):
        path = tmp_path / str(number) / bad.filename
        path.parent.mkdir()
        path.write_bytes(_bytes(bad))
        args = ["qa", "import-audits", str(path), "--template", "single_assessment"]
        checker.run(
            bad,
            lambda args=args: runner.invoke(args=args),
            lambda result, w=bad.where: cli_refusal(result, w, "Nothing was imported"),
        )
    checker.assert_all_behaved()


# ---- audit templates (YAML), through `flask qa templates load` ----------------------------

TEMPLATE_CASES = [
    Case("a template of 300 KB", text.yaml_huge(30_000), ("bigger than 256 KB",)),
    Case("a billion laughs", text.yaml_laughs(9), ("document is too large",)),
    Case("nested 100,000 deep", text.yaml_deep(100_000), ("nested too deeply",)),
]


@pytest.fixture
def library(tmp_path):
    import shutil

    from qa_app.data.templates import store_library
    from qa_app.templates_engine.validate import validate_path

    folder = tmp_path / "audit_templates"
    folder.mkdir()
    for name in ("scales.yaml", "themes.yaml"):
        shutil.copy(REPO / "audit_templates" / name, folder)
    shutil.copy(REPO / "tests" / "bad_input" / "corpus" / "good_template.yaml", folder)
    stored, problems = validate_path(folder)
    assert not problems, problems
    store_library(stored)
    db.session.commit()
    return folder


def test_hostile_templates_are_refused_and_nothing_is_loaded(app, library):
    runner = app.test_cli_runner()
    checker = Checker()
    for number, bad in enumerate(TEMPLATE_CASES):
        path = library / f"zz_{number}.yaml"
        path.write_text(bad.data)
        checker.run(
            bad,
            lambda: runner.invoke(args=["qa", "templates", "load", str(library)]),
            lambda result, w=bad.where: cli_refusal(result, w, "Nothing was loaded"),
        )
        path.unlink()
    checker.assert_all_behaved()


def test_a_case_list_as_big_as_allowed_still_uploads(client_as, loaded_templates):
    """20,000 cases (the most one upload takes) as an XLSX workbook: read whole and stored."""
    from openpyxl import Workbook
    from sqlalchemy import func, select

    from qa_app.models import CycleCase

    save_team("MASH", None, True, actor=None)
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    cycle = make_cycle()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["case_reference", "team", "worker", "legal_status", "age_band", "date_opened"])
    for n in range(20_000):
        sheet.append([f"{3000000 + n}", "MASH", f"SW {n % 300}", "CIN", "0-4", "2025-04-01"])
    out = io.BytesIO()
    workbook.save(out)
    response = upload(lead, f"/cycles/{cycle.id}/case-list", out.getvalue(), "cases.xlsx")()
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    on_list = select(func.count()).select_from(CycleCase).where(CycleCase.cycle_id == cycle.id)
    assert db.session.scalar(on_list) == 20_000
