"""The change log as people read it: labels for stored keys, dates in words, names for ids."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from qa_app.models.improvement import ActionStatus
from qa_app.rules.change_words import change_lines, field_label, value_text


def test_a_status_change_reads_in_the_labels_the_pages_use():
    (line,) = change_lines({"status": ["at_risk", "on_track"]})
    assert (line.label, line.old, line.new) == ("Status", "At risk", "On track")


def test_dates_ids_and_lists_read_as_words_names_and_labels():
    lines = change_lines(
        {
            "due_date": ["2027-01-01", "2027-02-01"],
            "owner_id": [2, 5],
            "themes": [["voice_of_child"], ["voice_of_child", "early_help"]],
            "update": 7,  # an id the page shows otherwise
            "note": "Not a change: a single value",
        },
        {"owner_id": {2: "Sam Auditor", 5: "Ola Manager"}, "themes": {"voice_of_child": "Voice"}},
    )
    assert [(x.label, x.old, x.new) for x in lines] == [
        ("Due date", "1 January 2027", "1 February 2027"),
        ("Owner", "Sam Auditor", "Ola Manager"),
        ("Themes", "Voice", "Voice, early_help"),
    ]
    assert value_text("started_on", None) == "none"
    assert value_text("started_on", date(2026, 12, 7)) == "7 December 2026"
    assert field_label("review_date") == "Review date" and field_label("cycle_id") == "Cycle"


@given(st.sampled_from(list(ActionStatus)), st.sampled_from(list(ActionStatus)))
def test_no_status_key_reaches_the_page(old, new):
    (line,) = change_lines({"status": [str(old), str(new)]})
    assert "_" not in line.old + line.new
    assert (line.old, line.new) == (old.label, new.label)
