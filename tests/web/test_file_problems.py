"""The error summary of a refused upload (qa_app/web/file_problems.py): the file's first
problems, then the file box's own error, then how many more the table below lists."""

from qa_app.web.file_problems import SUMMARY_LIMIT, file_error_summary


def test_a_few_problems_are_all_in_the_summary_each_linking_to_the_file_box():
    errors = file_error_summary(["Row 2: enter the team", "Row 3: enter the team"], [])
    assert errors == [
        {"text": "Row 2: enter the team", "href": "#file"},
        {"text": "Row 3: enter the team", "href": "#file"},
    ]


def test_past_the_limit_the_summary_says_how_many_more_the_table_lists():
    problems = [f"Row {n}: enter the team" for n in range(2, SUMMARY_LIMIT + 4)]
    errors = file_error_summary(problems, [])
    assert len(errors) == SUMMARY_LIMIT + 1
    assert errors[-1] == {"text": "and 2 more problems, listed below"}
    one_more = file_error_summary(problems[: SUMMARY_LIMIT + 1], [])
    assert one_more[-1] == {"text": "and 1 more problem, listed below"}


def test_the_file_box_error_is_in_the_summary():
    errors = file_error_summary([], ["Choose a CSV or XLSX file to upload"])
    assert errors == [{"text": "Choose a CSV or XLSX file to upload", "href": "#file"}]
