"""Creating and editing audit cycles, and adding a case by hand, through the real pages."""

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data.cycles import CycleError, overview
from qa_app.data.cycles import add_case as add_case_by_hand
from qa_app.data.organisation import get_settings
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, AuditStatus, Case, ChangeLogEntry, CycleCase, Role
from qa_app.rules.uk_time import uk_today
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import log_actions, make_cycle, make_team, row_counts
from tests.helpers import csrf_token


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def cycle_data(client, **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(client, "/cycles/new"),
        "name": "CIN plans, Q3 2026",
        "kind": "themed",
        "description": "Quality of child in need plans",
        "period_start": ["1", "7", "2026"],
        "period_end": ["30", "9", "2026"],
        "due_date": ["31", "10", "2026"],
        "templates": [str(get_template("cin_plan").id)],
        "theme_focus": "voice_of_child",
        "moderation_share": "15",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


def test_create_a_cycle(lead):
    response = lead.post("/cycles/new", data=cycle_data(lead))
    assert response.status_code == 302
    cycle = db.session.scalars(select(AuditCycle)).one()
    assert (cycle.name, cycle.kind, cycle.moderation_share) == ("CIN plans, Q3 2026", "themed", 15)
    assert cycle.theme_focus == "voice_of_child"
    assert [t.key for t in cycle.templates] == ["cin_plan"]
    assert cycle.created_by_id == lead.user.id
    page = text(lead.get(response.headers["Location"]))
    assert "CIN plans, Q3 2026" in page and "Themed audit" in page
    assert "1 July 2026 to 30 September 2026" in page and "31 October 2026" in page
    assert "Voice of the child" in page and "15% of audits" in page
    entry = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "cycle"))
    entry = entry.one()
    assert (entry.action, entry.user_id) == ("created", lead.user.id)
    assert entry.changes["templates"] == ["cin_plan"]
    listing = text(lead.get("/cycles/"))
    assert "CIN plans, Q3 2026" in listing


def test_the_moderation_share_defaults_to_ten(lead):
    html = lead.get("/cycles/new").get_data(as_text=True)
    assert re.search(r'name="moderation_share"[^>]*value="10"', html)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Enter a name for the cycle"),
        ({"kind": None}, "Choose what kind of cycle this is"),
        ({"templates": None}, "Choose at least one template"),
        (
            {"period_end": ["30", "6", "2026"]},
            "The end of the period must be on or after its start",
        ),
        ({"period_start": ["31", "2", "2026"]}, "Enter the start of the period as a real date"),
        ({"due_date": ["", "", ""]}, "Enter the due date as a real date"),
        ({"moderation_share": "150"}, "Enter a whole number from 0 to 100"),
        ({"period_end": ["1", "1", "9999"]}, "Enter a date from 1990 to 2100"),
        ({"due_date": ["1", "1", "2020"]}, "The due date must be on or after the start"),
        ({"moderation_share": "lots"}, "Enter the share as a whole number from 0 to 100"),
    ],
)
def test_cycle_field_errors(lead, overrides, message):
    response = lead.post("/cycles/new", data=cycle_data(lead, **overrides))
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and message in page
    assert response.get_data(as_text=True).count(message) >= 2  # in the summary and the field
    assert db.session.scalar(select(AuditCycle.id)) is None


def test_cycle_names_are_unique(lead):
    make_cycle("Monthly programme, May")
    response = lead.post("/cycles/new", data=cycle_data(lead, name="monthly programme, may"))
    assert response.status_code == 200
    assert "There is already a cycle called" in text(response)


def test_edit_a_cycle_records_what_changed(lead):
    cycle = make_cycle("Practice week", templates=("single_assessment", "cp_plan_visits"))
    page = lead.get(f"/cycles/{cycle.id}/edit").get_data(as_text=True)
    assert 'value="Practice week"' in page
    data = cycle_data(
        lead,
        name="Practice week, spring",
        kind="practice_week",
        templates=[str(get_template("cp_plan_visits").id)],
    )
    assert lead.post(f"/cycles/{cycle.id}/edit", data=data).status_code == 302
    db.session.refresh(cycle)
    assert cycle.name == "Practice week, spring"
    assert [t.key for t in cycle.templates] == ["cp_plan_visits"]
    updated = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "updated")
    ).one()
    assert updated.changes["name"] == ["Practice week", "Practice week, spring"]
    assert updated.changes["templates"] == [
        ["cp_plan_visits", "single_assessment"],
        ["cp_plan_visits"],
    ]


def add_case(client, cycle, **overrides):
    url = f"/cycles/{cycle.id}/cases/new"
    data = {
        "csrf_token": csrf_token(client, url),
        "case_reference": "1234567",
        "team_id": str(overrides.pop("team").id),
        "worker": "Social worker 12",
        "template_id": str(get_template("single_assessment").id),
    }
    data.update(overrides)
    return client.post(url, data=data)


