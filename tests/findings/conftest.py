"""The hand-worked data set (known_data.py), stored for a test."""

import pytest

from qa_app.models import Role
from tests.findings import known_data


@pytest.fixture
def known(loaded_templates, make_user):
    auditor = make_user(Role.AUDITOR, username="auditor.one")
    moderator = make_user(Role.MODERATOR, username="moderator.one")
    return known_data.build(auditor, moderator) | {"auditor": auditor}
