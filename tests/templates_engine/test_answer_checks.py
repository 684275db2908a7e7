"""Checks between answers, evaluated without a database: a contradiction never passes, a
consistent pair is never refused, every error names its section, question and block."""

import copy
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_app.templates_engine.answer_checks import check_failures
from qa_app.templates_engine.answers import Value, parse
from qa_app.templates_engine.content import version_content
from qa_app.templates_engine.validate import validate_path

HERE = Path(__file__).parent
TODAY = date(2026, 12, 7)

TEMPLATE = """\
key: checked
name: Checked
scale: ofsted4
sections:
  - key: core_groups
    title: Core groups
    questions:
      - {key: due, type: number, text: Meetings due, min: 0}
      - {key: held, type: number, text: Meetings held in timescale, min: 0}
      - {key: referral_date, type: date, text: Date of referral}
      - {key: start_date, type: date, text: Date the assessment started}
      - {key: father_seen, type: yes_partly_no, text: "Was the father seen?"}
      - {key: father_details, type: text, text: What was seen, required: false}
      - key: report
        type: repeat
        text: Reports
        repeat_label: Agency
        options: [{key: police, label: Police}, {key: school, label: School}]
        questions:
          - {key: report_due, type: number, text: Reports due}
          - {key: report_given, type: number, text: Reports given}
    checks:
      - {kind: at_most, question: held, limit: due,
         message: "the meetings held in timescale ({value}) cannot be more than
           the meetings due ({other})"}
      - {kind: dates_in_order, first: referral_date, then: start_date}
      - {kind: not_in_future, question: start_date}
      - {kind: required_if, question: father_details, when: {question: father_seen, is: yes}}
      - {kind: at_most, question: report_given, limit: report_due}
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("checked") / "checked.yaml"
    path.write_text(TEMPLATE)
    library, problems = validate_path(path, vocabulary_dir=HERE / "vocab")
    assert problems == []
    return version_content(library.templates["checked"], library.scales, library.themes)


def number(n: int) -> Value:
    return Value(text=str(n), number=float(n))


def day(d: date) -> Value:
    return Value(text=d.isoformat(), date=d)


def test_more_held_than_due_names_the_section_and_both_answers(checked):
    failures = check_failures(
        checked, {("", 0, "held"): number(5), ("", 0, "due"): number(4)}, today=TODAY
    )
    assert [(f.field, f.message) for f in failures] == [
        (
            "q__held",
            "Core groups: the meetings held in timescale (5) cannot be more than the meetings"
            " due (4)",
        )
    ]


def test_a_check_inside_a_repeat_group_names_its_block(checked):
    answers = {
        ("report", 0, "report_due"): number(2),
        ("report", 0, "report_given"): number(2),
        ("report", 1, "report_due"): number(1),
        ("report", 1, "report_given"): number(3),
    }
    failures = check_failures(checked, answers, today=TODAY)
    assert [f.field for f in failures] == ["r__report__1__report_given"]
    assert failures[0].message.startswith("Core groups (block 2): the answer to “Reports given”")
    assert "(3) cannot be more than the answer to “Reports due” (1)" in failures[0].message


def test_dates_out_of_order_and_in_the_future_are_refused_by_the_later_date(checked):
    answers = {
        ("", 0, "referral_date"): day(date(2026, 3, 5)),
        ("", 0, "start_date"): day(date(2026, 12, 8)),
    }
    assert check_failures(checked, answers, today=TODAY)[0].message == (
        "Core groups: the answer to “Date the assessment started” (8 December 2026) cannot be"
        " in the future"
    )
    answers[("", 0, "start_date")] = day(date(2026, 3, 4))
    failure = check_failures(checked, answers, today=TODAY)[0]
    assert failure.field == "q__start_date"
    assert "(4 March 2026) cannot be before the answer to “Date of referral” (5 March 2026)" in (
        failure.message
    )


def test_required_if_waits_for_submit_and_a_half_finished_section_is_no_contradiction(checked):
    answers = {("", 0, "father_seen"): parse({"type": "yes_partly_no"}, "yes")}
    assert check_failures(checked, answers, today=TODAY, on_save=True) == []
    [failure] = check_failures(checked, answers, today=TODAY)
    assert failure.field == "q__father_details"
    assert failure.message.endswith("is Yes")
    # only one of two numbers, or a number that does not parse: nothing to compare yet
    half = {("", 0, "held"): number(9), ("", 0, "due"): Value(text="four")}
    assert check_failures(checked, half, today=TODAY) == []


def test_a_version_stored_before_checks_existed_has_none_to_fail(checked):
    old = {**checked, "template": {**checked["template"], "sections": []}}
    old["template"]["sections"] = [
        {k: v for k, v in s.items() if k != "checks"} for s in checked["template"]["sections"]
    ]
    answers = {("", 0, "held"): number(5), ("", 0, "due"): number(4)}
    assert check_failures(old, answers, today=TODAY) == []


counts = st.integers(min_value=0, max_value=10_000)
days = st.dates(min_value=date(1990, 1, 1), max_value=TODAY)


@given(held=counts, due=counts)
def test_at_most_refuses_exactly_the_contradictions(checked, held, due):
    answers = {("", 0, "held"): number(held), ("", 0, "due"): number(due)}
    fields = [f.field for f in check_failures(checked, answers, today=TODAY)]
    assert fields == (["q__held"] if held > due else [])


@given(first=days, then=days, ahead=st.integers(min_value=0, max_value=400))
def test_dates_refuse_exactly_the_contradictions(checked, first, then, ahead):
    later = then + timedelta(days=ahead)
    answers = {("", 0, "referral_date"): day(first), ("", 0, "start_date"): day(later)}
    failures = check_failures(checked, answers, today=TODAY)
    expected = (later < first) + (later > TODAY)
    assert len(failures) == expected
    assert all(f.field == "q__start_date" for f in failures)


@given(
    answer=st.sampled_from(["yes", "partly", "no", "not_applicable", None]),
    details=st.one_of(st.none(), st.text(min_size=1).filter(str.strip)),
)
def test_required_if_refuses_exactly_a_yes_without_the_answer_it_needs(checked, answer, details):
    answers = {}
    if answer is not None:
        answers[("", 0, "father_seen")] = Value(text=answer)
    if details is not None:
        answers[("", 0, "father_details")] = Value(text=details)
    fields = [f.field for f in check_failures(checked, answers, today=TODAY)]
    assert fields == (["q__father_details"] if answer == "yes" and details is None else [])
    assert check_failures(checked, answers, today=TODAY, on_save=True) == []


def test_a_stored_message_with_a_format_spec_comes_out_as_written_never_padded(checked):
    """A version stored before the validator refused format specs: the message is substituted
    with str.replace, so '{value:>99999999}' stays those characters, not 99,999,999 spaces."""
    content = copy.deepcopy(checked)
    check = content["template"]["sections"][0]["checks"][0]
    check["message"] = "{value:>99999999}{other!r} held {value}, due {other}"
    failures = check_failures(
        content, {("", 0, "held"): number(5), ("", 0, "due"): number(4)}, today=TODAY
    )
    assert failures[0].message == "Core groups: {value:>99999999}{other!r} held 5, due 4"
