"""One valid write through each set-up route (files previewed, then stored with a second
button; the starter set), for tests/data/test_write_paths.py: each store is recorded in the
change log naming the person."""

import base64

from qa_app.data.organisation import save_team
from qa_app.models import Role
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _store(client, url: str, filename: str, content: bytes) -> Write:
    data = {
        "filename": filename,
        "content": base64.b64encode(content).decode("ascii"),
        "store": "Store these changes",
    }
    return form_post(client, url, data)


@scenario("admin.upload_teams", "/admin/teams/upload")
def _teams(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    return _store(admin, "/admin/teams/upload", "teams.csv", b"team,locality\nMASH,Central\n")


@scenario("admin.upload_accounts", "/admin/users/upload")
def _accounts(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    save_team("MASH", None, True, actor=None)
    content = b"username,display_name,roles,teams\nfile1,File One,auditor,MASH\n"
    return _store(admin, "/admin/users/upload", "accounts.csv", content)


@scenario("indicators.upload_definitions", "/indicators/definitions/upload")
def _definitions(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    content = b"code,name,unit,better\nVIS01,Visits on time,percentage,higher\n"
    return _store(lead, "/indicators/definitions/upload", "indicators.csv", content)


@scenario("indicators.starter_set", "/indicators/definitions/starter-set")
def _starter(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, "/indicators/definitions/starter-set", {})


@scenario("cycles.upload_cycles", "/cycles/upload")
def _cycles(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    content = b"name,kind,start,end,templates\nCIN Q3,themed,2026-10-01,2026-12-31,cin_plan\n"
    return _store(lead, "/cycles/upload", "cycles.csv", content)
