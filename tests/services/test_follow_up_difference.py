"""Which tier of the difference made for the child a reader gets: their own, or a lower one
they ask for, never a higher one."""

from dataclasses import dataclass, field

from qa_app.findings.audiences import Audience
from qa_app.models import Role
from qa_app.services.follow_up_difference import chosen_audience, tiers_for


@dataclass
class Reader:
    roles: set[Role] = field(default_factory=set)
    is_authenticated: bool = True


def test_case_level_readers_may_read_every_tier():
    manager = Reader({Role.SENIOR_MANAGER})
    assert tiers_for(manager) == [Audience.INTERNAL, Audience.PARTNERSHIP, Audience.PUBLIC]
    assert chosen_audience(manager, None) == Audience.INTERNAL
    assert chosen_audience(manager, "public") == Audience.PUBLIC


def test_a_board_viewer_never_reads_the_internal_tier():
    board = Reader({Role.BOARD_VIEWER})
    assert tiers_for(board) == [Audience.PARTNERSHIP, Audience.PUBLIC]
    assert chosen_audience(board, "internal") == Audience.PARTNERSHIP
    assert chosen_audience(board, "nonsense") == Audience.PARTNERSHIP
    assert chosen_audience(board, "public") == Audience.PUBLIC
