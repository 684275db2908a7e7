"""Audits through the API: starting one, reading it, saving drafts (answers, blocks, grades,
themes, overall) with versions and the change log, conflicts, submitting, and who may."""

import pytest
from sqlalchemy import func, select

from qa_app.data.audit_submission import submit_problems
from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Answer, Audit, AuditCycle, ChangeLogEntry, Role, SectionGrade
from tests.api.filling_api import full_body, steps_of
from tests.api.support import api_as, error_of
from tests.audits.factory import make_audit

TEMPLATES = ["single_assessment", "cp_plan_visits", "icpc_reports", "cin_plan"]


@pytest.fixture
def team(loaded_templates):
    return save_team("Assessment Team 1", None, True, actor=None)


@pytest.fixture
def lead(app, make_user, team):
    return api_as(app, make_user, Role.QA_LEAD)


@pytest.fixture
def auditor(app, make_user, loaded_templates):
    return api_as(app, make_user, Role.AUDITOR)


def log_actions(audit_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry.action)
            .where(ChangeLogEntry.entity_type == "audit", ChangeLogEntry.entity_id == str(audit_id))
            .order_by(ChangeLogEntry.id)
        )
    )


def stored(audit_id: int) -> Audit:
    db.session.expire_all()
    return db.session.get(Audit, audit_id)


