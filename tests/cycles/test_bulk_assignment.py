"""Assigning a cycle's audits in bulk through the real pages: a preview that stores nothing,
a confirmation that stores exactly what was previewed (or refuses a stale one), one change-log
batch, one notification per auditor, and a fixed number of queries however many audits."""

import re

import pytest
from sqlalchemy import func, select

from qa_app.data import cycles
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, ChangeLogEntry, Notification, Role
from qa_app.rules.uk_time import uk_datetime
from qa_app.web.wording import batch_name
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import count_queries, make_cycle, make_team, row_counts
from tests.cycles.test_cycle_assignment import PLAN_RE, assignments, preview, text
from tests.helpers import csrf_token, sign_in


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def response_text(client, cycle) -> str:
    return client.get(f"/cycles/{cycle.id}/assign").get_data(as_text=True)


OTHER_ROLES = [r for r in Role if r is not Role.QA_LEAD]


def add_cases(cycle, team, references):
    template = get_template("single_assessment")
    for reference in references:
        cycles.add_case(
            cycle, case_reference=reference, team=team, worker=None, template=template, actor=None
        )


@pytest.fixture
def world(client_as, make_user, loaded_templates):
    mash, north = make_team("MASH"), make_team("Safeguarding North")
    a = make_user(Role.AUDITOR, username="auditor.a", teams=[mash])
    b = make_user(Role.AUDITOR, username="auditor.b", teams=[north])
    c = make_user(Role.AUDITOR, username="auditor.c", teams=[])
    a.display_name, b.display_name, c.display_name = "Auditor A", "Auditor B", "Auditor C"
    db.session.commit()
    make_audit("cin_plan", auditor=c, team=north, reference="9100001")  # C: 1 open elsewhere
    cycle = make_cycle()
    add_cases(cycle, mash, ["5000001", "5000002"])
    add_cases(cycle, north, ["5000003", "5000004", "5000005"])
    return {
        "lead": client_as(Role.QA_LEAD),
        "cycle": cycle,
        "a": a,
        "b": b,
        "c": c,
        "mash": mash,
        "north": north,
    }


def confirm(client, cycle, data, response):
    plan = PLAN_RE.search(response.get_data(as_text=True)).group(1)
    return client.post(f"/cycles/{cycle.id}/assign/spread", data={**data, "plan": plan})


def batch_entries():
    return db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "assignment_batch")
    ).all()


def test_the_preview_shows_what_would_be_stored_and_stores_nothing(world):
    lead, cycle = world["lead"], world["cycle"]
    before = row_counts()
    data, shown = preview(lead, cycle, world["a"], world["c"], team_ids=[world["north"].id])
    assert shown.status_code == 200
    page = text(shown)
    assert "Check before you assign" in page and "3 audits would move" in page
    # case, team, auditor now, auditor after, the new auditor's open audits before -> after
    assert "5000003 Safeguarding North Not assigned Auditor A 0 → 2" in page
    assert "5000004 Safeguarding North Not assigned Auditor A 0 → 2" in page
    assert "5000005 Safeguarding North Not assigned Auditor C 1 → 2" in page
    assert "5000001" not in page  # MASH was not chosen
    assert "Confirm: assign 3 audits" in page
    assert row_counts() == before
    assert set(assignments(cycle).values()) == {None}
    response = confirm(lead, cycle, data, shown)
    assert response.status_code == 302
    assert assignments(cycle) == {
        "5000001": None,
        "5000002": None,
        "5000003": "auditor.a",
        "5000004": "auditor.a",
        "5000005": "auditor.c",
    }
    (batch,) = batch_entries()
    assert batch.changes["items"] == [
        {"audit": i["audit"], "case": ref, "cycle": cycle.id, "from": None, "to": to}
        for i, (ref, to) in zip(
            batch.changes["items"],
            [("5000003", "auditor.a"), ("5000004", "auditor.a"), ("5000005", "auditor.c")],
            strict=True,
        )
    ]
    page = text(lead.get(response.headers["Location"]))
    name = batch_name(batch)
    assert name.startswith("the bulk change of ") and name.endswith(" (3 audits)")
    assert f"3 audits assigned: listed as {name}" in page
    assert "Batch" not in page  # the change log's id is not the QA lead's
    # listed among the cycle's bulk changes by when, linking to its page
    assert f"{uk_datetime(batch.at)} (open {name}) 3 audits: " in page
    assert f'href="/cycles/assign/batches/{batch.id}"' in response_text(lead, cycle)


def test_a_confirmation_whose_preview_went_stale_is_refused_with_the_new_preview(world, app):
    lead, cycle = world["lead"], world["cycle"]
    data, shown = preview(lead, cycle, world["a"], world["b"], world["c"])
    # meanwhile another QA lead assigns one of the audits by hand
    audit = db.session.scalar(select(Audit).where(Audit.cycle_id == cycle.id).order_by(Audit.id))
    audit.auditor_id = world["b"].id
    db.session.commit()
    response = confirm(lead, cycle, data, shown)
    assert response.status_code == 200
    page = text(response)
    assert "The audits changed after the preview was made" in page
    assert "4 audits would move" in page
    assert batch_entries() == []
    assert list(assignments(cycle).values()).count(None) == 4
    response = confirm(lead, cycle, data, response)  # the new preview, confirmed
    assert response.status_code == 302
    assert None not in assignments(cycle).values()


