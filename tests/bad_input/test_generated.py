"""Generated bad input (hypothesis): malformed case-list rows, indicator values, template YAML
and form values. The same promises as the hand-written corpus: never a 500 or a crash; a
refusal names the row, line or field; a refused input changes nothing.

Kept small and fast: 25 examples each, no deadline. Each test signs in and sets up once, then
runs its examples (an inner @given function) against that client and database."""

import csv
import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.data import indicators as indicator_data
from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.rules.control_characters import has_control_characters
from qa_app.templates_engine.validate import validate_path
from tests.bad_input.snapshot import changes, dump
from tests.bad_input.support import REPO, error_summary, page_text, upload
from tests.cycles.cycle_factory import make_cycle
from tests.helpers import csrf_token

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example database in the working tree
)

# any text a spreadsheet cell might hold, control characters included (NUL too: a file with
# one in a cell is refused, naming its row and column)
cell_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
not_a_reference = cell_text.filter(
    lambda t: t.strip() and not re.fullmatch(r"\s*[0-9]{6,10}\s*", t)
)  # a row with nothing in it is skipped, not refused


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _assert_refused(response, before: dict, words: list[str]) -> None:
    assert response.status_code in (200, 400), f"answered {response.status_code}"
    text = page_text(response)
    assert "There is a problem" in text
    for word in words:
        assert word in text, f"the page does not say {word!r}"
    assert changes(before, dump()) == {}


# ---- case lists -------------------------------------------------------------------------


def test_generated_bad_case_list_rows_are_refused_naming_a_row(client_as, loaded_templates):
    save_team("MASH", None, True, actor=None)
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    url = f"/cycles/{make_cycle().id}/case-list"

    @FAST
    @given(
        bad=st.lists(st.tuples(not_a_reference, cell_text, cell_text), min_size=1, max_size=5),
        good=st.integers(0, 3),
    )
    def check(bad, good):
        body = [["case_reference", "team", "date_opened"]]
        body += [[f"20000{n:02d}", "MASH", ""] for n in range(good)]
        body += [list(row) for row in bad]
        before = dump()
        response = upload(lead, url, _csv(body), "cases.csv")()
        # a blank generated line is skipped and a control character refuses the file naming
        # its own row, so the row named is not always the first bad one: only that a row is
        # named is certain
        _assert_refused(response, before, ["row "])

    check()


# ---- indicator values -------------------------------------------------------------------

bad_value = cell_text.filter(lambda t: _not_a_value(t))


def _not_a_value(text: str) -> bool:
    from qa_app.imports.indicators import parse_value

    value, why = parse_value(text, "count")
    return why is not None


def test_generated_bad_indicator_values_are_refused_naming_row_and_column(client_as):
    indicator_data.create_indicator(
        {"code": "CON01", "name": "Contacts received", "unit": "count", "better": "neither"},
        None,
    )
    db.session.commit()
    lead = client_as(Role.QA_LEAD)

    @FAST
    @given(values=st.lists(bad_value, min_size=1, max_size=4))
    def check(values):
        body = [["code", "month", "value"]]
        body += [["CON01", f"2025-{n + 1:02d}", v] for n, v in enumerate(values)]
        before = dump()
        response = upload(lead, "/indicators/upload", _csv(body), "values.csv")()
        odd = any(has_control_characters(v) or "\r" in v for v in values)
        words = ["row "] if odd else ["row 2"]
        _assert_refused(response, before, words)

    check()


# ---- template YAML ----------------------------------------------------------------------

MINI = (REPO / "tests" / "bad_input" / "corpus" / "good_template.yaml").read_text()


def test_generated_yaml_damage_is_reported_at_a_line_of_the_file(tmp_path):
    lines = MINI.splitlines(keepends=True)

    @FAST
    @given(
        at=st.integers(0, len(lines)),
        junk=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30),
        drop=st.integers(0, 2),
    )
    def check(at, junk, drop):
        text = "".join(lines[:at]) + junk + "\n" + "".join(lines[at + drop :])
        path = tmp_path / "damaged.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        library, problems = validate_path(path, vocabulary_dir=REPO / "audit_templates")
        count = text.count("\n") + 1
        for problem in problems:
            assert problem.file == str(path)
            assert 0 <= problem.line <= count, problem
            assert problem.message.strip()
        if problems:
            assert library.templates == {}

    check()


# ---- form values ------------------------------------------------------------------------

# any text, control characters and NUL included, and whole numbers of any length up to 400
# digits (a form refuses what it cannot hold, naming the field)
form_text = st.one_of(
    cell_text,
    st.integers(-(10**400), 10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "31", "02", "0", "-1", "1e999", "nan", "١٢", "2026-02-30"]),
)


def test_generated_indicator_definitions_never_fail_and_refusals_change_nothing(client_as):
    lead = client_as(Role.QA_LEAD)

    @FAST
    @given(
        code=form_text,
        unit=form_text,
        target=form_text,
        tolerance=form_text,
        england_year=form_text,
        position=form_text,
    )
    def check(code, unit, target, tolerance, england_year, position):
        data = {
            "csrf_token": csrf_token(lead, "/indicators/new"),
            "code": code,
            "name": "Generated",
            "unit": unit,
            "better": "higher",
            "target": target,
            "tolerance": tolerance,
            "england_value": "",
            "england_year": england_year,
            "position": position,
        }
        before = dump()
        response = lead.post("/indicators/new", data=data)
        assert response.status_code < 500, f"answered {response.status_code} to {data}"
        if response.status_code != 302:
            assert 'href="#' in error_summary(response), "refused without naming a field"
            assert changes(before, dump()) == {}

    check()


def test_generated_cycle_forms_never_fail_and_refusals_change_nothing(client_as, loaded_templates):
    from qa_app.data.templates import get_template

    lead = client_as(Role.QA_LEAD)
    template_id = str(get_template("single_assessment").id)
    date_part = st.one_of(form_text, st.integers(0, 40).map(str))

    @FAST
    @given(
        name=form_text,
        kind=st.one_of(form_text, st.sampled_from(["themed", "routine"])),
        start=st.lists(date_part, min_size=3, max_size=3),
        end=st.lists(date_part, min_size=3, max_size=3),
        share=form_text,
        templates=st.one_of(form_text, st.just(template_id)),
    )
    def check(name, kind, start, end, share, templates):
        data = {
            "csrf_token": csrf_token(lead, "/cycles/new"),
            "name": name,
            "kind": kind,
            "period_start": start,
            "period_end": end,
            "due_date": ["31", "10", "2026"],
            "templates": [templates],
            "moderation_share": share,
        }
        before = dump()
        response = lead.post("/cycles/new", data=data)
        assert response.status_code < 500, f"answered {response.status_code} to {data}"
        if response.status_code != 302:
            assert 'href="#' in error_summary(response), "refused without naming a field"
            assert changes(before, dump()) == {}

    check()
