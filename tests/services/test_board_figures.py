"""The board report's figures (qa_app.services.board_figures): the RAG rule it shares with the
scorecard (qa_app.data.indicator_scorecard), the change on a year (the scorecard's too, worked
in decimal), and demand beside the audits of the same months (over tests/documents/board_data,
its counts worked out by hand there)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.data import indicator_scorecard
from qa_app.data.indicator_scorecard import relative_change
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import IndicatorValue, Role
from qa_app.services import board_figures
from tests.documents import board_data

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


def test_the_change_on_a_year_rounds_exact_halves_away_from_zero_and_never_fails():
    # One rule for the board and the scorecard (qa_app.data.indicator_scorecard): worked in
    # decimal from the figures as written, so 20 -> 31.5 (exactly +57.5%) is 58, not the 57
    # that binary floating point gives; a change too large to write is no change, not a crash.
    assert board_figures.relative_change is indicator_scorecard.relative_change
    assert relative_change(20.0, 31.5) == 58
    assert relative_change(3600.0, -990.0) == -128
    assert relative_change(1.323, 1.258) == -5
    assert relative_change(0.0004, 0.0003) == -25
    assert relative_change(1e-300, 1e300) is None


@settings(max_examples=200, deadline=None)
@given(
    old=st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False),
    new=st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False),
)
def test_the_change_is_the_exact_percentage_rounded_half_away_from_zero(old, new):
    if old == 0:
        assert relative_change(float(old), float(new)) is None
        return
    exact = (new - old) / abs(old) * 100
    expected = int(exact.quantize(Decimal(1), ROUND_HALF_UP))
    assert relative_change(float(old), float(new)) == expected


def _figures():
    return board_figures.compute_board_figures(
        "Children's Services", board_data.FROM, board_data.TO, today=date(2026, 10, 20)
    )


def test_the_board_figures_set_demand_beside_the_audits_of_the_same_months(
    loaded_templates, make_user
):
    # board_data: contacts typed for April to September 2026 and 2025 (7,258 against 6,823);
    # 16 single assessments (6 good) and 5 ICPC audits (all adequate) completed in the period
    data = board_data.build(make_user(Role.QA_LEAD))
    board_data.mark_demand(data["indicators"])

    figures = _figures()

    assert figures["schema"] == 3
    demand = figures["demand"]
    assert (demand["from"], demand["to"]) == ("2026-04-01", "2026-09-30")
    (row,) = demand["rows"]  # re-referrals measure how well, not how much: not demand
    assert (row["code"], row["value"], row["previous"], row["change"]) == (
        "CONTACTS",
        7258,
        6823,
        6,
    )
    assert row["sentence"] == board_data.CONTACTS_DEMAND
    assert demand["audits"]["count"] == figures["activity"]["audits_completed"] == 21
    assert demand["audits"]["sentence"] == board_data.AUDITS_SENTENCE


def test_with_no_indicator_marked_as_demand_the_board_figures_hold_no_demand_rows(
    loaded_templates, make_user
):
    board_data.build(make_user(Role.QA_LEAD))

    assert _figures()["demand"]["rows"] == []


def test_a_small_demand_count_is_hidden_at_the_boards_threshold(loaded_templates, make_user):
    data = board_data.build(make_user(Role.QA_LEAD))
    contacts = board_data.mark_demand(data["indicators"])
    contacts.name = "Private fostering notifications"
    db.session.add(IndicatorValue(indicator_id=contacts.id, month=date(2026, 3, 1), value=2))
    get_settings().partnership_threshold = 5
    db.session.commit()
    # March 2026 alone: 2 notifications, below the council's threshold of 5
    (row,) = board_figures.compute_board_figures(
        "Children's Services", date(2026, 3, 1), date(2026, 3, 31), today=date(2026, 10, 20)
    )["demand"]["rows"]

    assert row["hidden"] and row["value"] is None and row["change"] is None
    assert row["sentence"] == (
        "Private fostering notifications in March 2026: a number too small to publish, so no "
        "comparison is made."
    )
