"""The search page: case references (exact first, then prefix), practitioners, auditors and
teams, across audits, concerns and improvement actions; each reader sees only what they may."""

import re
from datetime import date

import pytest

from qa_app.data import concerns
from qa_app.models import Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import count_queries, make_cycle, make_team
from tests.helpers import sign_in
from tests.improvement.support import make_action, make_plan


def found(html: str, kind: str) -> list[str]:
    """The link texts of the rows in the group `kind` (audits, concerns, actions)."""
    match = re.search(rf'<h2 class="govuk-heading-m" id="{kind}">.*?(?=<h2 |</main>)', html, re.S)
    if not match:
        return []
    links = re.findall(r'<td class="govuk-table__cell"><a [^>]*>(.*?)</a>', match.group(0), re.S)
    return [re.sub(r"<[^>]+>.*?</span>", "", link).strip() for link in links]


@pytest.fixture
def world(loaded_templates, make_user):
    north = make_team("North Family Support")
    south = make_team("South Children in Need")
    alice = make_user(Role.AUDITOR, username="alice", teams=[north])
    bob = make_user(Role.AUDITOR, username="bob", teams=[south])
    make_audit("single_assessment", auditor=alice, team=north, reference="AB1234")
    make_audit("single_assessment", auditor=alice, team=north, reference="ab12345")
    bobs = make_audit("single_assessment", auditor=bob, team=south, reference="CD5678")
    return {"north": north, "south": south, "alice": alice, "bob": bob, "bobs": bobs}


def test_an_exact_case_reference_comes_first_then_the_references_it_begins(client_as, world):
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/search/?q=  ab12345 ").get_data(as_text=True)
    assert found(html, "audits") == ["ab12345"]
    html = lead.get("/search/?q=AB1234").get_data(as_text=True)
    assert found(html, "audits") == ["AB1234", "ab12345"]  # exact, then prefix; any case
    assert "2 results for ‘AB1234’" in html


def test_a_reference_stored_in_mixed_case_is_found_in_any_case(client_as, world):
    make_audit("single_assessment", auditor=world["alice"], reference="Cp77x")
    lead = client_as(Role.QA_LEAD)
    assert found(lead.get("/search/?q=cP77").get_data(as_text=True), "audits") == ["Cp77x"]
    assert found(lead.get("/search/?q=CP77X").get_data(as_text=True), "audits") == ["Cp77x"]


def test_a_practitioner_an_auditor_or_a_team_finds_their_audits(client_as, world, make_user):
    lead = client_as(Role.QA_LEAD)
    by_worker = lead.get("/search/?q=social worker").get_data(as_text=True)
    assert found(by_worker, "audits") == ["AB1234", "ab12345", "CD5678"]
    by_auditor = lead.get("/search/?q=Test BOB").get_data(as_text=True)
    assert found(by_auditor, "audits") == ["CD5678"]
    by_team = lead.get("/search/?q=north family").get_data(as_text=True)
    assert found(by_team, "audits") == ["AB1234", "ab12345"]
    miss = lead.get("/search/?q=nobody-here").get_data(as_text=True)
    assert "0 results for ‘nobody-here’" in miss
    assert "No audits match." in miss


def test_an_auditor_finds_only_their_own_audits(client_as, world, app):
    client = app.test_client()
    sign_in(client, "alice")
    html = client.get("/search/?q=CD5678").get_data(as_text=True)
    assert found(html, "audits") == []  # Bob's case: nothing, not even a count
    assert "0 results" in html
    assert "CD5678</a>" not in html
    html = client.get("/search/?q=test bob").get_data(as_text=True)
    assert found(html, "audits") == []
    assert found(client.get("/search/?q=ab").get_data(as_text=True), "audits") == [
        "AB1234",
        "ab12345",
    ]


def test_concerns_are_found_only_by_those_who_may_see_them(client_as, world, app, make_user):
    concerns.raise_concern(world["bobs"], "Child seen with bruising", actor=world["bob"])
    lead = client_as(Role.QA_LEAD)
    assert found(lead.get("/search/?q=CD5678").get_data(as_text=True), "concerns") == ["CD5678"]
    alice = app.test_client()
    sign_in(alice, "alice")  # another team: neither the audit nor the concern
    html = alice.get("/search/?q=CD5678").get_data(as_text=True)
    assert found(html, "concerns") == [] and found(html, "audits") == []
    assert "bruising" not in lead.get("/search/?q=CD5678").get_data(as_text=True)


def test_board_viewers_and_administrators_may_not_search(client_as, world):
    for role in (Role.BOARD_VIEWER, Role.ADMIN):
        response = client_as(role).get("/search/?q=AB1234")
        assert response.status_code == 403
        assert "AB1234" not in response.get_data(as_text=True)


