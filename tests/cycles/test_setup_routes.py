"""The QA lead sets up audit cycles from a file on the web."""

import pytest

from qa_app.data.cycles import get_cycle_by_name
from qa_app.models import Role
from tests.admin.test_setup_routes import check, store, text

UPLOAD = "/cycles/upload"
FILE = b"name,kind,start,end,templates\nCIN Q3,themed,2026-10-01,2026-12-31,cin_plan\n"


def test_the_qa_lead_previews_then_stores_a_cycles_file(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    preview = check(lead, UPLOAD, "cycles.csv", FILE)
    assert "Cycle CIN Q3" in text(preview)
    assert get_cycle_by_name("CIN Q3") is None
    assert store(lead, UPLOAD, preview).status_code == 302
    assert [t.key for t in get_cycle_by_name("CIN Q3").templates] == ["cin_plan"]
    assert "Set up cycles from a file" in text(lead.get("/cycles/"))


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.BOARD_VIEWER])
def test_only_the_qa_lead_sets_up_cycles(client_as, role):
    assert client_as(role).get(UPLOAD).status_code == 403
