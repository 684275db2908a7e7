"""No problem repeats a cell's text (qa_app.imports.tabular.without_cell_text): whatever is
typed in the wrong column (a child's name), the case-list check names row and column only."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.imports.case_lists import check_case_list
from qa_app.imports.tabular import ImportProblem, Sheet, without_cell_text

NAMES = st.text(
    alphabet=st.characters(categories=("Lu", "Ll"), max_codepoint=0x24F), min_size=2, max_size=20
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=NAMES, last=NAMES)
def test_a_name_in_any_column_of_a_case_list_is_never_repeated(app, first, last):
    name = f"{first} {last}"
    for row in (
        f"{first}{last},MASH,,",
        f"{name},MASH,,",
        f"123456,{name},,",
        f"123456,MASH,,{name}",
    ):
        checked = check_case_list(
            "cases.csv", f"case_reference,team,worker,date_opened\n{row}\n".encode()
        )
        assert checked.problems
        for problem in checked.problems:
            assert name not in str(problem), str(problem)


def test_numbers_and_dates_are_still_quoted_and_other_rows_untouched():
    sheet = Sheet("s", ["a"], [(2, {"a": "Jane"}), (3, {"a": "31/02/2024"})])
    problems = [
        ImportProblem("s", 2, "a", "'Jane' is not a date"),
        ImportProblem("s", 3, "a", "'31/02/2024' is not a date"),
        ImportProblem("s", 1, "a", "'Jane' unknown column"),
    ]
    assert [p.message for p in without_cell_text(problems, [sheet])] == [
        "the cell's text is not a date",
        "'31/02/2024' is not a date",
        "'Jane' unknown column",
    ]
