"""The route walk for the OWNER of the sample objects (tests/web/test_security.py walks it for
everyone else): every web route x method, signed in as values["_other_user"], the account that
is the sample audit's assigned auditor, raised the sample concern, is in the case's team, owns
the sample improvement action and is the manager of the sample practice-week activity.

The owner holds each role in turn (a person's job changes; what they own stays theirs), and
gets what the role gets in EXPECTED, except where an area's OWNER says otherwise, written from
PRODUCT.md's rules: more (the assigned auditor completes their own audit) or less (nobody
moderates their own audit). Any unexpected success or refusal fails, all of them listed."""

import pytest
from sqlalchemy import select

from qa_app.data.users import update_user
from qa_app.extensions import db
from qa_app.models import Activity, Audit, Concern, ImprovementAction, Moderation, Role
from tests.helpers import sign_in
from tests.support.route_walk import EXPECTED, OWNER, Walk, build_samples, expected, routes


@pytest.fixture
def samples(make_user, loaded_templates):
    return build_samples(make_user)


def test_the_owner_owns_the_sample_objects(samples):
    """The walk below is only an owner's walk if the sample builders keep giving the owner
    these (a builder that drifts to another account must fail here, not pass quietly)."""
    owner = samples["_other_user"]
    audit = db.session.get(Audit, samples["audit_id"])
    assert audit.auditor_id == owner.id and audit.status in ("not_started", "in_progress")
    assert audit.case.team_id in {t.id for t in owner.teams}
    assert db.session.get(Concern, samples["concern_id"]).raised_by_id == owner.id
    assert db.session.get(ImprovementAction, samples["action_id"]).owner_id == owner.id
    activity = db.session.get(Activity, samples["activity_id"])
    assert activity.manager_id == owner.id
    assert owner in activity.week.managers
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    assert moderation is not None and moderation.moderator_id is None
    # As built: an auditor who is also a senior manager (a week's managers must be senior
    # managers); the walk below gives the account one role at a time.
    assert owner.roles == {Role.AUDITOR, Role.SENIOR_MANAGER}


def test_the_owner_table_differs_from_the_others_only_where_it_says_why():
    """Every OWNER entry changes something for some role (an entry equal to EXPECTED would be
    a rule written twice), and names a real endpoint."""
    for endpoint, owner_rule in OWNER.items():
        assert endpoint in EXPECTED, endpoint
        assert owner_rule != EXPECTED[endpoint], f"{endpoint}: OWNER repeats EXPECTED"


def test_owner_route_matrix(app, samples):
    """One walk per role, on one set of samples (as the non-owners' matrix does): the owner
    account is given the role, signs in afresh and walks every route x method."""
    owner = samples["_other_user"]
    walked = list(routes(app, samples))
    failures, visits = [], 0
    for role in Role:
        update_user(
            owner,
            display_name=owner.display_name,
            email=owner.email,
            roles=[role],
            teams=list(owner.teams),
            actor=None,
        )

        def signed_in():
            client = app.test_client()
            response = sign_in(client, owner.username)
            assert response.status_code == 302, response.get_data(as_text=True)
            return client

        walk = Walk(signed_in(), {role}, f"owner ({role.value})", sign_in_again=signed_in)
        for endpoint, method, url in walked:
            walk.check(endpoint, method, url, expected(endpoint, method, owner=True))
        failures += walk.failures
        visits += walk.visits
    assert visits == len(walked) * len(Role)
    assert not failures, f"{len(failures)} surprises:\n" + "\n".join(failures)
