"""Everything of one auditor at once, through the real pages: their open audits in every
cycle reassigned (never to an auditor of the case's team, submitted audits never moved) or
made unassigned (only not started ones), each with a preview and one change-log batch."""

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, ChangeLogEntry, Role
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import count_queries, make_cycle, make_team
from tests.cycles.test_cycle_assignment import PLAN_RE, text
from tests.helpers import csrf_token


@pytest.fixture
def absent(client_as, make_user, loaded_templates):
    """B is away: 4 open audits in two cycles (one in progress) and one submitted."""
    mash, north = make_team("MASH"), make_team("Safeguarding North")
    a = make_user(Role.AUDITOR, username="auditor.a", teams=[mash])
    b = make_user(Role.AUDITOR, username="auditor.b", teams=[north])
    c = make_user(Role.AUDITOR, username="auditor.c", teams=[north])
    a.display_name, b.display_name, c.display_name = "Auditor A", "Auditor B", "Auditor C"
    db.session.commit()
    one, two = make_cycle("Monthly, October"), make_cycle("Themed, Q3")
    audits = {
        "7000001": make_audit("cin_plan", auditor=b, team=mash, reference="7000001", cycle=one),
        "7000002": make_audit("cin_plan", auditor=b, team=mash, reference="7000002", cycle=one),
        "7000003": make_audit("cin_plan", auditor=b, team=north, reference="7000003", cycle=two),
        "7000004": make_audit("cin_plan", auditor=b, team=north, reference="7000004", cycle=two),
        "7000005": make_audit("cin_plan", auditor=b, team=north, reference="7000005", cycle=two),
    }
    audits["7000002"].status = AuditStatus.IN_PROGRESS
    audits["7000005"].status = AuditStatus.SUBMITTED
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    return {"lead": lead, "a": a, "b": b, "c": c, "audits": audits}


def holders(audits) -> dict[str, str | None]:
    out = {}
    for reference, audit in audits.items():
        db.session.refresh(audit)
        out[reference] = audit.auditor.username if audit.auditor else None
    return out


def post(client, user, **data):
    url = f"/cycles/auditors/{user.id}"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def preview_and_confirm(client, user, **data):
    shown = post(client, user, **data)
    assert shown.status_code == 200
    plan = PLAN_RE.search(shown.get_data(as_text=True)).group(1)
    return shown, post(client, user, plan=plan, **data)


def test_the_auditor_list_and_page_show_open_audits_across_cycles(absent):
    lead, b = absent["lead"], absent["b"]
    page = text(lead.get("/cycles/auditors"))
    assert "Auditor B Safeguarding North 4" in page
    page = text(lead.get(f"/cycles/auditors/{b.id}"))
    assert "Open audits of Auditor B" in page and "4 open audits, in every cycle" in page
    assert "7000001 Monthly, October; MASH; Not started" in page
    assert "7000003 Themed, Q3; Safeguarding North; Not started" in page
    assert "7000005" not in page  # submitted: never moved, not offered


def test_reassigning_everything_never_gives_an_auditor_their_own_team(absent):
    lead, a, b, c, audits = absent["lead"], absent["a"], absent["b"], absent["c"], absent["audits"]
    ids = [audits[r].id for r in ("7000001", "7000002", "7000003", "7000004")]
    shown, done = preview_and_confirm(
        lead, b, audit_ids=ids, auditor_ids=[a.id, c.id], reassign="y"
    )
    page = text(shown)
    assert "Check before you reassign" in page and "4 audits would move" in page
    assert "7000001 Monthly, October MASH Auditor B Auditor C" in page
    assert "7000003 Themed, Q3 Safeguarding North Auditor B Auditor A" in page
    assert done.status_code == 302
    assert holders(audits) == {
        "7000001": "auditor.c",
        "7000002": "auditor.c",
        "7000003": "auditor.a",
        "7000004": "auditor.a",
        "7000005": "auditor.b",  # submitted: stays with B
    }
    batch = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "assignment_batch")
    ).one()
    assert batch.action == "bulk_reassigned" and batch.entity_id == "several"
    assert {(i["case"], i["from"], i["to"]) for i in batch.changes["items"]} == {
        ("7000001", "auditor.b", "auditor.c"),
        ("7000002", "auditor.b", "auditor.c"),
        ("7000003", "auditor.b", "auditor.a"),
        ("7000004", "auditor.b", "auditor.a"),
    }
    page = text(lead.get(done.headers["Location"]))
    assert "4 audits reassigned: listed as the bulk change of " in page and "(4 audits)" in page


def test_to_one_auditor_the_own_team_ones_stay_and_are_reported(absent):
    lead, b, c, audits = absent["lead"], absent["b"], absent["c"], absent["audits"]
    ids = [audits[r].id for r in ("7000001", "7000003")]
    shown, _ = preview_and_confirm(lead, b, audit_ids=ids, auditor_ids=[c.id], reassign="y")
    assert "7000003 Safeguarding North every chosen auditor is in the case's team" in text(shown)
    assert holders(audits)["7000001"] == "auditor.c"
    assert holders(audits)["7000003"] == "auditor.b"


