"""Accounts administration: creating, editing, disabling accounts and resetting passwords,
through the real pages with CSRF on."""

import re

from conftest import PASSWORD, csrf_token, sign_in
from sqlalchemy import func, select

from qa_app.data import organisation
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Role, User, UserSession

NEW_PASSWORD = "a-brand-new-password-42"


def _user(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def _user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def _team(name: str):
    return organisation.save_team(name, None, True, actor=None)


def _create_form(admin, **overrides):
    data = {
        "csrf_token": csrf_token(admin, "/admin/users/new"),
        "username": "j.bloggs",
        "display_name": "Jo Bloggs",
        "email": "jo.bloggs@example.gov.uk",
        "roles": ["auditor", "moderator"],
        "password": "a-long-enough-password",
    }
    data.update(overrides)
    return data


def _post_action(admin, user: User, action: str, **kwargs):
    token = csrf_token(admin, f"/admin/users/{user.id}")
    return admin.post(f"/admin/users/{user.id}/{action}", data={"csrf_token": token}, **kwargs)


def _signed_in_client(app, username: str, password: str = PASSWORD):
    c = app.test_client()
    response = sign_in(c, username, password)
    assert response.status_code == 302, "could not sign in"
    assert c.get("/").status_code == 200
    return c


def _is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_admin_creates_account_with_roles_and_teams_and_it_can_sign_in(app, client_as):
    admin = client_as(Role.ADMIN)
    north = _team("Safeguarding North")
    _team("Children in Care")

    response = admin.post(
        "/admin/users/new", data=_create_form(admin, teams=[str(north.id)]), follow_redirects=True
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Account created for Jo Bloggs" in html
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*j\.bloggs(?:(?!</tr>).)*</tr>", html, re.S)
    assert row, "the new account is not in the list"
    assert "Auditor, Moderator" in row.group(0)
    assert "Safeguarding North" in row.group(0)
    assert "Children in Care" not in row.group(0)
    assert "Active" in row.group(0)

    user = _user("j.bloggs")
    assert user.display_name == "Jo Bloggs"
    assert user.email == "jo.bloggs@example.gov.uk"
    assert user.roles == {Role.AUDITOR, Role.MODERATOR}
    assert [t.name for t in user.teams] == ["Safeguarding North"]

    newcomer = app.test_client()
    assert sign_in(newcomer, "j.bloggs", "a-long-enough-password").status_code == 302
    home = newcomer.get("/")
    assert home.status_code == 200
    assert "Signed in as Jo Bloggs" in home.get_data(as_text=True)


def test_creating_an_account_records_it_in_the_change_log_as_the_admin(client_as):
    admin = client_as(Role.ADMIN)
    admin.post("/admin/users/new", data=_create_form(admin))
    user = _user("j.bloggs")
    entry = db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "user", ChangeLogEntry.entity_id == str(user.id)
        )
    )
    assert entry.action == "created"
    assert entry.user_id == admin.user.id
    assert entry.changes["roles"] == ["auditor", "moderator"]


def test_short_password_is_refused_with_error_summary_and_nothing_is_stored(client_as):
    admin = client_as(Role.ADMIN)
    before = _user_count()

    response = admin.post("/admin/users/new", data=_create_form(admin, password="short-pw-11"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "govuk-error-summary" in html
    assert 'href="#password"' in html
    assert re.search(
        r'class="govuk-error-message"[^>]*>\s*<span[^>]*>Error:</span>\s*'
        r"Password must be at least 12 characters",
        html,
    )
    assert "<title>Error: " in html
    assert _user("j.bloggs") is None
    assert _user_count() == before


def test_duplicate_username_is_refused_whatever_the_case(client_as, make_user):
    admin = client_as(Role.ADMIN)
    make_user(Role.AUDITOR, username="j.bloggs")
    before = _user_count()

    response = admin.post("/admin/users/new", data=_create_form(admin, username="J.Bloggs"))

    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "already taken" in html
    assert 'href="#username"' in html
    assert _user_count() == before


def test_account_without_a_role_is_refused(client_as):
    admin = client_as(Role.ADMIN)
    data = _create_form(admin)
    del data["roles"]
    html = admin.post("/admin/users/new", data=data).get_data(as_text=True)
    assert "There is a problem" in html
    assert "Choose at least one role" in html
    assert _user("j.bloggs") is None


def test_create_account_without_csrf_token_is_refused(client_as):
    admin = client_as(Role.ADMIN)
    data = _create_form(admin)
    del data["csrf_token"]
    response = admin.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert _user("j.bloggs") is None


def test_disabling_an_account_ends_its_live_sessions_and_it_cannot_sign_in(
    app, client_as, make_user
):
    admin = client_as(Role.ADMIN)
    target = make_user(Role.AUDITOR, username="worker")
    victim = _signed_in_client(app, "worker")

    response = _post_action(admin, target, "disable", follow_redirects=True)

    assert "account is disabled and every session of it signed out" in response.get_data(
        as_text=True
    )
    assert _user("worker").active is False
    assert _is_sent_to_sign_in(victim.get("/"))
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == target.id))
    assert all(s.ended_at is not None and s.end_reason == "account_disabled" for s in sessions)

    again = app.test_client()
    response = sign_in(again, "worker")
    assert response.status_code == 200
    assert "The username or password is not right" in response.get_data(as_text=True)
    assert _is_sent_to_sign_in(again.get("/"))


