"""The board report's change figures (qa_app.services.board_figures)."""

from qa_app.services.board_figures import relative_change


def test_a_change_from_a_value_that_rounds_to_nothing_is_none():
    # 0.0004 is 0 in thousandths: there is no share to take (this was a TypeError going down)
    assert relative_change(0.0003, 0.0004) is None
    assert relative_change(0.0005, 0.0004) is None
    assert relative_change(1.323, 1.258) == 5
    assert relative_change(1.258, 1.323) == -5
