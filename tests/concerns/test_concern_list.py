"""The concerns list: sorted, filtered (open, overdue, signed off; team), paged, scoped."""

import re

import pytest

from qa_app.data import concerns
from qa_app.models import Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import count_queries, make_team


def references(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/concerns/\d+">([^<]+)</a>', html)


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


def raise_on(reference: str, actor, team=None):
    audit = make_audit("single_assessment", auditor=actor, reference=reference, team=team)
    return concerns.raise_concern(audit, "Bruising seen", actor=actor, working_days=3)


def test_concerns_filter_by_state_and_sort(lead):
    raise_on("A100", lead.user)
    done = raise_on("B200", lead.user)
    concerns.respond(done, "Strategy meeting held", actor=lead.user)
    concerns.sign_off(done, actor=lead.user)
    html = lead.get("/concerns/").get_data(as_text=True)
    assert references(html) == ["A100", "B200"]  # open first
    assert references(lead.get("/concerns/?state=open").get_data(as_text=True)) == ["A100"]
    signed = lead.get("/concerns/?state=signed_off").get_data(as_text=True)
    assert references(signed) == ["B200"] and "1 concern." in signed
    by_case = lead.get("/concerns/?sort=case&direction=desc").get_data(as_text=True)
    assert references(by_case) == ["B200", "A100"]
    assert lead.get("/concerns/?state=nonsense&sort=zzz").status_code == 200


def test_a_team_member_lists_only_their_teams_concerns(lead, client_as, make_user):
    north, south = make_team("North"), make_team("South")
    raise_on("N1", lead.user, north)
    raise_on("S1", lead.user, south)
    member = make_user(Role.AUDITOR, username="northie", teams=[north])
    from tests.helpers import sign_in

    client = lead.application.test_client()
    sign_in(client, member.username)
    html = client.get("/concerns/").get_data(as_text=True)
    assert references(html) == ["N1"]
    assert references(client.get(f"/concerns/?team={south.id}").get_data(as_text=True)) == []


def test_the_concerns_list_runs_a_constant_number_of_queries(lead):
    raise_on("C000", lead.user)
    with count_queries() as few:
        lead.get("/concerns/")
    for n in range(1, 55):
        raise_on(f"C{n:03}", lead.user)
    with count_queries() as many:
        html = lead.get("/concerns/").get_data(as_text=True)
    assert len(many) == len(few)
    assert "55 concerns, page 1 of 2." in html
