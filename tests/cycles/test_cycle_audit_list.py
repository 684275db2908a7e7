"""A cycle's audits on its page: sorted by the column headers, filtered by status, overdue,
team, auditor and template, paged; the assign page keeps its plain table."""

import re
from datetime import timedelta

import pytest

from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import make_cycle, make_team


def references(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/audits/\d+">([^<]+)</a>', html)


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


@pytest.fixture
def cycle(lead, make_user):
    cycle = make_cycle()
    north, south = make_team("North"), make_team("South")
    zed = make_user(Role.AUDITOR, username="zed")
    amy = make_user(Role.AUDITOR, username="amy")
    late = uk_today() - timedelta(days=3)
    make_audit(
        "single_assessment", cycle=cycle, team=north, auditor=zed, reference="C3", due_date=late
    )
    make_audit("single_assessment", cycle=cycle, team=south, auditor=amy, reference="C1")
    make_audit("single_assessment", cycle=cycle, team=north, reference="C2")
    cycle.teams = {"north": north, "south": south}
    cycle.people = {"zed": zed, "amy": amy}
    return cycle


def test_the_cycle_audits_sort_by_each_column(lead, cycle):
    url = f"/cycles/{cycle.id}"
    assert references(lead.get(url).get_data(as_text=True)) == ["C1", "C2", "C3"]
    by_team = lead.get(f"{url}?sort=team&direction=desc").get_data(as_text=True)
    assert references(by_team)[0] == "C1"  # South before North
    by_auditor = lead.get(f"{url}?sort=auditor").get_data(as_text=True)
    assert references(by_auditor) == ["C1", "C3", "C2"]  # Test amy, Test zed, unassigned last
    html = lead.get(f"{url}?sort=case&direction=desc").get_data(as_text=True)
    assert references(html) == ["C3", "C2", "C1"]
    assert 'aria-sort="descending"' in html


def test_the_cycle_audits_filter_by_team_auditor_and_overdue(lead, cycle):
    url = f"/cycles/{cycle.id}"
    north = cycle.teams["north"].id
    by_team = lead.get(f"{url}?team={north}").get_data(as_text=True)
    assert references(by_team) == ["C2", "C3"] and "2 audits." in by_team
    template = cycle.templates[0].id
    by_template = lead.get(f"{url}?template={template}&team={north}").get_data(as_text=True)
    assert "2 audits." in by_template
    assert "0 audits." in lead.get(f"{url}?template=999999").get_data(as_text=True)
    zed = cycle.people["zed"].id
    assert references(lead.get(f"{url}?auditor={zed}").get_data(as_text=True)) == ["C3"]
    overdue = lead.get(f"{url}?overdue=yes").get_data(as_text=True)
    assert references(overdue) == ["C3"] and "1 audit." in overdue
    none = lead.get(f"{url}?status=moderated").get_data(as_text=True)
    assert references(none) == [] and "No audits in this cycle match these filters." in none
    # the progress tables still count the whole cycle
    assert "3 audits." not in none


def test_the_assign_page_lists_the_audits_sorted_and_paged_as_the_cycle_page(lead, cycle):
    url = f"/cycles/{cycle.id}/assign"
    html = lead.get(url).get_data(as_text=True)
    assert references(html) == ["C1", "C2", "C3"] and "aria-sort" in html
    assert references(lead.get(url + "?sort=case&direction=desc").get_data(as_text=True)) == [
        "C3",
        "C2",
        "C1",
    ]
    assert f"/cycles/{cycle.id}/assign/audit?audit=" in html  # each open audit: assign it