def test_disabled_account_shows_as_disabled_in_the_list(client_as, make_user):
    admin = client_as(Role.ADMIN)
    target = make_user(
        Role.AUDITOR,
        username="worker",
    )
    _post_action(admin, target, "disable")
    html = admin.get("/admin/users").get_data(as_text=True)
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*>worker<(?:(?!</tr>).)*</tr>", html, re.S)
    assert row and "Disabled" in row.group(0)


def test_re_enabling_an_account_lets_it_sign_in_again(app, client_as, make_user):
    admin = client_as(Role.ADMIN)
    target = make_user(Role.AUDITOR, username="worker")
    _post_action(admin, target, "disable")
    assert sign_in(app.test_client(), "worker").status_code == 200  # refused

    response = _post_action(admin, target, "enable", follow_redirects=True)

    assert "account is enabled" in response.get_data(as_text=True)
    assert _user("worker").active is True
    _signed_in_client(app, "worker")


def test_admin_cannot_disable_their_own_account(app, client_as):
    admin = client_as(Role.ADMIN)
    me = admin.user

    page = admin.get(f"/admin/users/{me.id}").get_data(as_text=True)
    assert "Disable account" not in page

    response = _post_action(admin, me, "disable", follow_redirects=True)

    assert "You cannot disable your own account" in response.get_data(as_text=True)
    assert _user(me.username).active is True
    assert admin.get("/").status_code == 200  # still signed in


def test_admin_resetting_a_password_ends_the_users_sessions(app, client_as, make_user):
    admin = client_as(Role.ADMIN)
    target = make_user(Role.AUDITOR, username="worker")
    victim = _signed_in_client(app, "worker")

    token = csrf_token(admin, f"/admin/users/{target.id}/password")
    response = admin.post(
        f"/admin/users/{target.id}/password",
        data={"csrf_token": token, "password": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert "New password set for" in response.get_data(as_text=True)
    assert _is_sent_to_sign_in(victim.get("/"))
    assert sign_in(app.test_client(), "worker", PASSWORD).status_code == 200  # old refused
    _signed_in_client(app, "worker", NEW_PASSWORD)
    entry = db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_id == str(target.id), ChangeLogEntry.action == "password_changed"
        )
    )
    assert entry.user_id == admin.user.id
    assert NEW_PASSWORD not in str(entry.changes)


def test_admin_reset_password_too_short_is_refused_and_old_password_still_works(
    app, client_as, make_user
):
    admin = client_as(Role.ADMIN)
    target = make_user(Role.AUDITOR, username="worker")
    token = csrf_token(admin, f"/admin/users/{target.id}/password")

    response = admin.post(
        f"/admin/users/{target.id}/password", data={"csrf_token": token, "password": "too-short"}
    )

    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Password must be at least 12 characters" in html
    _signed_in_client(app, "worker", PASSWORD)


