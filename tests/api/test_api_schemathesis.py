"""The document and the validation are one: schemathesis generates requests from the served
OpenAPI document, both ones it allows and ones it forbids, for every operation, and sends them
to the application in-process (no network, no server) as a QA lead with an API token.

Each response must be no server error, documented for its operation (status, content type and
body schema), and:
- a request the document forbids is refused (negative data rejection);
- a request the document allows is never refused by the schemas that validate it (the same
  models the document is made from). It may still be refused by a rule the data decides: a
  template key or team name that names nothing, a period ending before it starts, an audit
  with answers missing: a 422 the views add after the schemas have accepted the request.

Bounded (a few examples per operation, derandomised, no deadline) so that it is reproducible
and takes well under a minute."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from qa_app.api import validation
from qa_app.data import improvement as plan_data
from qa_app.data import users
from qa_app.data.organisation import save_team
from qa_app.data.templates import store_library
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.validate import validate_path
from tests.api.support import DOC, PREFIX, api_as
from tests.audits.factory import make_audit
from tests.conftest import REPO

schema = schemathesis.openapi.from_dict(DOC)
schema.config.update(base_url=f"http://localhost{PREFIX}")
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=5,
    deterministic=True,
    database="none",
)
# A 422 on data the document allows is judged by `schemas_accept_it` below, which can tell a
# rule of the data (allowed) from a schema refusing it (never allowed).
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx", "401", "403", "404", "409", "422"
]  # fmt: skip
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]


@pytest.fixture
def refusals(monkeypatch) -> list:
    """What the schemas refused in each request, as (field, message) lists."""
    seen: list = []
    validate = validation._validated

    def spy(*args, **kwargs):
        model, problems = validate(*args, **kwargs)
        seen.append([(p["field"], p["message"]) for p in problems.items])
        return model, problems

    monkeypatch.setattr(validation, "_validated", spy)
    return seen


@pytest.fixture(scope="module")
def library():
    library, problems = validate_path(REPO / "audit_templates")
    assert not problems, problems
    return library


@pytest.fixture
def lead(app, make_user, library, monkeypatch):
    """A QA lead with a token, in a service with the shipped templates, a team, an audit of
    theirs and an improvement action: objects the generated ids (1, 2...) may find. (The
    account never signs in with its password: it is not hashed, which takes a quarter of a
    second, once per operation.)"""
    monkeypatch.setattr(users, "hash_password", lambda password: "not-a-password-hash")
    store_library(library)
    lead = api_as(app, make_user, Role.QA_LEAD)
    save_team("Assessment Team 1", None, True, actor=None)
    make_audit("cin_plan", auditor=lead.user)
    plan = plan_data.save_plan(None, title="Improvement plan", actor=lead.user)
    plan_data.create_action(
        plan, actor=lead.user, today=uk_today(), description="Chronologies in every record"
    )
    db.session.commit()
    return lead


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_does_what_its_document_says(case, app, lead, refusals):
    refusals.clear()
    db.session.commit()
    with app.app_context():  # a fresh one per request, as in production
        case.operation.schema.app = app  # also for the requests a check makes itself
        response = case.call_and_validate(
            app=app, headers={"Authorization": f"Bearer {lead.token}"}, checks=CHECKS
        )
    if case.meta is not None and case.meta.generation.mode.is_positive:
        refused = [problem for problems in refusals for problem in problems]
        assert not refused, (case.operation.label, case.body, case.query, refused)
    assert response.status_code < 500
