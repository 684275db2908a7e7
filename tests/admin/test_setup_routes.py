"""Set-up from files on the web: the file checked and previewed, then stored with a second
button; all or nothing; the administrator's pages only."""

import base64
import html as html_lib
import io
import re

import pytest
from conftest import csrf_token
from openpyxl import Workbook
from sqlalchemy import select

from qa_app.data.users import find_by_username
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Locality, Role, Team

TEAMS = "/admin/teams/upload"


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def check(client, url: str, filename: str, data: bytes):
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(data), filename),
            "submit": "Check the file",
        },
        content_type="multipart/form-data",
    )


def store(client, url: str, preview) -> object:
    page = preview.get_data(as_text=True)
    fields = dict(re.findall(r'name="(filename|content|signature)"[^>]*value="([^"]*)"', page))
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "filename": html_lib.unescape(fields["filename"]),
            "content": fields["content"],
            "signature": fields["signature"],
            "store": "Store these changes",
        },
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(True))))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_administrator_previews_a_teams_file_then_stores_it(client_as, kind):
    admin = client_as(Role.ADMIN)
    rows = [["team", "locality"], ["MASH", "Central"], ["Assessment", "North"]]
    data = "\n".join(",".join(r) for r in rows).encode() if kind == "csv" else xlsx(rows)
    preview = check(admin, TEAMS, f"teams.{kind}", data)
    assert preview.status_code == 200
    page = text(preview)
    assert "4 new, 0 changed, 0 already as in the file" in page
    assert "Team MASH (Central)" in page
    assert db.session.scalars(select(Team)).all() == []  # nothing until the button
    stored = store(admin, TEAMS, preview)
    assert stored.status_code == 302
    assert {t.name for t in db.session.scalars(select(Team))} == {"MASH", "Assessment"}
    assert {loc.name for loc in db.session.scalars(select(Locality))} == {"Central", "North"}
    logged = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "team")
    ).all()
    assert {e.user_id for e in logged} == {admin.user.id}
    again = check(admin, TEAMS, f"teams.{kind}", data)
    assert "0 new, 0 changed, 2 already as in the file" in text(again)


def test_a_bad_teams_file_shows_the_problem_table_and_stores_nothing(client_as):
    admin = client_as(Role.ADMIN)
    response = check(admin, TEAMS, "teams.csv", b"team,active\nMASH,Jane Smith\n")
    assert response.status_code == 200
    page = text(response)
    assert "1 problem in teams.csv: nothing was stored" in page
    assert "write yes or no" in page
    assert "Jane" not in page
    assert "Store these changes" not in page
    assert db.session.scalars(select(Team)).all() == []


def test_a_store_request_with_other_content_than_the_preview_is_refused(client_as):
    admin = client_as(Role.ADMIN)
    preview = check(admin, TEAMS, "teams.csv", b"team\nMASH\n")
    page = preview.get_data(as_text=True)
    fields = dict(re.findall(r'name="(filename|signature)"[^>]*value="([^"]*)"', page))
    response = admin.post(
        TEAMS,
        data={
            "csrf_token": csrf_token(admin, TEAMS),
            "filename": "teams.csv",
            "content": base64.b64encode(b"team\nOther team\n").decode(),
            "signature": fields["signature"],
            "store": "Store these changes",
        },
    )
    assert response.status_code == 200
    assert "the file was lost on the way" in text(response)
    assert db.session.scalars(select(Team)).all() == []


def test_a_tampered_store_request_is_checked_again(client_as):
    admin = client_as(Role.ADMIN)
    response = admin.post(
        TEAMS,
        data={
            "csrf_token": csrf_token(admin, TEAMS),
            "filename": "teams.csv",
            "content": "not base64!",
            "store": "Store these changes",
        },
    )
    assert response.status_code == 200
    assert "the file was lost on the way" in text(response)
    assert db.session.scalars(select(Team)).all() == []


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.AUDITOR, Role.BOARD_VIEWER])
def test_only_an_administrator_may_set_up_teams(client_as, role):
    other = client_as(role)
    assert other.get(TEAMS).status_code == 403


def test_an_administrator_sets_up_accounts_from_a_file(client_as):
    admin = client_as(Role.ADMIN)
    data = b"username,display_name,roles\nnew1,New One,auditor\n"
    preview = check(admin, "/admin/users/upload", "accounts.csv", data)
    assert "Account new1 (Auditor)" in text(preview)
    assert store(admin, "/admin/users/upload", preview).status_code == 302
    assert find_by_username("new1").roles == {Role.AUDITOR}


def test_only_an_administrator_may_set_up_accounts(client_as):
    assert client_as(Role.QA_LEAD).get("/admin/users/upload").status_code == 403


def test_a_sheet_named_like_a_child_is_never_echoed_in_the_problems(client_as):
    admin = client_as(Role.ADMIN)
    workbook = Workbook()
    workbook.active.title = "Jane Smith"
    workbook.active.append(["team", "active"])
    workbook.active.append(["MASH", "maybe"])
    out = io.BytesIO()
    workbook.save(out)
    page = text(check(admin, TEAMS, "teams.xlsx", out.getvalue()))
    assert "sheet 1, row 2" in page or "Sheet 1, row 2" in page
    assert "Jane" not in page
