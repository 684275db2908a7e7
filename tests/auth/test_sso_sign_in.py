"""Council sign-in against a real OpenID Connect provider: the account made with the mapped
roles and teams and no second step of ours, the mapping re-applied at each sign-in, a person
who lost their groups refused with every session ended, the pre-created mode, `next`, and the
app's own session limits."""

from datetime import timedelta

from sqlalchemy import select, update

from qa_app.data import sso_accounts
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Role, SecurityEvent, User, UserSession, utcnow
from tests.auth.sso import council_sign_in
from tests.conftest import PASSWORD
from tests.support.visible_text import visible_text


def _events(name: str) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == name)))


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    db.session.refresh(user)
    return user


def test_a_first_council_sign_in_makes_the_account_from_the_mapping(app, use_sso, oidc_provider):
    team = use_sso()
    get_settings().mfa_required_roles = ["auditor"]  # not asked of SSO accounts
    db.session.commit()
    client = app.test_client()
    response = council_sign_in(client, oidc_provider, "amy-sub")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Signed in as Amy Auditor" in home.get_data(as_text=True)
    user = _user("amy")
    assert user.roles == {Role.AUDITOR}
    assert [t.id for t in user.teams] == [team.id]
    assert (user.sso_issuer, user.sso_subject) == (oidc_provider.issuer, "amy-sub")
    assert user.email == "amy@council.example"
    signed_in = _events("signed_in")
    assert [e.detail for e in signed_in] == ["council sign-in"]
    assert "created amy with roles auditor" in _events("account_created")[0].detail


def test_the_mapping_is_applied_again_at_every_sign_in(app, use_sso, oidc_provider):
    council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    oidc_provider.set_groups("amy-sub", ["g-leads"])
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 302
    user = _user("amy")
    assert user.roles == {Role.QA_LEAD, Role.MODERATOR}
    assert user.teams == []
    changed = _events("account_changed")
    assert len(changed) == 1
    assert "roles auditor to moderator, qa_lead" in changed[0].detail
    assert "teams Assessment Team 1 to none" in changed[0].detail


def test_a_person_removed_from_their_groups_is_refused_and_signed_out_everywhere(
    app, use_sso, oidc_provider
):
    earlier = app.test_client()
    council_sign_in(earlier, oidc_provider, "amy-sub")
    assert earlier.get("/").status_code == 200
    oidc_provider.set_groups("amy-sub", ["unmapped-group"])
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert sso_accounts.NO_ACCESS in page
    assert "unmapped-group" not in page  # the detail is for the security log only
    assert _user("amy").roles == set()
    assert earlier.get("/").status_code == 302  # the session that was open has ended
    ended = db.session.scalars(select(UserSession.end_reason)).all()
    assert ended == ["sso_access_removed"]
    assert "unmapped-group" in _events("sso_access_removed")[0].detail
    assert _events("sso_refused")[0].username == "amy"


def test_a_token_with_no_mapped_group_makes_no_account(app, use_sso, oidc_provider):
    response = council_sign_in(app.test_client(), oidc_provider, "nobody-sub")
    assert response.status_code == 403
    assert sso_accounts.NO_ACCESS in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "nobody")) is None
    assert "some-other-group" in _events("sso_refused")[0].detail


def test_a_disabled_account_is_refused(app, use_sso, oidc_provider):
    council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    user = _user("amy")
    user.active = False
    db.session.commit()
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 403
    assert sso_accounts.DISABLED in response.get_data(as_text=True)


def test_a_team_the_mapping_names_must_exist(app, use_sso, oidc_provider):
    use_sso().name = "Renamed team"
    db.session.commit()
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 403
    assert sso_accounts.SET_UP_PROBLEM in response.get_data(as_text=True)
    assert "Assessment Team 1" in _events("sso_refused")[0].detail
    assert db.session.scalar(select(User).where(User.username == "amy")) is None


def test_pre_created_accounts_only(app, use_sso, oidc_provider, make_user):
    use_sso(QA_OIDC_ACCOUNTS="pre-created")
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 403
    assert sso_accounts.NO_ACCOUNT in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "amy")) is None
    made = make_user(Role.BOARD_VIEWER, username="amy")
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 302
    user = _user("amy")
    assert user.id == made.id
    assert user.sso_subject == "amy-sub"
    assert user.roles == {Role.AUDITOR}  # the mapping, not what the administrator gave
    assert len(_events("sso_account_bound")) == 1
    # bound now: the same person signs in again by their subject, whatever their username
    oidc_provider.set_accounts(
        {
            "amy-sub": {
                **oidc_provider.config["accounts"]["amy-sub"],
                "preferred_username": "amy.renamed",
            }
        }
    )
    assert council_sign_in(app.test_client(), oidc_provider, "amy-sub").status_code == 302


def test_next_is_followed_only_within_the_app(app, use_sso, oidc_provider):
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub", next_url="/account")
    assert response.headers["Location"] == "/account"
    response = council_sign_in(
        app.test_client(), oidc_provider, "amy-sub", next_url="https://elsewhere.example/"
    )
    assert response.headers["Location"] == "/"


def test_a_council_session_keeps_the_apps_inactivity_limit(app, use_sso, oidc_provider):
    client = app.test_client()
    council_sign_in(client, oidc_provider, "amy-sub")
    assert client.get("/").status_code == 200
    idle = timedelta(minutes=app.config["QA_SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle))
    db.session.commit()
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(UserSession.end_reason)) == "idle_timeout"


def test_a_council_account_cannot_sign_in_with_a_password(app, use_sso, oidc_provider):
    from qa_app.data.users import set_password
    from tests.helpers import sign_in

    council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    set_password(_user("amy"), PASSWORD, actor=None)  # even if one were set somehow
    response = sign_in(app.test_client(), "amy")
    assert response.status_code == 200
    assert "The username or password is not right" in response.get_data(as_text=True)
    assert "council sign-in account" in _events("local_sign_in_refused")[0].detail


def test_a_token_that_leaves_the_groups_out_changes_nothing(app, use_sso, oidc_provider):
    """Entra ID's "overage": too many groups to list, so the token names where to fetch them."""
    council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    amy = {**oidc_provider.config["accounts"]["amy-sub"], "groups": None}
    amy["_claim_names"] = {"groups": "src1"}
    oidc_provider.set_accounts({"amy-sub": amy})
    response = council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    assert response.status_code == 403
    assert sso_accounts.SET_UP_PROBLEM in response.get_data(as_text=True)
    assert _user("amy").roles == {Role.AUDITOR}
    assert "overage" in _events("sso_refused")[0].detail


def test_administrators_see_which_accounts_sign_in_through_the_council(
    app, use_sso, oidc_provider, client_as
):
    council_sign_in(app.test_client(), oidc_provider, "amy-sub")
    admin = client_as(Role.ADMIN)
    listed = visible_text(admin.get("/admin/users").get_data(as_text=True))
    assert "Council sign-in" in listed
    page = visible_text(admin.get(f"/admin/users/{_user('amy').id}").get_data(as_text=True))
    assert "signs in with their council account" in page