@pytest.mark.parametrize("key", TEMPLATES)
def test_a_lead_starts_an_audit_and_its_auditor_completes_and_submits_it(lead, auditor, key):
    response = lead.post(
        "/audits",
        {
            "case_reference": "12345678",
            "template": key,
            "auditor": auditor.user.username,
            "due_date": "2026-12-01",
            "team": "Assessment Team 1",
            "worker": "Social worker 7",
        },
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    audit_id = created["id"]
    assert created["auditor"] == auditor.user.username and created["due_date"] == "2026-12-01"
    assert created["can_edit"] is False  # the lead is not its auditor
    assert log_actions(audit_id) == ["created", "assigned"]

    mine = auditor.get("/audits?mine=true").get_json()
    assert [a["id"] for a in mine["items"]] == [audit_id] and mine["total"] == 1
    audit = auditor.get(f"/audits/{audit_id}").get_json()
    assert audit["can_edit"] is True and audit["lock_version"] == 1
    content = auditor.get(f"/templates/{key}/versions/{audit['template']['version']}")
    content = content.get_json()["content"]

    body = full_body(content, audit["lock_version"])
    response = auditor.patch(f"/audits/{audit_id}", body)
    assert response.status_code == 200, response.get_json()
    saved = response.get_json()
    steps = steps_of(content, body)
    assert saved["lock_version"] == 1 + steps
    assert len(log_actions(audit_id)) == 2 + steps  # a change-log entry for each write
    assert saved["status"] == "in_progress"
    for name in body["answers"]:
        if name.startswith("q__"):
            assert saved["answers"][name[3:]] is not None, name
    assert set(saved["section_grades"]) == set(body["section_grades"])
    assert saved["theme_marks"] and all(m["suggested"] for m in saved["theme_marks"].values())

    response = auditor.post(f"/audits/{audit_id}/submit", {"lock_version": saved["lock_version"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"
    assert response.get_json()["can_edit"] is False
    assert log_actions(audit_id)[-1] in ("submitted", "selected_for_moderation")
    assert "submitted" in log_actions(audit_id)
    # submitted: no more changes, and the web agrees
    response = auditor.patch(
        f"/audits/{audit_id}", {"lock_version": saved["lock_version"] + 1, "answers": {}}
    )
    assert response.status_code == 409 and "submitted" in error_of(response)["message"]


def test_answers_blocks_and_grades_read_back_as_stored(auditor):
    audit = make_audit("icpc_reports", auditor=auditor.user)
    content = audit.template_version.content
    group = next(
        q for s in content["template"]["sections"] for q in s["questions"] if q["type"] == "repeat"
    )
    inner = next(q for q in group["questions"] if q["type"] == "text")
    response = auditor.patch(
        f"/audits/{audit.id}",
        {
            "lock_version": 1,
            "add_blocks": [
                {"group": group["key"], "label": "police"},
                {"group": group["key"], "label": "school"},
            ],
            "answers": {f"r__{group['key']}__1__{inner['key']}": "School report was thorough."},
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["lock_version"] == 4
    assert body["blocks"][group["key"]] == [
        {"index": 0, "label": "police", "answers": {}},
        {"index": 1, "label": "school", "answers": {inner["key"]: "School report was thorough."}},
    ]
    response = auditor.patch(
        f"/audits/{audit.id}",
        {"lock_version": 4, "remove_blocks": [{"group": group["key"], "index": 0}]},
    )
    assert response.status_code == 200
    assert [b["label"] for b in response.get_json()["blocks"][group["key"]]] == ["school"]
    assert log_actions(audit.id) == [
        "created",
        "block_added",
        "block_added",
        "section_saved",
        "block_removed",
    ]


def test_a_partial_patch_keeps_everything_else(auditor):
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["graded"])
    levels = [lvl["key"] for lvl in content["scales"][content["template"]["scale"]]["levels"]]
    text_q = next(q for q in section["questions"] if q["type"] == "text")
    first = auditor.patch(
        f"/audits/{audit.id}",
        {
            "lock_version": 1,
            "answers": {f"q__{text_q['key']}": "Seen alone twice."},
            "section_grades": {section["key"]: {"grade": levels[0], "rationale": "Timely."}},
            "theme_marks": {},
        },
    ).get_json()
    themes = dict(first["theme_marks"])
    theme = next(iter(themes))
    second = auditor.patch(
        f"/audits/{audit.id}",
        {
            "lock_version": first["lock_version"],
            "section_grades": {section["key"]: {"grade": levels[1]}},  # rationale kept
            "theme_marks": {theme: "development"},  # the other marks kept
        },
    )
    assert second.status_code == 200, second.get_json()
    second = second.get_json()
    assert second["answers"][text_q["key"]] == "Seen alone twice."
    assert second["section_grades"][section["key"]] == {"grade": levels[1], "rationale": "Timely."}
    assert second["theme_marks"][theme]["mark"] == "development"
    assert {k: v for k, v in second["theme_marks"].items() if k != theme} == {
        k: v for k, v in themes.items() if k != theme
    }


def test_a_stale_patch_is_409_and_overwrites_nothing(app, make_user, auditor):
    audit = make_audit("single_assessment", auditor=auditor.user)
    q = next(
        q
        for s in audit.template_version.content["template"]["sections"]
        for q in s["questions"]
        if q["type"] == "text"
    )
    name = f"q__{q['key']}"
    ok = auditor.patch(f"/audits/{audit.id}", {"lock_version": 1, "answers": {name: "First."}})
    assert ok.status_code == 200 and ok.get_json()["lock_version"] == 2
    entries = len(log_actions(audit.id))
    stale = auditor.patch(
        f"/audits/{audit.id}",
        {"lock_version": 1, "answers": {name: "Second, from an old copy."}, "theme_marks": {}},
    )
    assert stale.status_code == 409
    error = error_of(stale)
    assert error["field"] == "lock_version" and error["lock_version"] == 2
    assert [c["action"] for c in error["changes_since"]] == ["section_saved"]
    assert error["changes_since"][0]["fields"] == [name]
    assert stored(audit.id).lock_version == 2
    assert auditor.get(f"/audits/{audit.id}").get_json()["answers"][q["key"]] == "First."
    assert len(log_actions(audit.id)) == entries
    submit = auditor.post(f"/audits/{audit.id}/submit", {"lock_version": 1})
    assert submit.status_code == 409


def test_an_invalid_patch_is_422_lists_every_problem_and_saves_nothing(auditor):
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    sections = content["template"]["sections"]
    graded = next(s for s in sections if s["graded"])
    ungraded = next(s for s in sections if not s["graded"])
    choice = next(q for s in sections for q in s["questions"] if q["type"] == "single_choice")
    levels = [lvl["key"] for lvl in content["scales"][content["template"]["scale"]]["levels"]]
    body = {
        "lock_version": 1,
        "colour": "blue",
        "answers": {
            "q__no_such_question": "x",
            f"q__{choice['key']}": "not_an_option",
            "r__agencies__0__x": "y",
            "child_name": "x",
        },
        "section_grades": {
            graded["key"]: {"grade": "brilliant", "rationale": "x"},
            ungraded["key"]: {"grade": levels[0]},
        },
        "theme_marks": {"no_such_theme": "strength"},
        "add_blocks": [{"group": "no_group", "label": "police"}],
        "overall": {"overall_grade": "brilliant", "extra": 1},
    }
    response = auditor.patch(f"/audits/{audit.id}", body)
    assert response.status_code == 422
    fields = [p["field"] for p in error_of(response)["problems"]]
    assert set(fields) == {
        "colour",
        "answers.q__no_such_question",
        f"answers.q__{choice['key']}",
        "answers.r__agencies__0__x",
        "answers.child_name",
        f"section_grades.{graded['key']}.grade",
        f"section_grades.{ungraded['key']}",
        "theme_marks.no_such_theme",
        "add_blocks[0].group",
        "overall.overall_grade",
        "overall.extra",
    }
    assert stored(audit.id).lock_version == 1
    assert log_actions(audit.id) == ["created"]
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.audit_id == audit.id)) == 0


def test_the_overall_grade_obeys_the_limiting_rule(auditor):
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    levels = [lvl["key"] for lvl in content["scales"][content["template"]["scale"]]["levels"]]
    limiting = next(s for s in content["template"]["sections"] if s.get("limiting"))
    response = auditor.patch(
        f"/audits/{audit.id}",
        {
            "lock_version": 1,
            "section_grades": {limiting["key"]: {"grade": levels[2], "rationale": "Weak."}},
            "overall": {"overall_grade": levels[0]},
        },
    )
    assert response.status_code == 422
    assert "can be no better than" in error_of(response)["message"]
    assert db.session.scalar(select(func.count(SectionGrade.id))) == 0


def test_submit_with_problems_is_422_listing_the_web_forms_problems(auditor):
    audit = make_audit("cin_plan", auditor=auditor.user)
    response = auditor.post(f"/audits/{audit.id}/submit", {"lock_version": 1})
    assert response.status_code == 422
    web = submit_problems(stored(audit.id))
    got = error_of(response)["problems"]
    assert web and [(p["message"], p["section"]) for p in got] == [
        (p.message, p.section_key) for p in web
    ]
    fields = {p["field"] for p in got}
    content = audit.template_version.content
    first_graded = next(s["key"] for s in content["template"]["sections"] if s["graded"])
    assert {
        "answers.q__plan_on_file",
        f"section_grades.{first_graded}.grade",
        f"section_grades.{first_graded}.rationale",
        "theme_marks",
        "overall.overall_grade",
        "overall.overall_rationale",
    } <= fields
    assert stored(audit.id).status == "not_started" and stored(audit.id).lock_version == 1
    assert log_actions(audit.id) == ["created"]


def test_only_the_assigned_auditor_changes_an_audit(app, make_user, auditor, lead):
    audit = make_audit("cin_plan", auditor=auditor.user)
    other = api_as(app, make_user, Role.AUDITOR)
    assert other.get(f"/audits/{audit.id}").status_code == 403
    assert lead.get(f"/audits/{audit.id}").status_code == 200
    for api in (other, lead):
        assert api.patch(f"/audits/{audit.id}", {"lock_version": 1}).status_code == 403
        assert api.post(f"/audits/{audit.id}/submit", {"lock_version": 1}).status_code == 403
    assert stored(audit.id).lock_version == 1


def test_listing_filters_pages_and_shows_only_what_the_caller_may_see(app, make_user, lead):
    auditor = api_as(app, make_user, Role.AUDITOR)
    someone = make_user(Role.AUDITOR)
    cycle_id = lead.post(
        "/cycles",
        {
            "name": "Monthly",
            "kind": "monthly",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "templates": ["cin_plan"],
        },
    ).get_json()["id"]
    cycle = db.session.get(AuditCycle, cycle_id)
    mine = make_audit("cin_plan", auditor=auditor.user, reference="100", cycle=cycle)
    colleague = make_audit("cin_plan", auditor=someone, reference="101", cycle=cycle)
    elsewhere = make_audit("cin_plan", auditor=someone, reference="102")
    ids = lambda r: [a["id"] for a in r.get_json()["items"]]  # noqa: E731
    assert ids(auditor.get("/audits")) == [mine.id, colleague.id]  # their own and their cycle's
    assert ids(auditor.get("/audits?mine=true")) == [mine.id]
    assert ids(lead.get("/audits")) == [mine.id, colleague.id, elsewhere.id]
    assert ids(lead.get(f"/audits?cycle_id={cycle_id}")) == [mine.id, colleague.id]
    assert ids(lead.get("/audits?status=submitted")) == []
    page = lead.get("/audits?limit=1&offset=1").get_json()
    assert page["items"][0]["id"] == colleague.id and page["total"] == 3
    assert page["limit"] == 1 and page["offset"] == 1
    response = lead.get("/audits?limit=201&offset=-1&status=done&mine=maybe&colour=red")
    assert response.status_code == 422
    assert {p["field"] for p in error_of(response)["problems"]} == {
        "limit",
        "offset",
        "status",
        "mine",
        "colour",
    }


def test_starting_an_audit_checks_the_assignment_rules(app, make_user, lead, team):
    same_team = make_user(Role.AUDITOR, teams=[team])
    board = make_user(Role.BOARD_VIEWER)
    start = {"case_reference": "12345678", "template": "cin_plan", "team": "Assessment Team 1"}
    response = lead.post("/audits", {**start, "auditor": same_team.username})
    assert response.status_code == 422 and error_of(response)["field"] == "auditor"
    assert "own_team_override" in error_of(response)["message"]
    response = lead.post("/audits", {**start, "auditor": board.username})
    assert response.status_code == 422 and error_of(response)["field"] == "auditor"
    response = lead.post("/audits", {"case_reference": "12345678", "template": "cin_plan"})
    assert response.status_code == 422 and error_of(response)["field"] == "team"
    response = lead.post("/audits", {**start, "cycle_id": 999999, "auditor": "nobody"})
    assert {p["field"] for p in error_of(response)["problems"]} == {"cycle_id", "auditor"}
    assert db.session.scalar(select(func.count(Audit.id))) == 0
    response = lead.post(
        "/audits", {**start, "auditor": same_team.username, "own_team_override": True}
    )
    assert response.status_code == 201
    assert response.get_json()["own_team_override"] is True


def test_a_board_viewer_and_an_administrator_get_no_case_level_data(app, make_user, lead):
    audit = make_audit("cin_plan", auditor=make_user(Role.AUDITOR))
    cycle_id = lead.post(
        "/cycles",
        {
            "name": "Monthly",
            "kind": "monthly",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "templates": ["cin_plan"],
        },
    ).get_json()["id"]
    calls = [
        ("GET", "/audits", None),
        ("GET", f"/audits/{audit.id}", None),
        ("PATCH", f"/audits/{audit.id}", {"lock_version": 1}),
        ("POST", f"/audits/{audit.id}/submit", {"lock_version": 1}),
        ("POST", f"/audits/{audit.id}/moderation", {}),
        ("POST", "/audits", {"case_reference": "1", "template": "cin_plan"}),
        ("GET", "/cycles", None),
        ("GET", f"/cycles/{cycle_id}", None),
        ("POST", "/cycles", {}),
        ("POST", f"/cycles/{cycle_id}/cases", {}),
        ("GET", "/templates", None),
    ]
    for role in (Role.BOARD_VIEWER, Role.ADMIN):
        api = api_as(app, make_user, role)
        for method, path, body in calls:
            kwargs = {} if body is None else {"body": body}
            response = api.request(method, path, **kwargs)
            assert response.status_code == 403, (role, method, path)
            assert "12345678" not in response.get_data(as_text=True)


def test_a_missing_repeat_block_is_named_by_its_group(auditor):
    audit = make_audit("icpc_reports", auditor=auditor.user)
    response = auditor.post(f"/audits/{audit.id}/submit", {"lock_version": 1})
    assert response.status_code == 422
    groups = [p for p in error_of(response)["problems"] if p["field"].startswith("blocks.")]
    assert groups and groups[0]["message"].startswith("Add at least 1")


def test_odd_json_in_a_patch_is_a_422_not_an_error(auditor):
    audit = make_audit("icpc_reports", auditor=auditor.user)
    odd = [
        {"lock_version": 1, "add_blocks": [{"group": "agency_report", "label": ["police"]}]},
        {"lock_version": 1, "add_blocks": "police"},
        {"lock_version": 1, "remove_blocks": [{"group": "agency_report", "index": True}]},
        {"lock_version": 1, "answers": {"q__icpc_date": {"day": 1}}},
        {"lock_version": 1, "answers": ["q__icpc_date"]},
        {"lock_version": 1, "theme_marks": {"voice_of_child": ["strength"]}},
        {"lock_version": 1, "section_grades": {"agency_reports": "good"}},
        {"lock_version": "1"},
        {},
    ]
    for body in odd:
        response = auditor.patch(f"/audits/{audit.id}", body)
        assert response.status_code == 422, body
    assert stored(audit.id).lock_version == 1
