"""One valid write through each set-up route (files previewed, then stored with a second
button; the starter set), for tests/data/test_write_paths.py: each store is recorded in the
change log naming the person."""

import io
import re

from qa_app.data.organisation import save_team
from qa_app.models import Role
from tests.helpers import csrf_token
from tests.support.write_scenarios import Ctx, Write, form_post, scenario

HIDDEN = re.compile(r'<input[^>]*name="(filename|content|signature)"[^>]*value="([^"]*)"')


def _store(client, url: str, filename: str, content: bytes) -> Write:
    """The file checked first (the preview writes nothing), then stored with the store
    button and the hidden fields the preview put in the page, as a person does."""
    preview = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(content), filename),
            "submit": "Check the file",
        },
        content_type="multipart/form-data",
    )
    hidden = dict(HIDDEN.findall(preview.get_data(as_text=True)))
    assert set(hidden) == {"filename", "content", "signature"}, "no preview to store"
    return form_post(client, url, {**hidden, "store": "Store these changes"})


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
    return form_post(lead, "/indicators/definitions/starter-set", {"store": "Load the starter set"})


@scenario("cycles.upload_cycles", "/cycles/upload")
def _cycles(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    content = b"name,kind,start,end,templates\nCIN Q3,themed,2026-10-01,2026-12-31,cin_plan\n"
    return _store(lead, "/cycles/upload", "cycles.csv", content)
