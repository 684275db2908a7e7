"""Assigning a cycle's audits through the real pages: one by one, or spread evenly; never
an auditor's own team unless the QA lead overrides it, and then it shows."""

import html as html_lib
import re

import pytest
from sqlalchemy import select

from qa_app.data import cycles
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, ChangeLogEntry, Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import make_cycle, make_team
from tests.helpers import csrf_token


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


@pytest.fixture
def setup(client_as, make_user, loaded_templates):
    mash, north, cic = make_team("MASH"), make_team("Safeguarding North"), make_team("CiC")
    a = make_user(Role.AUDITOR, username="auditor.a", teams=[mash])
    b = make_user(Role.AUDITOR, username="auditor.b", teams=[north])
    c = make_user(Role.MODERATOR, username="auditor.c", teams=[cic])
    a.display_name, b.display_name, c.display_name = "Auditor A", "Auditor B", "Auditor C"
    db.session.commit()
    for reference in ("9100001", "9100002"):  # C already has two open audits elsewhere
        make_audit("cin_plan", auditor=c, team=cic, reference=reference)
    cycle = make_cycle()
    template = get_template("single_assessment")
    refs = {mash: ["4000001", "4000002", "4000003"], north: ["4000004", "4000005", "4000006"]}
    refs[cic] = ["4000007", "4000008"]
    for team, references in refs.items():
        for reference in references:
            cycles.add_case(
                cycle,
                case_reference=reference,
                team=team,
                worker=None,
                template=template,
                actor=None,
            )
    lead = client_as(Role.QA_LEAD)
    return {"lead": lead, "cycle": cycle, "a": a, "b": b, "c": c, "mash": mash}


def assignments(cycle) -> dict[str, str | None]:
    audits = db.session.scalars(select(Audit).where(Audit.cycle_id == cycle.id))
    return {a.case.case_reference: a.auditor.username if a.auditor else None for a in audits}


PLAN_RE = re.compile(r'name="plan" value="([0-9a-f]+)"')


def preview(client, cycle, *auditors, **choices):
    url = f"/cycles/{cycle.id}/assign"
    data = {"csrf_token": csrf_token(client, url), "how": "even", **choices}
    data["auditor_ids"] = [u.id for u in auditors]
    return data, client.post(f"{url}/spread", data=data)


def spread(client, cycle, *auditors, **choices):
    """Preview, then confirm what the preview showed."""
    data, shown = preview(client, cycle, *auditors, **choices)
    match = PLAN_RE.search(shown.get_data(as_text=True))
    if match is None:
        return shown
    return client.post(f"/cycles/{cycle.id}/assign/spread", data={**data, "plan": match.group(1)})


def test_spread_evenly_is_fewest_open_first_and_never_own_team(setup):
    lead, cycle = setup["lead"], setup["cycle"]
    page = text(lead.get(f"/cycles/{cycle.id}/assign"))
    assert "Auditor C CiC; 2 open audits" in page
    response = spread(lead, cycle, setup["a"], setup["b"], setup["c"])
    assert response.status_code == 302
    # A, B and C end with 4, 3 and 3 open audits (C had 2 elsewhere): as even as the teams allow
    assert assignments(cycle) == {
        "4000001": "auditor.c",
        "4000002": "auditor.b",
        "4000003": "auditor.b",
        "4000004": "auditor.a",
        "4000005": "auditor.a",
        "4000006": "auditor.a",
        "4000007": "auditor.a",
        "4000008": "auditor.b",
    }
    for audit in db.session.scalars(select(Audit).where(Audit.cycle_id == cycle.id)):
        assert audit.case.team_id not in {t.id for t in audit.auditor.teams}
        assert audit.own_team_override is False
    entries = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "assigned")
    ).all()
    assert len(entries) == 8 and all(e.user_id == lead.user.id for e in entries)
    assert entries[0].changes["auditor"] == [None, "auditor.c"]
    batch = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "assignment_batch")
    ).one()
    assert batch.action == "bulk_assigned" and batch.user_id == lead.user.id
    assert {e.changes["batch"] for e in entries} == {batch.id}
    assert len(batch.changes["items"]) == 8
    assert "8 audits assigned: listed as the bulk change of " in text(
        lead.get(response.headers["Location"])
    )