def test_unassigning_moves_only_not_started_audits(absent):
    lead, b, audits = absent["lead"], absent["b"], absent["audits"]
    ids = [audits[r].id for r in ("7000001", "7000002", "7000003", "7000004")]
    shown, done = preview_and_confirm(lead, b, audit_ids=ids, unassign="y")
    page = text(shown)
    assert "3 audits would be made unassigned." in page
    assert "unassigned: " not in page  # no "made unassigned: audits made unassigned"
    assert "7000002 MASH it has been started: only not started audits are unassigned" in page
    assert done.status_code == 302
    assert holders(audits) == {
        "7000001": None,
        "7000002": "auditor.b",
        "7000003": None,
        "7000004": None,
        "7000005": "auditor.b",
    }
    batch = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "assignment_batch")
    ).one()
    assert batch.action == "bulk_unassigned"
    entry = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "audit",
            ChangeLogEntry.entity_id == str(audits["7000001"].id),
            ChangeLogEntry.action == "unassigned",
        )
    ).one()
    assert entry.changes["auditor"] == ["auditor.b", None]
    assert entry.changes["batch"] == batch.id


def test_one_audit_is_unassigned_from_its_assign_page(absent):
    lead, audits = absent["lead"], absent["audits"]
    audit = audits["7000003"]
    page = lead.get(f"/cycles/{audit.cycle_id}/assign/audit?audit={audit.id}")
    assert "Unassign this audit" in text(page)
    shown, done = preview_and_confirm(lead, absent["b"], audit_ids=[audit.id], unassign="y")
    assert "1 audit would be made unassigned" in text(shown)
    assert holders({"x": audit}) == {"x": None}


def test_reassigning_needs_someone_to_give_them_to(absent):
    lead, b, audits = absent["lead"], absent["b"], absent["audits"]
    response = post(lead, b, audit_ids=[audits["7000001"].id], reassign="y")
    assert "Give them to: choose at least one auditor" in text(response)
    response = post(lead, b, reassign="y")
    assert "Choose at least one audit" in text(response)


def test_audits_of_someone_else_cannot_be_slipped_in(absent):
    lead, a, b, c, audits = absent["lead"], absent["a"], absent["b"], absent["c"], absent["audits"]
    stranger = make_audit("cin_plan", auditor=a, reference="7000009")
    response = post(lead, b, audit_ids=[stranger.id], auditor_ids=[c.id], reassign="y")
    assert response.status_code == 400
    assert "Audits: 1 audit you chose is no longer open with Auditor B" in text(response)
    db.session.refresh(stranger)
    assert stranger.auditor_id == a.id
    assert lead.get("/cycles/auditors/999999").status_code == 404
    assert audits  # untouched
    assert db.session.scalar(select(Audit).where(Audit.id == stranger.id)).auditor_id == a.id


def test_a_disabled_account_with_open_audits_is_listed_and_can_be_emptied(absent):
    lead, a, b, audits = absent["lead"], absent["a"], absent["b"], absent["audits"]
    b.active = False
    db.session.commit()
    page = text(lead.get("/cycles/auditors"))
    assert "Others still holding open audits" in page and "Auditor B : 4 open audits" in page
    ids = [audits[r].id for r in ("7000003", "7000004")]
    _, done = preview_and_confirm(lead, b, audit_ids=ids, auditor_ids=[a.id], reassign="y")
    assert done.status_code == 302
    assert holders(audits)["7000003"] == holders(audits)["7000004"] == "auditor.a"


def test_queries_stay_the_same_however_many_audits_an_auditor_holds(absent, make_user):
    lead, a = absent["lead"], absent["a"]
    counts = []
    for size in (2, 25):
        away = make_user(Role.AUDITOR, username=f"away.{size}")
        held = [
            make_audit("cin_plan", auditor=away, reference=f"72{size:02d}{n:03d}")
            for n in range(size)
        ]
        data = {"audit_ids": [h.id for h in held], "auditor_ids": [a.id], "reassign": "y"}
        url = f"/cycles/auditors/{away.id}"
        with count_queries() as page_queries:
            lead.get(url)
        token = csrf_token(lead, url)
        with count_queries() as preview_queries:
            shown = lead.post(url, data={"csrf_token": token, **data})
        plan = PLAN_RE.search(shown.get_data(as_text=True)).group(1)
        with count_queries() as confirm_queries:
            done = lead.post(url, data={"csrf_token": token, "plan": plan, **data})
        assert done.status_code == 302
        counts.append((len(page_queries), len(preview_queries), len(confirm_queries)))
    assert counts[0] == counts[1], counts


def test_a_post_with_neither_button_and_no_auditor_asks_for_an_auditor(absent):
    lead, b, audits = absent["lead"], absent["b"], absent["audits"]
    ids = [audits["7000001"].id, audits["7000003"].id]
    response = post(lead, b, audit_ids=ids)
    page = text(response)
    assert response.status_code == 400
    assert "Give them to: choose at least one auditor" in page
    assert "every chosen auditor is in the case's team" not in page


def test_an_audit_moved_or_a_target_disabled_since_the_page_loaded_is_said_so(absent):
    lead, a, b, audits = absent["lead"], absent["a"], absent["b"], absent["audits"]
    a.active = False
    db.session.commit()
    ids = [audits["7000001"].id, audits["7000005"].id]  # 7000005 was submitted: not offered
    response = post(lead, b, audit_ids=ids, auditor_ids=[a.id], reassign="y")
    page = text(response)
    assert response.status_code == 400
    assert "Auditor A can no longer do audits: choose another auditor" in page
    assert "Audits: 1 audit you chose is no longer open with Auditor B" in page
    assert "not a valid choice" not in page
