"""One valid write through each indicator route, for tests/data/test_write_paths.py."""

import io

from qa_app.data import indicators as indicator_data
from qa_app.models import Role
from tests.audits.filling import page_version
from tests.support.write_scenarios import Ctx, Write, form_post, scenario

DEFINITION = {
    "code": "ASM01",
    "name": "Assessments within 45 working days",
    "unit": "percentage",
    "better": "higher",
    "target": "85",
    "tolerance": "5",
    "england_value": "82.8",
    "england_year": "2024-25",
    "good_looks_like": "Assessments are timely.",
    "active": "y",
}


def _indicator():
    return indicator_data.create_indicator(
        {"code": "CON01", "name": "Contacts received", "unit": "count", "better": "neither"},
        None,
    )


@scenario("indicators.new_indicator", "/indicators/new")
def _new_indicator(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, "/indicators/new", DEFINITION)


@scenario("indicators.edit_indicator", "/indicators/<int:indicator_id>/edit")
def _edit_indicator(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    indicator = _indicator()
    data = {"code": "CON01", "name": "Contacts", "unit": "count", "better": "neither"}
    return form_post(lead, f"/indicators/{indicator.id}/edit", data)


@scenario("indicators.commentary", "/indicators/<int:indicator_id>/commentary/<month>")
def _commentary(ctx: Ctx) -> Write:
    manager = ctx.client_as(Role.SENIOR_MANAGER)
    url = f"/indicators/{_indicator().id}/commentary/2026-04"
    version = page_version(manager.get(url).get_data(as_text=True))
    return form_post(manager, url, {"lock_version": version, "text": "Contacts fell at Easter."})


@scenario("indicators.upload", "/indicators/upload")
def _upload(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    _indicator()
    data = {"file": (io.BytesIO(b"code,month,value\nCON01,2026-03,1323\n"), "values.csv")}
    return form_post(lead, "/indicators/upload", data, content_type="multipart/form-data")
