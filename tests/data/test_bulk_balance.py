"""Sharing audits among auditors (qa_app/data/bulk_balance.py): for every mix of case teams,
auditors' teams, starting loads and capacities, no audit goes to an auditor of its own team,
and no audit sits with an auditor who has more than one open audit above another chosen
auditor who could have taken it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.data.bulk_balance import FULL, OWN_TEAM, balance

TEAMS = st.one_of(st.none(), st.integers(1, 4))


@st.composite
def cases(draw):
    auditor_count = draw(st.integers(1, 6))
    auditors = [
        (auditor_id, frozenset(draw(st.sets(st.integers(1, 4), max_size=2))))
        for auditor_id in range(100, 100 + auditor_count)
    ]
    items = [(f"audit-{i}", draw(TEAMS)) for i in range(draw(st.integers(0, 40)))]
    loads = {a: draw(st.integers(0, 6)) for a, _ in auditors}
    capacity = draw(st.one_of(st.none(), st.integers(1, 12)))
    return items, auditors, loads, capacity


@settings(max_examples=300, deadline=None)
@given(cases())
def test_no_own_team_and_loads_even_where_the_rule_allows(case):
    items, auditors, loads, capacity = case
    teams = dict(auditors)
    result = balance(items, auditors, loads, capacity)
    team_of = dict(items)
    assert set(result.placed) | set(result.unplaced) == set(team_of)
    assert not set(result.placed) & set(result.unplaced)
    final = dict(loads)
    for auditor in result.placed.values():
        final[auditor] += 1
    assert final == result.loads
    for key, auditor in result.placed.items():
        assert team_of[key] is None or team_of[key] not in teams[auditor]  # never own team
        for other, their_teams in auditors:
            if team_of[key] is None or team_of[key] not in their_teams:
                assert final[auditor] <= final[other] + 1, (key, auditor, other)
    for auditor, _ in auditors:
        given_now = final[auditor] - loads[auditor]
        if capacity is not None and given_now:
            assert final[auditor] <= capacity
    for key, reason in result.unplaced.items():
        allowed = [a for a, t in auditors if team_of[key] is None or team_of[key] not in t]
        if reason == OWN_TEAM:
            assert not allowed
        else:
            assert reason == FULL and capacity is not None and allowed
            assert all(final[a] >= capacity for a in allowed)


def test_fewest_loaded_first_and_ties_in_the_given_order():
    result = balance(
        [("x", None), ("y", None), ("z", None)], [(1, frozenset()), (2, frozenset())], {1: 1}
    )
    assert result.placed == {"x": 2, "y": 1, "z": 2}
    assert result.loads == {1: 2, 2: 2}


def test_topping_up_to_a_capacity_leaves_the_rest_and_says_why():
    result = balance(
        [(n, 7) for n in "abcde"], [(1, frozenset()), (2, frozenset({7}))], {1: 6}, capacity=8
    )
    assert result.placed == {"a": 1, "b": 1}
    assert result.unplaced == {"c": FULL, "d": FULL, "e": FULL}