def row_text(html: str, kind: str) -> list[str]:
    """Each row of the group `kind` as its cells' words, tags and all, joined by ' | '."""
    match = re.search(rf'<h2 class="govuk-heading-m" id="{kind}">.*?(?=<h2 |</main>)', html, re.S)
    assert match, f"no {kind} group"
    rows = re.findall(r"<tbody.*?</tbody>", match.group(0), re.S)[0]
    out = []
    for row in re.findall(r"<tr .*?</tr>", rows, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        words = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
        out.append(" | ".join(words))
    return out


def test_improvement_actions_are_found_by_their_owner_with_title_plan_status_and_due(
    client_as, world
):
    lead = client_as(Role.QA_LEAD)
    plan = make_plan(lead.user, title="Plan 2026 to 2027")
    long = "Team managers check the voice of the child in every plan " * 4
    make_action(
        plan, lead.user, long, owner=world["bob"], due_date=date(2027, 1, 1), status="at_risk"
    )
    html = lead.get("/search/?q=test bob").get_data(as_text=True)
    (row,) = row_text(html, "actions")
    assert row.startswith("Action 1: Team managers check the voice of the child")
    assert long.strip() not in row  # the title shortened
    assert "| Plan 2026 to 2027 | Test bob | 1 January 2027 | At risk" in row
    assert "at_risk" not in html


def test_an_audit_row_says_its_template_cycle_auditor_status_and_due_date(client_as, world):
    cycle = make_cycle("Monthly audits, March")
    make_audit(
        "single_assessment",
        auditor=world["bob"],
        reference="EF9012",
        cycle=cycle,
        due_date=date(2027, 3, 5),
    )
    html = client_as(Role.QA_LEAD).get("/search/?q=EF9012").get_data(as_text=True)
    (row,) = row_text(html, "audits")
    assert "Monthly audits, March" in row
    assert "| Test bob | Not started | 5 March 2027" in row
    assert "not_started" not in html and "2027-03-05" not in html


def test_an_exact_reference_is_tagged_and_first_the_others_are_not(client_as, world):
    make_audit("single_assessment", auditor=world["alice"], reference="AB1234-2")
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/search/?q=ab1234").get_data(as_text=True)
    rows = row_text(html, "audits")
    assert [r.split(" | ")[0] for r in rows] == [
        "Audit of case AB1234 Exact match",
        "Audit of case AB1234-2",
        "Audit of case ab12345",
    ]
    assert html.count("Exact match") == 1
    prefix = lead.get("/search/?q=AB123").get_data(as_text=True)
    assert "Exact match" not in prefix  # a beginning of references: none is the one typed


def test_a_query_too_long_is_refused_with_a_message_not_echoed_in_full(client_as, world):
    lead = client_as(Role.QA_LEAD)
    response = lead.get("/search/?q=" + "A" * 5000)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Search for at most 100 characters" in html
    assert "A" * 101 not in html


def test_a_control_character_in_a_query_is_refused(client_as, world):
    response = client_as(Role.QA_LEAD).get("/search/?q=AB%00")
    assert response.status_code == 400
    assert "letters, digits, spaces and punctuation only" in response.get_data(as_text=True)


@pytest.mark.parametrize("bidi", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"])
def test_a_bidirectional_control_in_a_query_is_refused_and_not_echoed(client_as, world, bidi):
    response = client_as(Role.QA_LEAD).get("/search/", query_string={"q": f"AB{bidi}4321"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "letters, digits, spaces and punctuation only" in html
    assert bidi not in html
    assert 'value="AB4321"' in html  # what was typed, less the control


def test_html_and_wildcards_in_a_query_are_text(client_as, world):
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/search/?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert found(lead.get("/search/?q=%25").get_data(as_text=True), "audits") == []
    assert found(lead.get("/search/?q=AB12_4").get_data(as_text=True), "audits") == []


def test_results_are_paged_by_kind_in_a_constant_number_of_queries(client_as, world):
    lead = client_as(Role.QA_LEAD)
    alice = world["alice"]
    with count_queries() as few:
        lead.get("/search/?q=ab")
    for n in range(30):
        make_audit("single_assessment", auditor=alice, team=world["north"], reference=f"AB9{n:03}")
    with count_queries() as many:
        html = lead.get("/search/?q=ab").get_data(as_text=True)
    assert len(many) == len(few)
    assert len(found(html, "audits")) == 20
    assert "See all 32 audits (2 pages)</a>" in html
    assert "page 1 of" not in html  # the first rows of a search are on no page of a list
    page2 = lead.get("/search/?q=ab&kind=audits&page=2").get_data(as_text=True)
    assert len(found(page2, "audits")) == 12
    assert "32 audits, page 2 of 2" in page2
    beyond = lead.get("/search/?q=ab&kind=audits&page=99").get_data(as_text=True)
    assert "this is the last one, page 2" in beyond
    hostile = lead.get("/search/?q=ab&kind=drop&page=-1")
    assert hostile.status_code == 200
