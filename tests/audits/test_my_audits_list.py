"""My audits: sorted by the column headers, filtered, paged, in a constant number of queries."""

import re
from datetime import timedelta

import pytest

from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import count_queries


def references(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/audits/\d+">([^<]+)</a>', html)


@pytest.fixture
def auditor(client_as, loaded_templates):
    return client_as(Role.AUDITOR)


def test_my_audits_sort_by_a_column_both_ways(auditor):
    for n, reference in enumerate(["300", "100", "200"]):
        make_audit(
            "single_assessment",
            auditor=auditor.user,
            reference=reference,
            due_date=uk_today() + timedelta(days=n),
        )
    html = auditor.get("/audits/mine").get_data(as_text=True)
    assert references(html) == ["300", "100", "200"]  # open ones by due date
    assert 'aria-sort="ascending"' in html
    html = auditor.get("/audits/mine?sort=case").get_data(as_text=True)
    assert references(html) == ["100", "200", "300"]
    assert 'href="/audits/mine?sort=case&amp;direction=desc"' in html
    html = auditor.get("/audits/mine?sort=case&direction=desc").get_data(as_text=True)
    assert references(html) == ["300", "200", "100"]
    assert "3 audits." in html


def test_my_audits_filter_by_overdue_and_status(auditor):
    make_audit(
        "single_assessment",
        auditor=auditor.user,
        reference="LATE1",
        due_date=uk_today() - timedelta(days=2),
    )
    make_audit(
        "single_assessment",
        auditor=auditor.user,
        reference="SOON1",
        due_date=uk_today() + timedelta(days=2),
    )
    html = auditor.get("/audits/mine?overdue=yes").get_data(as_text=True)
    assert references(html) == ["LATE1"]
    assert "1 audit." in html
    html = auditor.get("/audits/mine?status=submitted").get_data(as_text=True)
    assert references(html) == []
    assert "None of your audits match these filters." in html


def test_hostile_arguments_fall_back_to_the_defaults(auditor):
    make_audit("single_assessment", auditor=auditor.user, reference="X1")
    for query in (
        "sort=evidence",
        "direction=up",
        "status=<script>",
        "page=abc",
        "team=1%27--",
        "page=99999999999999999999",
    ):
        response = auditor.get(f"/audits/mine?{query}")
        assert response.status_code == 200, query
        assert references(response.get_data(as_text=True)) == ["X1"]


def test_my_audits_are_paged_in_a_constant_number_of_queries(auditor):
    make_audit("single_assessment", auditor=auditor.user, reference="R000")
    with count_queries() as few:
        auditor.get("/audits/mine")
    for n in range(1, 60):
        make_audit("single_assessment", auditor=auditor.user, reference=f"R{n:03}")
    with count_queries() as many:
        html = auditor.get("/audits/mine?sort=case").get_data(as_text=True)
    assert len(many) == len(few)
    assert len(references(html)) == 50
    assert "60 audits, page 1 of 2." in html
    assert "govuk-pagination" in html
    last = auditor.get("/audits/mine?sort=case&page=7").get_data(as_text=True)
    assert references(last) == [f"R{n:03}" for n in range(50, 60)]
    assert "There is no such page: this is the last one, page 2." in last


def test_an_auditor_lists_only_their_own_audits(auditor, make_user):
    other = make_user(Role.AUDITOR)
    make_audit("single_assessment", auditor=other, reference="THEIRS")
    html = auditor.get("/audits/mine?auditor=" + str(other.id)).get_data(as_text=True)
    assert "THEIRS" not in html