def test_topping_up_to_a_capacity_fewest_loaded_first(world):
    lead, cycle = world["lead"], world["cycle"]
    data, shown = preview(lead, cycle, world["b"], world["c"], how="capacity", capacity="2")
    page = text(shown)
    # B (0 open, North) may only take the MASH cases; C (1 open) takes one more, to 2
    assert "2 audits left as they are" in page
    assert page.count("every chosen auditor who may take it is at the capacity") == 2
    confirm(lead, cycle, data, shown)
    given = assignments(cycle)
    assert sorted(v for v in given.values() if v) == ["auditor.b", "auditor.b", "auditor.c"]
    assert given["5000001"] == given["5000002"] == "auditor.b"


def test_capacity_is_asked_for_when_topping_up(world):
    lead, cycle = world["lead"], world["cycle"]
    _, shown = preview(lead, cycle, world["b"], how="capacity")
    assert "Enter the number of open audits to top each auditor up to" in text(shown)
    _, shown = preview(lead, cycle, world["b"], how="capacity", capacity="lots")
    assert "Enter the number of open audits as a whole number, like 8" in text(shown)


def test_each_auditor_is_told_once_and_each_audit_history_names_the_batch(world):
    lead, cycle = world["lead"], world["cycle"]
    data, shown = preview(lead, cycle, world["a"], world["b"], world["c"])
    confirm(lead, cycle, data, shown)
    told = db.session.execute(
        select(Notification.user_id, func.count())
        .where(Notification.kind == "audit_assigned")
        .group_by(Notification.user_id)
    ).all()
    assert sorted(n for _, n in told) == [1, 1, 1]
    (batch,) = batch_entries()
    audit = db.session.scalar(select(Audit).where(Audit.cycle_id == cycle.id).order_by(Audit.id))
    page = lead.get(f"/audits/{audit.id}/history").get_data(as_text=True)
    assert "Assigned to Auditor B (was nobody), in " in text_of(page)
    assert (
        f'<a class="govuk-link" href="/cycles/assign/batches/{batch.id}">a bulk change</a>' in page
    )
    page = text(lead.get(f"/cycles/assign/batches/{batch.id}"))
    assert batch_name(batch).replace("the bulk", "Bulk") in page and "(5 audits)" in page
    assert "5000001 Not assigned Auditor B" in page


def test_queries_stay_the_same_however_many_audits(world):
    lead, cycle = world["lead"], world["cycle"]
    counts = []
    for extra in (0, 30):
        add_cases(cycle, world["mash"], [f"60{extra:02d}{n:03d}" for n in range(extra)])
        data, _ = preview(lead, cycle, world["b"], world["c"])
        with count_queries() as shown_queries:
            shown = lead.post(f"/cycles/{cycle.id}/assign/spread", data=data)
        with count_queries() as stored_queries:
            assert confirm(lead, cycle, data, shown).status_code == 302
        counts.append((len(shown_queries), len(stored_queries)))
        for audit in db.session.scalars(select(Audit).where(Audit.cycle_id == cycle.id)):
            audit.auditor_id = None  # the same work the second time round, with more audits
        db.session.commit()
    assert counts[0] == counts[1], counts


def test_every_other_role_is_refused_every_bulk_page(world, client_as):
    cycle, b = world["cycle"], world["b"]
    data, shown = preview(world["lead"], cycle, b)
    confirm(world["lead"], cycle, data, shown)
    (batch,) = batch_entries()
    before = assignments(cycle)
    for role in OTHER_ROLES:
        client = client_as(role)
        token = csrf_token(client)
        for url in (
            f"/cycles/{cycle.id}/assign",
            "/cycles/auditors",
            f"/cycles/auditors/{b.id}",
            f"/cycles/assign/batches/{batch.id}",
            f"/cycles/{cycle.id}/assign/audit?audit={batch.changes['items'][0]['audit']}",
        ):
            assert client.get(url).status_code == 403, (role, url)
        for url, form in (
            (f"/cycles/{cycle.id}/assign/spread", {"how": "even", "auditor_ids": [b.id]}),
            (f"/cycles/auditors/{b.id}", {"audit_ids": [1], "unassign": "y"}),
            (f"/cycles/{cycle.id}/assign/audit?audit=1", {"auditor_id": b.id}),
        ):
            response = client.post(url, data={"csrf_token": token, **form})
            assert response.status_code == 403, (role, url)
    assert assignments(cycle) == before and len(batch_entries()) == 1


