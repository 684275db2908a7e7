"""Optimistic locking (qa_app/data/locking.py): a save from the version the person read moves
the row on one version; a save from an older one is refused, keeps nothing of itself and leaves
the row as the other person saved it."""

from qa_app.data import indicator_values
from qa_app.data.locking import claim_version
from qa_app.extensions import db
from qa_app.models import IndicatorCommentary
from tests.indicators.support import APRIL, CONTACTS, define


def _commentary() -> IndicatorCommentary:
    (contacts,) = define(CONTACTS)
    return indicator_values.save_commentary(contacts, APRIL, "Fewer.", based_on=0, actor=None)


def test_a_save_from_the_current_version_claims_the_next_one():
    commentary = _commentary()
    assert claim_version(commentary, 1)
    commentary.text = "Fewer at Easter."
    db.session.commit()
    db.session.expire_all()
    assert (commentary.lock_version, commentary.text) == (2, "Fewer at Easter.")


def test_a_save_from_an_older_version_is_refused_and_keeps_nothing():
    commentary = _commentary()
    assert claim_version(commentary, 1)
    db.session.commit()
    commentary.text = "Mine, typed on the old page."
    assert not claim_version(commentary, 1)
    db.session.commit()
    db.session.expire_all()
    assert (commentary.lock_version, commentary.text) == (2, "Fewer.")


def test_more_conditions_must_hold_too():
    commentary = _commentary()
    never = IndicatorCommentary.text == "something else"
    assert not claim_version(commentary, 1, never)
    assert commentary.lock_version == 1