def test_add_a_case_by_hand(lead):
    team = make_team("Safeguarding North")
    cycle = make_cycle()
    response = add_case(lead, cycle, team=team)
    assert response.status_code == 302
    audit = db.session.scalars(select(Audit)).one()
    assert (audit.case.case_reference, audit.case.team_id, audit.case.worker) == (
        "1234567",
        team.id,
        "Social worker 12",
    )
    assert audit.cycle_id == cycle.id and audit.auditor_id is None
    assert audit.template_version.template.key == "single_assessment"
    assert audit.due_date == cycle.due_date
    assert db.session.scalars(select(CycleCase)).one().case_id == audit.case_id
    assert log_actions("case") == ["created"]
    assert log_actions("audit") == ["created"]
    assert log_actions("cycle")[-1] == "case_added"
    page = text(lead.get(f"/cycles/{cycle.id}"))
    assert "1234567" in page and "Safeguarding North" in page and "Not assigned" in page


def test_an_existing_case_is_reused(lead):
    north, south = make_team("North team"), make_team("South team")
    cycle = make_cycle(templates=("single_assessment", "cin_plan"))
    add_case(lead, cycle, team=north)
    response = add_case(
        lead, cycle, team=south, template_id=str(get_template("cin_plan").id), worker=""
    )
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.team_id == south.id and case.worker is None
    assert len(db.session.scalars(select(Audit)).all()) == 2
    assert len(db.session.scalars(select(CycleCase)).all()) == 1
    assert log_actions("case") == ["created", "updated"]
    # the same template again for the same case is refused
    response = add_case(lead, cycle, team=south, template_id=str(get_template("cin_plan").id))
    assert response.status_code == 200
    assert "already has a Child in need plan audit in this cycle" in text(response)


@pytest.mark.parametrize("reference", ["Jane Smith", "", "12 34", "Jane.Smith"])
def test_a_name_is_refused_as_a_case_reference(lead, reference):
    team = make_team("MASH")
    cycle = make_cycle()
    before = row_counts()
    response = add_case(lead, cycle, team=team, case_reference=reference)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "never a child's name" in page or "Enter the case reference" in page
    assert row_counts() == before


def test_add_case_needs_a_team_and_one_of_the_cycles_templates(lead):
    team = make_team("MASH")
    cycle = make_cycle()
    response = add_case(lead, cycle, team=team, team_id="", template_id="")
    page = text(response)
    assert "Choose the case's team" in page and "Choose a template" in page
    other = get_template("cin_plan")
    response = add_case(lead, cycle, team=team, template_id=str(other.id))
    assert response.status_code == 200 and "Not a valid choice" in text(response)
    assert db.session.scalar(select(Audit.id)) is None


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR, Role.SENIOR_MANAGER])
def test_other_roles_cannot_create_cycles_nor_see_the_link(client_as, loaded_templates, role):
    client = client_as(role)
    assert client.get("/cycles/new").status_code == 403
    assert 'href="/cycles/"' not in client.get("/").get_data(as_text=True)


def test_qa_leads_see_the_cycles_link(lead):
    assert 'href="/cycles/"' in lead.get("/").get_data(as_text=True)


def test_moving_the_due_date_moves_the_open_audits_that_followed_it(lead):
    team = make_team("MASH")
    cycle = make_cycle(templates=("cin_plan",), due=date(2026, 8, 1))
    waiting = make_audit("cin_plan", team=team, reference="1000001", cycle=cycle)
    started = make_audit("cin_plan", team=team, reference="1000002", cycle=cycle)
    done = make_audit("cin_plan", team=team, reference="1000003", cycle=cycle)
    own = make_audit(
        "cin_plan", team=team, reference="1000004", cycle=cycle, due_date=date(2026, 9, 1)
    )
    started.status = AuditStatus.IN_PROGRESS
    done.status = AuditStatus.SUBMITTED
    db.session.commit()
    data = cycle_data(
        lead,
        name=cycle.name,
        period_start=["1", "7", "2026"],
        due_date=["31", "1", "2099"],
        templates=[str(get_template("cin_plan").id)],
    )
    response = lead.post(f"/cycles/{cycle.id}/edit", data=data)
    assert response.status_code == 302
    dues = {
        a.case.case_reference: a.due_date
        for a in db.session.scalars(select(Audit).execution_options(populate_existing=True))
    }
    assert dues == {
        "1000001": date(2099, 1, 31),
        "1000002": date(2099, 1, 31),
        "1000003": date(2026, 8, 1),  # submitted: its due date is history
        "1000004": date(2026, 9, 1),  # given its own due date: kept
    }
    page = text(lead.get(response.headers["Location"]))
    assert "2 open audits now due 31 January 2099" in page
    moved = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "due_date_moved")
    ).all()
    assert sorted(int(e.entity_id) for e in moved) == sorted([waiting.id, started.id])
    assert moved[0].changes["fields"] == {"due_date": ["2026-08-01", "2099-01-31"]}
    updated = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "updated")
    ).one()
    assert sorted(updated.changes["audits_due_moved"]) == sorted([waiting.id, started.id])
    assert overview(cycle.id, uk_today()).overall.overdue == 1  # only the audit of 1000004
    assert own.due_date == date(2026, 9, 1)


def test_a_case_reference_longer_than_60_characters_is_refused_when_added(lead):
    get_settings().case_reference_pattern = "[0-9]+"
    db.session.commit()
    cycle = make_cycle()
    with pytest.raises(CycleError, match="use 60 characters or fewer"):
        add_case_by_hand(
            cycle,
            case_reference="1" * 61,
            team=make_team("MASH"),
            worker=None,
            template=get_template("single_assessment"),
            actor=None,
        )