def test_bulk_posts_without_the_csrf_token_are_refused(world):
    lead, cycle, b = world["lead"], world["cycle"], world["b"]
    data, shown = preview(lead, cycle, b)
    plan = PLAN_RE.search(shown.get_data(as_text=True)).group(1)
    data = {k: v for k, v in data.items() if k != "csrf_token"}
    response = lead.post(f"/cycles/{cycle.id}/assign/spread", data={**data, "plan": plan})
    assert response.status_code == 400
    response = lead.post(f"/cycles/auditors/{b.id}", data={"audit_ids": [1], "unassign": "y"})
    assert response.status_code == 400
    assert set(assignments(cycle).values()) == {None}


def test_the_auditor_list_is_narrowed_by_name_and_team(world):
    lead, cycle = world["lead"], world["cycle"]
    page = lead.get(f"/cycles/{cycle.id}/assign?auditor_team={world['north'].id}")
    body = page.get_data(as_text=True)
    assert "Auditor B" in body and "Auditor A" not in body and "Auditor C" not in body
    assert "Showing 1 of" in text(page)
    body = lead.get(f"/cycles/{cycle.id}/assign?auditor_name=or+c").get_data(as_text=True)
    assert re.search(r"Auditor C", body) and "Auditor A" not in body


@pytest.mark.parametrize(
    "query", ["auditor_team=abc", "auditor_team=99999999", f"auditor_name={'x' * 5000}", "x=<b>"]
)
def test_an_odd_filter_is_shown_everyone_or_no_one_never_an_error(world, query):
    lead, cycle = world["lead"], world["cycle"]
    for url in (f"/cycles/{cycle.id}/assign", "/cycles/auditors"):
        response = lead.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)
        assert "<b>" not in response.get_data(as_text=True)


RAW_WTFORMS = ("not a valid choice", "could not be coerced", "Invalid choice")


def test_an_auditor_disabled_after_the_page_loaded_is_named_with_what_to_do(world):
    lead, cycle, a, c = world["lead"], world["cycle"], world["a"], world["c"]
    a.active = False
    db.session.commit()
    _, shown = preview(lead, cycle, a, c)
    page = text(shown)
    assert shown.status_code == 400
    assert "Auditor A can no longer do audits: choose another auditor" in page
    assert not any(words in page for words in RAW_WTFORMS)
    assert batch_entries() == []


@pytest.mark.parametrize("value", ["seven", "99999999999999999999999", "-3"])
def test_an_odd_auditor_or_team_value_is_refused_naming_the_field(world, value):
    lead, cycle = world["lead"], world["cycle"]
    _, shown = preview(lead, cycle, world["c"], team_ids=[value])
    page = text(shown)
    assert shown.status_code == 400
    assert "Case teams:" in page
    assert not any(words in page for words in RAW_WTFORMS)
    url = f"/cycles/{cycle.id}/assign/spread"
    data = {"csrf_token": csrf_token(lead, url), "how": "even", "auditor_ids": [value]}
    page = text(refused := lead.post(url, data=data))
    assert refused.status_code == 400 and "Auditors:" in page
    assert not any(words in page for words in RAW_WTFORMS)


def test_assigning_one_audit_to_a_disabled_auditor_names_them(world):
    lead, cycle, a = world["lead"], world["cycle"], world["a"]
    audit = db.session.scalar(select(Audit).where(Audit.cycle_id == cycle.id).order_by(Audit.id))
    a.active = False
    db.session.commit()
    url = f"/cycles/{cycle.id}/assign/audit?audit={audit.id}"
    refused = lead.post(url, data={"csrf_token": csrf_token(lead, url), "auditor_id": a.id})
    page = text(refused)
    assert refused.status_code == 400
    assert "Auditor A can no longer do audits: choose another auditor" in page
    assert not any(words in page for words in RAW_WTFORMS)
    db.session.refresh(audit)
    assert audit.auditor_id is None


def test_an_auditor_sees_the_assignment_in_words_without_a_link_they_cannot_open(world):
    lead, cycle = world["lead"], world["cycle"]
    data, shown = preview(lead, cycle, world["c"])
    confirm(lead, cycle, data, shown)
    audit = db.session.scalar(select(Audit).where(Audit.cycle_id == cycle.id).order_by(Audit.id))
    auditor = lead.application.test_client()
    assert sign_in(auditor, world["c"].username).status_code == 302
    page = auditor.get(f"/audits/{audit.id}/history").get_data(as_text=True)
    assert "Assigned to Auditor C (was nobody), in a bulk change" in text_of(page)
    assert "/cycles/assign/batches/" not in page


def test_a_confirmation_after_someone_else_assigned_everything_says_so(world):
    lead, cycle = world["lead"], world["cycle"]
    data, shown = preview(lead, cycle, world["a"], team_ids=[world["north"].id])
    for audit in db.session.scalars(select(Audit).where(Audit.cycle_id == cycle.id)):
        audit.auditor_id = world["b"].id
    db.session.commit()
    page = text(confirm(lead, cycle, data, shown))
    assert "since the preview, someone else assigned, started or submitted every audit" in page
    assert batch_entries() == []
