"""The board report's change and RAG figures (qa_app.services.board_figures) beside the
scorecard's (qa_app.data.indicator_scorecard): one RAG rule for both, and the change on a year
that the board works in exact thousandths."""

from hypothesis import given
from hypothesis import strategies as st

from qa_app.data import indicator_scorecard
from qa_app.services import board_figures
from qa_app.services.board_figures import relative_change

maybe_float = st.one_of(st.none(), st.floats(), st.integers(-(10**6), 10**6).map(float))


def board_rag_as_drafted(value, target, tolerance, better):
    """The board's own RAG rule as it was written before it used the scorecard's (the oracle
    the scorecard's must agree with on every input)."""
    if value is None or target is None or better not in ("higher", "lower"):
        return None
    gap = (value - target) if better == "higher" else (target - value)
    if gap >= 0:
        return "green"
    return "amber" if tolerance is not None and -gap <= tolerance else "red"


@given(maybe_float, maybe_float, maybe_float, st.sampled_from(["higher", "lower", "neither", ""]))
def test_the_board_rates_an_indicator_as_the_scorecard_does_on_every_input(
    value, target, tolerance, better
):
    expected = board_rag_as_drafted(value, target, tolerance, better)
    assert indicator_scorecard.rag(value, target, tolerance, better) == expected
    assert board_figures.rag(value, target, tolerance, better) == expected


def test_a_change_from_a_value_that_rounds_to_nothing_is_none():
    # 0.0004 is 0 in thousandths: there is no share to take (this was a TypeError going down)
    assert relative_change(0.0003, 0.0004) is None
    assert relative_change(0.0005, 0.0004) is None
    assert relative_change(1.323, 1.258) == 5
    assert relative_change(1.258, 1.323) == -5


def test_the_board_rounds_an_exact_half_away_from_zero_where_the_scorecard_does_not():
    # Why the board keeps its own change: 20 -> 31.5 is exactly +57.5% and 3,600 -> -990
    # exactly -127.5%; the board works in exact thousandths and says 58 and -128, the scorecard
    # divides in floating point (57.4999...) and says 57 and -127. A base that is 0 in
    # thousandths gives the board no change at all, the scorecard a change.
    assert relative_change(31.5, 20.0) == 58
    assert relative_change(-990.0, 3600.0) == -128
    scorecard = (
        indicator_scorecard.relative_change(20.0, 31.5),
        indicator_scorecard.relative_change(3600.0, -990.0),
        indicator_scorecard.relative_change(0.0004, 0.0003),
    )
    assert scorecard == (57, -127, -25), "the scorecard agrees now: the board can use its change"