def test_editing_roles_and_teams_is_recorded_in_the_change_log_with_the_admin(client_as, make_user):
    admin = client_as(Role.ADMIN)
    north, south = _team("Safeguarding North"), _team("Safeguarding South")
    target = make_user(Role.AUDITOR, username="worker", teams=[north])
    page = admin.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert re.search(r'value="auditor"[^>]*checked', page)
    assert re.search(rf'value="{north.id}"[^>]*checked', page)

    response = admin.post(
        f"/admin/users/{target.id}",
        data={
            "csrf_token": csrf_token(admin, f"/admin/users/{target.id}"),
            "display_name": "Test worker",
            "email": "",
            "roles": ["auditor", "qa_lead"],
            "teams": [str(south.id)],
        },
        follow_redirects=True,
    )

    assert "Changes to Test worker saved" in response.get_data(as_text=True)
    user = _user("worker")
    assert user.roles == {Role.AUDITOR, Role.QA_LEAD}
    assert [t.name for t in user.teams] == ["Safeguarding South"]
    entry = db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "user",
            ChangeLogEntry.entity_id == str(target.id),
            ChangeLogEntry.action == "updated",
        )
    )
    assert entry is not None
    assert entry.user_id == admin.user.id
    assert entry.changes["roles"] == [["auditor"], ["auditor", "qa_lead"]]
    assert entry.changes["teams"] == [["Safeguarding North"], ["Safeguarding South"]]


def test_saving_an_account_unchanged_writes_no_change_log_row(client_as, make_user):
    admin = client_as(Role.ADMIN)
    target = make_user(Role.AUDITOR, username="worker")
    admin.post(
        f"/admin/users/{target.id}",
        data={
            "csrf_token": csrf_token(admin, f"/admin/users/{target.id}"),
            "display_name": "Test worker",
            "email": "",
            "roles": ["auditor"],
        },
    )
    assert (
        db.session.scalar(
            select(func.count(ChangeLogEntry.id)).where(
                ChangeLogEntry.entity_id == str(target.id), ChangeLogEntry.action == "updated"
            )
        )
        == 0
    )


def test_admin_cannot_remove_their_own_administrator_role(client_as):
    admin = client_as(Role.ADMIN)
    me = admin.user
    html = admin.post(
        f"/admin/users/{me.id}",
        data={
            "csrf_token": csrf_token(admin, f"/admin/users/{me.id}"),
            "display_name": me.display_name,
            "roles": ["auditor"],
        },
    ).get_data(as_text=True)
    assert "You cannot remove your own administrator role" in html
    assert _user(me.username).roles == {Role.ADMIN}


def test_passwords_are_stored_as_argon2_hashes_never_plain_text(client_as):
    admin = client_as(Role.ADMIN)
    plain = "a-long-enough-password"
    admin.post("/admin/users/new", data=_create_form(admin, password=plain))
    user = _user("j.bloggs")
    assert user.password_hash.startswith("$argon2")
    assert plain not in user.password_hash
    logged = db.session.scalars(select(ChangeLogEntry.changes)).all()
    assert all(plain not in str(changes) for changes in logged)


def test_unknown_account_is_not_found(client_as):
    admin = client_as(Role.ADMIN)
    assert admin.get("/admin/users/999999").status_code == 404


def test_account_pages_are_for_administrators_only(client_as, make_user):
    target = make_user(Role.AUDITOR, username="worker")
    for role in (Role.QA_LEAD, Role.AUDITOR, Role.BOARD_VIEWER):
        other = client_as(role)
        assert other.get("/admin/users").status_code == 403
        assert other.get(f"/admin/users/{target.id}").status_code == 403
        token = csrf_token(other)
        assert (
            other.post(f"/admin/users/{target.id}/disable", data={"csrf_token": token}).status_code
            == 403
        )
    assert _user("worker").active is True


def test_admin_setting_their_own_password_stays_signed_in_with_only_the_new_password(
    app, client_as
):
    admin = client_as(Role.ADMIN)
    me = admin.user
    other_session = _signed_in_client(app, me.username)

    token = csrf_token(admin, f"/admin/users/{me.id}/password")
    response = admin.post(
        f"/admin/users/{me.id}/password",
        data={"csrf_token": token, "password": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "New password set for" in response.get_data(as_text=True)
    assert admin.get("/admin/users").status_code == 200  # this session carries on
    assert _is_sent_to_sign_in(other_session.get("/"))  # every other session ended
    assert sign_in(app.test_client(), me.username, PASSWORD).status_code == 200  # refused
    _signed_in_client(app, me.username, NEW_PASSWORD)
