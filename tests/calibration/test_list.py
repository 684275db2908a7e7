"""The rounds list: the QA lead sees every round, an auditor the rounds they are in; it
filters by status and pages like the other lists."""

import pytest

from qa_app.data import calibration
from qa_app.models import Role
from tests.calibration.round_factory import answer_all, make_round


@pytest.fixture(autouse=True)
def _templates(loaded_templates):
    return loaded_templates


def test_the_list_shows_each_reader_their_rounds_and_filters_by_status(client_as, make_user):
    lead = client_as(Role.QA_LEAD)
    auditor = client_as(Role.AUDITOR)
    others = [make_user(Role.AUDITOR), make_user(Role.AUDITOR)]
    mine = make_round(lead.user, [auditor.user, others[0]], references=("CAL-A",), name="Mine")
    make_round(lead.user, others, references=("CAL-B",), name="Theirs")
    answer_all(mine, auditor.user)
    calibration.close(mine, "", actor=lead.user)

    everything = lead.get("/calibration/").get_data(as_text=True)
    assert "Mine" in everything and "Theirs" in everything and "2 rounds" in everything
    own = auditor.get("/calibration/").get_data(as_text=True)
    assert "Mine" in own and "Theirs" not in own
    open_only = lead.get("/calibration/?status=open").get_data(as_text=True)
    assert "Theirs" in open_only and ">Mine<" not in open_only
