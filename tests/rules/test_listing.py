"""A list's state read from any query string: whatever is asked, the state is one the list
allows (unknown sorts, directions, filters and pages fall back to the defaults)."""

from hypothesis import given
from hypothesis import strategies as st

from qa_app.rules.listing import ListSpec, page_count, read_state

SPEC = ListSpec(
    sorts={"case": "Case", "due": "Due"},
    default_sort="due",
    filters={"status": frozenset({"open", "closed"}), "team": None},
    page_size=10,
)
KEYS = st.sampled_from(["sort", "direction", "status", "team", "page", "other"])


VALUES = st.one_of(
    st.sampled_from(["case", "due", "asc", "desc", "open", "closed", "1", "2", "0", "-1", " 7 "]),
    st.text(max_size=40),
)


@given(st.dictionaries(KEYS, VALUES))
def test_any_query_string_gives_a_state_the_list_allows(args):
    state = read_state(SPEC, args)
    assert state.sort in SPEC.sorts
    assert state.direction in ("asc", "desc")
    assert set(state.filters) <= {"status", "team"}
    assert state.filters.get("status", "open") in ("open", "closed")
    assert state.filters.get("team", "1").isdigit()
    assert 1 <= state.page <= 1_000_000
    assert read_state(SPEC, state.args()) == state  # the address recreates the state


def test_a_hostile_or_unknown_value_falls_back_to_the_default():
    state = read_state(
        SPEC,
        {
            "sort": "password_hash",
            "direction": "sideways",
            "status": "<b>",
            "page": "-3",
            "team": "1; drop table audits",
        },
    )
    assert (state.sort, state.direction, dict(state.filters), state.page) == ("due", "asc", {}, 1)
    assert read_state(SPEC, {"page": "9" * 400}).page == 1


def test_a_column_header_sorts_by_it_then_the_other_way_round():
    state = read_state(SPEC, {"status": "open", "page": "3"})
    assert state.sorted_by("case") == {"status": "open", "sort": "case", "direction": "asc"}
    by_case = read_state(SPEC, state.sorted_by("case"))
    assert by_case.aria_sort("case") == "ascending" and by_case.aria_sort("due") == "none"
    assert read_state(SPEC, by_case.sorted_by("case")).aria_sort("case") == "descending"


def test_an_empty_list_has_one_page_and_a_part_page_counts_as_one():
    assert page_count(0, 10) == 1 and page_count(21, 10) == 3
