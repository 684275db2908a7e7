"""The QA lead sets up indicator definitions from a file, and loads the starter set, on the
web."""

import pytest
from conftest import csrf_token

from qa_app.data import indicators as indicator_data
from qa_app.extensions import db
from qa_app.models import Role
from tests.admin.test_setup_routes import check, store, text

UPLOAD = "/indicators/definitions/upload"
STARTER = "/indicators/definitions/starter-set"


def test_the_qa_lead_previews_then_stores_a_definitions_file(client_as):
    lead = client_as(Role.QA_LEAD)
    data = b"code,name,unit,better\nVIS01,Visits on time,percentage,higher\n"
    preview = check(lead, UPLOAD, "indicators.csv", data)
    assert "Indicator VIS01: Visits on time" in text(preview)
    assert indicator_data.by_code() == {}
    assert store(lead, UPLOAD, preview).status_code == 302
    assert indicator_data.by_code()["VIS01"].unit == "percentage"


def test_the_starter_set_page_shows_what_it_adds_then_adds_it(client_as):
    lead = client_as(Role.QA_LEAD)
    page = lead.get(STARTER)
    assert "26 new, 0 changed" in text(page)
    token = csrf_token(lead, STARTER)
    preview = lead.post(STARTER, data={"csrf_token": token, "preview": "Check"})
    assert preview.status_code == 200 and "Nothing is stored until" in text(preview)
    assert indicator_data.by_code() == {}
    response = lead.post(STARTER, data={"csrf_token": token, "store": "Load the starter set"})
    assert response.status_code == 302
    assert len(indicator_data.by_code()) == 26
    assert "0 new, 0 changed, 26 already as in the file" in text(lead.get(STARTER))
    definitions = text(lead.get("/indicators/definitions"))
    assert "DfE CIN census 2024-25" in definitions


@pytest.mark.parametrize("role", [Role.SENIOR_MANAGER, Role.BOARD_VIEWER, Role.ADMIN])
def test_only_the_qa_lead_sets_up_definitions(client_as, role):
    other = client_as(role)
    assert other.get(UPLOAD).status_code == 403
    assert other.get(STARTER).status_code == 403


def test_overwriting_the_starter_set_is_previewed_indicator_by_indicator_before_it_is_stored(
    client_as,
):
    lead = client_as(Role.QA_LEAD)
    token = csrf_token(lead, STARTER)
    lead.post(STARTER, data={"csrf_token": token, "store": "Load the starter set"})
    ref04 = indicator_data.by_code()["REF04"]
    ref04.target = 55  # the council's own target
    db.session.commit()
    page = text(lead.get(STARTER))
    assert "0 new, 0 changed, 25 already as in the file, 1 differs from the file" in page
    assert "ticking the box would change target: 55.0 to" in page
    data = {"csrf_token": token, "overwrite": "y", "preview": "Check"}
    preview = text(lead.post(STARTER, data=data))
    assert "0 new, 1 changed, 25 already as in the file" in preview
    assert "Overwritten target: 55.0 to" in preview
    assert indicator_data.by_code()["REF04"].target == 55
    data = {"csrf_token": token, "overwrite": "y", "store": "Load the starter set"}
    assert lead.post(STARTER, data=data).status_code == 302
    assert indicator_data.by_code()["REF04"].target != 55