def test_spread_evenly_reports_audits_it_could_not_assign(setup):
    lead, cycle = setup["lead"], setup["cycle"]
    _, shown = preview(lead, cycle, setup["a"])
    page = text(shown)
    assert "5 audits would move" in page
    assert "3 audits left as they are" in page
    for reference in ("4000001", "4000002", "4000003"):
        assert f"{reference} MASH every chosen auditor is in the case's team" in page
    response = spread(lead, cycle, setup["a"])
    page = text(lead.get(response.headers["Location"]))
    assert "5 audits assigned; 3 audits left unassigned" in page
    result = assignments(cycle)
    assert [r for r, who in result.items() if who is None] == ["4000001", "4000002", "4000003"]


def test_spread_evenly_needs_an_auditor(setup):
    lead, cycle = setup["lead"], setup["cycle"]
    response = spread(lead, cycle)
    assert response.status_code == 400  # like every other form refused
    assert "Choose at least one auditor" in text(response)


def assign_one(client, cycle, audit, auditor, override=False):
    url = f"/cycles/{cycle.id}/assign/audit?audit={audit.id}"
    data = {"csrf_token": csrf_token(client, url), "auditor_id": auditor.id}
    if override:
        data["override"] = "y"
    return client.post(url, data=data)


def audit_of(reference: str) -> Audit:
    return next(a for a in db.session.scalars(select(Audit)) if a.case.case_reference == reference)


def test_one_by_one_refuses_own_team_unless_overridden(setup):
    lead, cycle, a = setup["lead"], setup["cycle"], setup["a"]
    audit = audit_of("4000001")  # a MASH case; auditor A is in MASH
    response = assign_one(lead, cycle, audit, a)
    assert response.status_code == 400
    assert "Auditor A is in the case's team (MASH)" in text(response)
    db.session.refresh(audit)
    assert audit.auditor_id is None
    response = assign_one(lead, cycle, audit, a, override=True)
    assert response.status_code == 302
    db.session.refresh(audit)
    assert (audit.auditor_id, audit.own_team_override) == (a.id, True)
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "assigned")
    ).one()
    assert entry.changes["own_team_override"] is True
    assert entry.changes["auditor"] == [None, "auditor.a"]
    page = lead.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr.*?</tr>", page, re.S) if "4000001" in r)
    assert "Own-team audit: assigned by override" in row
    assert page.count("Own-team audit: assigned by override") == 1


def test_one_by_one_to_another_team_stores_no_override(setup):
    lead, cycle, b = setup["lead"], setup["cycle"], setup["b"]
    audit = audit_of("4000001")
    assert assign_one(lead, cycle, audit, b, override=True).status_code == 302
    db.session.refresh(audit)
    assert (audit.auditor_id, audit.own_team_override) == (b.id, False)
    # reassigning records the change from one auditor to the other
    assert assign_one(lead, cycle, audit, setup["c"]).status_code == 302
    changes = [
        e.changes["auditor"]
        for e in db.session.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.action == "assigned")
            .order_by(ChangeLogEntry.id)
        )
    ]
    assert changes == [[None, "auditor.b"], ["auditor.b", "auditor.c"]]


def test_the_assign_page_needs_an_audit_of_this_cycle(setup):
    lead, cycle = setup["lead"], setup["cycle"]
    response = lead.get(f"/cycles/{cycle.id}/assign/audit")
    assert response.status_code == 302
    other = make_audit("cin_plan", reference="9999999")
    response = lead.get(f"/cycles/{cycle.id}/assign/audit?audit={other.id}")
    assert response.status_code == 302
    response = lead.get(f"/cycles/{cycle.id}/assign/audit?audit={audit_of('4000004').id}")
    assert response.status_code == 200
    assert "Assign the audit of case 4000004" in text(response)


def test_one_by_one_offers_a_narrowed_list_with_open_counts_and_own_team_marked(setup):
    lead, cycle = setup["lead"], setup["cycle"]
    audit = audit_of("4000001")  # MASH
    url = f"/cycles/{cycle.id}/assign/audit?audit={audit.id}"
    page = text(lead.get(url))
    assert "Auditor A MASH; 0 open audits; in the case's team" in page
    assert "Auditor C CiC; 2 open audits" in page
    narrowed = lead.get(f"{url}&auditor_name=auditor+c").get_data(as_text=True)
    assert "Auditor C" in narrowed and "Auditor A" not in narrowed
    assert f'name="audit" value="{audit.id}"' in narrowed  # the filter keeps the audit
    response = assign_one(lead, cycle, audit, setup["c"])
    assert response.status_code == 302
