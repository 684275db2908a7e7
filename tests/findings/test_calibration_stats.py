"""Calibration statistics against published worked examples, and their properties."""

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.findings import calibration_stats as cs

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", the example with 4
# observers, 12 units and missing values (values 1 to 5; None: not rated). The same data are
# Gwet's "4 raters" example in the Handbook of Inter-Rater Reliability.
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
UNITS = [[row[j] - 1 for row in OBSERVERS if row[j] is not None] for j in range(12)]


def test_nominal_alpha_is_krippendorffs_published_0_743():
    estimate = cs.krippendorff_alpha(UNITS, 5, ordinal=False)
    assert estimate.value == pytest.approx(0.743, abs=0.0005)


def test_the_package_gives_krippendorffs_published_interval_alpha_0_849():
    data = np.array([[np.nan if v is None else v for v in row] for row in OBSERVERS], float)
    value = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    assert value == pytest.approx(0.849, abs=0.0005)


@pytest.mark.parametrize("ordinal", [False, True])
def test_alpha_from_the_pairs_equals_the_packages(ordinal):
    """The bootstrap resamples pairs; at no resampling it must give the package's alpha."""
    assert cs.alpha_from_pairs(UNITS, 5, ordinal) == pytest.approx(
        cs.krippendorff_alpha(UNITS, 5, ordinal).value
    )


def test_gwet_ac1_is_the_handbooks_0_775_on_the_same_data():
    """Gwet's Handbook (4th ed.) on these data: pa = 0.818, pe = 0.190, AC1 = 0.775 (the
    irrCAC package's tests hold the same figures)."""
    assert cs.gwet_ac1(UNITS, 5).value == pytest.approx(0.775, abs=0.0005)


def test_percentage_agreement_counts_agreeing_pairs():
    # unit 1: 3 pairs agree; unit 2: 3 of 6 agree; a unit with one answer has no pairs
    assert cs.percentage_agreement([[0, 0, 0], [1, 1, 1, 2], [3]]) == pytest.approx(6 / 9)


def test_the_bootstrap_interval_is_stable_and_holds_alpha():
    low, high = cs.alpha_interval(UNITS, 5, ordinal=False)
    assert (low, high) == cs.alpha_interval(UNITS, 5, ordinal=False)
    assert low <= 0.743 <= high <= 1


def test_undefined_alpha_says_why():
    same = cs.krippendorff_alpha([[1, 1, 1], [1, 1]], 4, ordinal=True)
    assert same.value is None and "Everyone gave the same answer" in same.reason
    alone = cs.krippendorff_alpha([[1], [2]], 4, ordinal=True)
    assert alone.value is None and "Fewer than two" in alone.reason
    assert cs.alpha_interval([[1, 1]], 4, ordinal=True) is None
    assert cs.gwet_ac1([[1, 1, 1]], 4).value == 1
    assert cs.gwet_ac1([[1]], 4).value is None


def _item(units, agreed=None, ordinal=True):
    return cs.ItemRatings(
        "s", "Section", ordinal, ("Outstanding", "Good", "RI", "Inadequate"), units, agreed or {}
    )


def test_outliers_are_two_steps_from_the_agreed_grade_or_the_most_common():
    item = _item({10: {1: 1, 2: 1, 3: 3}, 11: {1: 0, 2: 1, 3: 1}})
    assert [(o.auditor_id, o.case_id) for o in cs.far_answers(item)] == [(3, 10)]
    agreed = _item({10: {1: 1, 2: 1, 3: 3}}, agreed={10: 3})
    assert [o.auditor_id for o in cs.far_answers(agreed)] == [1, 2]


def test_distance_from_the_agreed_grades():
    items = [_item({10: {1: 1, 2: 3}}, {10: 1}), _item({10: {1: 0, 2: 0}}, {10: 0})]
    by = {d.auditor_id: d for d in cs.distances(items)}
    assert by[1].mean_steps == 0 and by[1].matching == 2
    assert by[2].mean_steps == 1 and by[2].matching == 1 and by[2].compared == 2


def test_an_auditor_against_the_majority_on_most_items():
    items = [_item({10: {1: 1, 2: 1, 3: 3}}), _item({11: {1: 0, 2: 0, 3: 2}})]
    assert cs.against_the_majority(items) == {3: (2, 2)}


units_strategy = st.lists(
    st.lists(st.integers(0, 3), min_size=0, max_size=6), min_size=1, max_size=8
)


@settings(max_examples=60, deadline=None)
@given(units_strategy)
def test_agreement_is_a_share(units):
    value = cs.percentage_agreement(units)
    assert value is None or 0 <= value <= 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(2, 5)), min_size=2, max_size=8))
def test_alpha_is_one_when_everyone_agrees_on_varied_cases(cases):
    units = [[value] * raters for value, raters in cases]
    if len({value for value, _ in cases}) < 2:
        return
    for ordinal in (False, True):
        assert cs.krippendorff_alpha(units, 4, ordinal).value == pytest.approx(1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), min_size=1, max_size=8))
def test_ac1_does_not_depend_on_the_raters_order(rows):
    one = cs.gwet_ac1(rows, 4).value
    other = cs.gwet_ac1([list(reversed(r)) for r in rows], 4).value
    assert one is not None and other is not None and math.isclose(one, other, abs_tol=1e-12)
