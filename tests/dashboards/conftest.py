"""Fixtures for the findings pages: the hand-counted data set (tests/dashboards/__init__.py)
and clients signed in as a QA lead and as a board viewer."""

import pytest

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Role
from tests.dashboards import build_known_data


@pytest.fixture
def known(make_user, loaded_templates):
    auditor = make_user(Role.AUDITOR, username="ann.auditor")
    moderator = make_user(Role.MODERATOR, username="mo.moderator")
    return build_known_data(auditor, moderator)


@pytest.fixture
def lead(client_as, known):
    return client_as(Role.QA_LEAD)


@pytest.fixture
def board(client_as, known):
    """A board viewer where the council hides counts below 5 from the partnership too (the
    suppressed partnership tier); `partnership` is the default, exact counts."""
    settings = get_settings()
    settings.partnership_threshold = 5
    settings.min_group_size = 1
    db.session.commit()
    return client_as(Role.BOARD_VIEWER)


@pytest.fixture
def partnership(client_as, known):
    """A board viewer at the council's default settings: exact counts."""
    return client_as(Role.BOARD_VIEWER)
