"""Numbers as people read them."""

from hypothesis import given
from hypothesis import strategies as st

from qa_app.findings import present


def test_percent_rounds_half_up_and_says_hidden_for_suppressed_counts():
    assert present.percent(1, 3) == "33%"
    assert present.percent(2, 3) == "67%"
    assert present.percent(1, 8) == "13%"  # 12.5 rounds up
    assert present.percent(None, 10) == "hidden"
    assert present.percent(3, None) == "hidden"
    assert present.percent(0, 0) == "–"


def test_counts_and_hidden_counts():
    assert present.count(1234) == "1,234"
    assert present.count(None, 5) == "hidden"
    assert present.count_and_percent(3, 12) == "3 (25%)"
    assert present.count_and_percent(None, 12, 10) == "hidden"
    assert present.count_text(None) == "a hidden number"
    assert present.count_text(None, "audits", "audit") == "a hidden number of audits"
    assert present.count_text(1, "audits", "audit") == "1 audit"
    assert present.count_text(1200, "audits", "audit") == "1,200 audits"
    assert "fewer than" not in present.suppression_note(5)
    assert present.kappa(0.7368) == "0.74" and present.kappa(None) == "–"


def test_a_comparison_on_uneven_or_small_samples_is_flagged():
    flagged = present.uneven_samples(329, 29, "this period", "the previous period")
    assert flagged.startswith("Read with care: the previous period rests on 29 audits, against")
    assert "329 in this period" in flagged
    assert present.uneven_samples(40, 120, "the team", "the council") == ""  # a third: fine
    assert present.uneven_samples(40, 121, "the team", "the council") != ""
    assert present.uneven_samples(29, 30, "a", "b") != ""  # under 30: small
    assert present.uneven_samples(None, 30, "a", "b") == ""  # hidden: says nothing
    assert present.uneven_samples(0, 0, "a", "b") == ""


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_the_flag_is_the_same_whichever_side_is_named_first(a, b):
    assert bool(present.uneven_samples(a, b, "x", "y")) == bool(
        present.uneven_samples(b, a, "y", "x")
    )
