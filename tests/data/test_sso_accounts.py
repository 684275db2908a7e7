"""Accounts from council sign-in, without a provider (the tests against a real one are in
tests/auth/test_sso_*.py): usernames made unique, an existing local account never taken over,
ids too long for the columns, and the same person's first sign-in twice at once."""

import pytest
from sqlalchemy import func, select

from qa_app.data import sso_accounts
from qa_app.extensions import db
from qa_app.models import Role, User
from qa_app.rules.sso_mapping import parse_mapping

ISSUER = "https://login.example/tenant/v2.0"
MAPPING = parse_mapping("groups:\n  - id: g1\n    roles: [auditor]\n")


def claims(sub: str = "sub-1", username: str = "amy", **more) -> dict:
    return {"sub": sub, "preferred_username": username, "name": "Amy A", "groups": ["g1"], **more}


def test_a_taken_username_is_made_unique_and_the_local_account_left_alone(make_user):
    local = make_user(Role.ADMIN, username="amy")
    user = sso_accounts.sign_in(ISSUER, claims(), MAPPING, create=True)
    assert user.id != local.id
    assert user.username == "amy2"
    assert local.sso_subject is None and local.roles == {Role.ADMIN}


def test_no_username_in_the_token():
    user = sso_accounts.sign_in(ISSUER, {"sub": "abc", "groups": ["g1"]}, MAPPING, create=True)
    assert user.username == "council.abc"
    assert user.display_name == "council.abc"


def test_ids_too_long_for_the_columns():
    with pytest.raises(sso_accounts.Refused) as refused:
        sso_accounts.sign_in(ISSUER, claims(sub="x" * 256), MAPPING, create=True)
    assert refused.value.message == sso_accounts.SET_UP_PROBLEM


def test_the_same_first_sign_in_twice_at_once(monkeypatch):
    sso_accounts.sign_in(ISSUER, claims(), MAPPING, create=True)
    monkeypatch.setattr(sso_accounts, "find_bound", lambda issuer, subject: None)  # not seen yet
    with pytest.raises(sso_accounts.Refused) as refused:
        sso_accounts.sign_in(ISSUER, claims(), MAPPING, create=True)
    assert refused.value.message == sso_accounts.AGAIN
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_pre_created_account_bound_to_someone_else_is_not_taken(make_user):
    make_user(Role.AUDITOR, username="amy")
    sso_accounts.sign_in(ISSUER, claims(), MAPPING, create=False)
    with pytest.raises(sso_accounts.Refused) as refused:
        sso_accounts.sign_in(ISSUER, claims(sub="sub-2"), MAPPING, create=False)
    assert refused.value.message == sso_accounts.NO_ACCOUNT
    assert "bound to another person" in refused.value.detail


def test_a_break_glass_account_is_never_bound_to_a_council_account(make_user):
    """Pre-created mode binds by username; a break-glass account so bound would lose its
    password, the one way in when the provider is down."""
    admin = make_user(Role.ADMIN, username="emergency.admin")
    password_hash = admin.password_hash
    with pytest.raises(sso_accounts.Refused) as refused:
        sso_accounts.sign_in(
            ISSUER,
            claims(username="Emergency.Admin"),
            MAPPING,
            create=False,
            keep_local=frozenset({"emergency.admin"}),
        )
    assert "break-glass" in refused.value.detail
    db.session.refresh(admin)
    assert admin.sso_subject is None and admin.password_hash == password_hash
