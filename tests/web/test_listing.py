"""The one reader of a number in a query string (web/listing.query_int): whatever is typed in
the address, a page answers, never an OverflowError or a ValueError."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_app.models import Role
from qa_app.web.listing import MAX_ID, query_int
from tests.cycles.cycle_factory import make_cycle

ODD = ["99999999999999999999999", "²", "١٢", "-1", "0", "1e3", " 7 ", "7.0", "", "x" * 500]


@given(st.text(max_size=40))
def test_query_int_is_a_bounded_whole_number_or_none_for_every_input(app, value):
    with app.test_request_context("/", query_string={"n": value}):
        number = query_int("n")
    assert number is None or 1 <= number <= MAX_ID


def test_query_int_reads_a_plain_number(app):
    with app.test_request_context("/?n=42"):
        assert query_int("n") == 42
        assert query_int("missing") is None


@pytest.mark.parametrize("value", ODD)
def test_an_odd_audit_number_on_the_assign_page_goes_back_to_the_cycle(
    client_as, loaded_templates, value
):
    cycle = make_cycle()
    response = client_as(Role.QA_LEAD).get(f"/cycles/{cycle.id}/assign/audit?audit={value}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cycles/{cycle.id}/assign")


@pytest.mark.parametrize("value", ODD)
def test_odd_numbers_in_other_query_strings_are_ignored_not_errors(client_as, value):
    client = client_as(Role.QA_LEAD, Role.AUDITOR)
    assert client.get(f"/notifications?page={value}").status_code == 200


def test_no_route_reads_a_number_from_the_query_string_but_through_query_int():
    package = Path(__file__).parents[2] / "qa_app"
    pattern = re.compile(r"type=int|int\(request\.args")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        # a command line's `type=int` option is not a query string (the data layer bounds it)
        if path.parent.name != "cli" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
