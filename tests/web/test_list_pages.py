"""Every list page has one shape (templates/_lists.html list_section): the list's heading, then
its filter form, then the count, then the table and its pages; an empty list nobody filtered says
so without a form or a count."""

import re
from datetime import date

import pytest

from qa_app.data import concerns
from qa_app.extensions import db
from qa_app.models import Report, Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import make_cycle, make_team
from tests.improvement.support import make_action, make_plan


def parts_in_order(html: str, heading: str) -> list[str]:
    """Where the list's parts are on the page, in the order they come: its heading, its filter
    form and count (the page's first), and the first table after the heading."""
    main = html.split("<main", 1)[1]
    title = re.search(rf"<h[12][^>]*>\s*{re.escape(heading)}\s*</h[12]>", main)
    assert title, f"no heading {heading}"
    marks = {
        "heading": title.start(),
        "filters": main.find('class="app-list-filters"'),
        "count": min(
            (m.start() for m in re.finditer(r'id="(?:list|report)-total"', main)), default=-1
        ),
        "table": main.find("<table", title.end()),
    }
    missing = [name for name, at in marks.items() if at < 0]
    assert not missing, f"{heading}: no {missing}"
    return sorted(marks, key=lambda name: marks[name])


@pytest.fixture
def lists(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    cycle = make_cycle("Monthly audits, March")
    audit = make_audit("single_assessment", auditor=lead.user, team=make_team("North"), cycle=cycle)
    concerns.raise_concern(audit, "Needs a response", actor=lead.user)
    make_action(make_plan(lead.user), lead.user, owner=lead.user, due_date=date(2027, 1, 1))
    db.session.add(
        Report(
            kind="cycle",
            series_key="march",
            number=1,
            title="March findings",
            audience="internal",
            status="draft",
            scope={},
            figures={},
            sections=[],
            key_findings={},
        )
    )
    db.session.commit()
    return lead, cycle


def test_every_list_page_has_its_heading_then_filters_then_count_then_table(lists):
    lead, cycle = lists
    pages = {
        f"/cycles/{cycle.id}": "Audits",
        "/audits/mine": "My audits",
        "/concerns/": "Urgent safeguarding concerns",
        "/improvement/actions?view=all": "All actions",
        "/reports/": "Audit, board and scrutiny reports",
    }
    for url, heading in pages.items():
        response = lead.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert parts_in_order(html, heading) == ["heading", "filters", "count", "table"], url


def test_a_filtered_list_that_finds_nothing_keeps_its_form_and_says_so(lists):
    lead, cycle = lists
    html = lead.get(f"/cycles/{cycle.id}?status=moderated").get_data(as_text=True)
    assert "No audits in this cycle match these filters." in html
    assert 'class="app-list-filters"' in html and "0 audits." in html
    assert '<table class="govuk-table app-audit-table"' not in html


def test_an_empty_list_says_so_without_a_form_or_a_count(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    cycle = make_cycle("Empty cycle")
    html = lead.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "No audits in this cycle yet." in html
    assert "Filter the audits" not in html and "0 audits." not in html
    assert html.index(">Audits</h2>") < html.index("No audits in this cycle yet.")
    mine = lead.get("/audits/mine").get_data(as_text=True)
    assert "No audits are assigned to you at the moment." in mine
    assert "Filter your audits" not in mine
