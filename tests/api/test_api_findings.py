"""GET /api/v1/findings: the computed findings as JSON, in the case tier (QA leads, moderators,
senior managers) and the board tier (board viewers: small numbers hidden, nothing per
auditor). Every answer is checked against the OpenAPI document by the test client."""

from datetime import UTC, date, datetime

import pytest

from qa_app.data.organisation import get_settings, save_locality, save_team
from qa_app.demo.synthetic import generate
from qa_app.extensions import db
from qa_app.models import Moderation, ModerationGrade, Role, SecurityEvent, ThemeMark
from tests.api.support import DOC, api_as, error_of
from tests.audits.factory import make_audit

LEVELS = ["outstanding", "good", "requires_improvement", "inadequate"]


@pytest.fixture
def known(loaded_templates, make_user):
    """A small known data set, completed audits dated by submission:

    single_assessment: good (Mar 2026), good (Mar), inadequate (Apr), requires_improvement
    (Apr), and one not started; cin_plan: outstanding (Apr). Themes: voice_of_child is a
    strength in the two good audits and for development in the inadequate one. The
    inadequate audit is moderated by someone who agrees."""
    locality = save_locality("North", actor=None)
    team = save_team("Assessment North", locality, True, actor=None)
    auditor = make_user(Role.AUDITOR)
    moderator = make_user(Role.MODERATOR)
    done = [
        ("single_assessment", "good", datetime(2026, 3, 10, 9, tzinfo=UTC)),
        ("single_assessment", "good", datetime(2026, 3, 20, 9, tzinfo=UTC)),
        ("single_assessment", "inadequate", datetime(2026, 4, 2, 9, tzinfo=UTC)),
        ("single_assessment", "requires_improvement", datetime(2026, 4, 15, 9, tzinfo=UTC)),
        ("cin_plan", "outstanding", datetime(2026, 4, 20, 9, tzinfo=UTC)),
    ]
    audits = []
    for n, (key, grade, when) in enumerate(done):
        audit = make_audit(key, auditor=auditor, team=team, reference=f"7000000{n}")
        audit.status = "submitted"
        audit.overall_grade = grade
        audit.submitted_at = when
        audits.append(audit)
    make_audit("single_assessment", auditor=auditor, team=team, reference="70000009")
    for audit, mark in zip(audits[:3], ["strength", "strength", "development"], strict=True):
        db.session.add(ThemeMark(audit_id=audit.id, theme_key="voice_of_child", mark=mark))
    inadequate = audits[2]
    inadequate.status = "moderated"
    moderation = Moderation(
        audit_id=inadequate.id,
        moderator_id=moderator.id,
        status="completed",
        completed_at=datetime(2026, 4, 9, tzinfo=UTC),
    )
    db.session.add(moderation)
    db.session.flush()
    db.session.add(
        ModerationGrade(
            moderation_id=moderation.id,
            section_key="__overall__",
            auditor_grade="inadequate",
            moderator_grade="inadequate",
        )
    )
    db.session.commit()
    return {"team": team, "locality": locality, "auditor": auditor}


def template_figures(figures: dict, key: str) -> dict:
    return next(t for t in figures["templates"] if t["key"] == key)


def test_totals_and_grades_match_the_audits(app, make_user, known):
    response = api_as(app, make_user, Role.QA_LEAD).get("/findings")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    figures = response.get_json()
    assert figures["tier"] == "internal"
    assert "suppression" not in figures
    assert figures["totals"] == {
        "not_started": 1,
        "in_progress": 0,
        "submitted": 4,
        "moderated": 1,
        "completed": 5,
        "audits": 6,
    }
    single = template_figures(figures, "single_assessment")
    assert single["completed"] == 4
    assert single["overall"] == {
        "counts": {"outstanding": 0, "good": 2, "requires_improvement": 1, "inadequate": 1},
        "n": 4,
        "good_or_better": 2,
    }
    assert template_figures(figures, "cin_plan")["overall"]["counts"]["outstanding"] == 1
    voice = next(t for t in figures["themes"] if t["key"] == "voice_of_child")
    assert (voice["strength"], voice["development"], voice["n"]) == (2, 1, 3)
    # one scale in play (both templates on the Ofsted scale): good or better on the row too
    assert figures["by_month"] == [
        {
            "month": "2026-03",
            "completed": 2,
            "good_or_better": 2,
            "by_scale": [{"scale": "ofsted4", "completed": 2, "good_or_better": 2}],
        },
        {
            "month": "2026-04",
            "completed": 3,
            "good_or_better": 1,
            "by_scale": [{"scale": "ofsted4", "completed": 3, "good_or_better": 1}],
        },
    ]
    (ofsted,) = figures["by_scale"]
    assert (ofsted["scale"], ofsted["n"], ofsted["good_or_better"]) == ("ofsted4", 5, 3)
    assert ofsted["counts"] == {
        "outstanding": 1,
        "good": 2,
        "requires_improvement": 1,
        "inadequate": 1,
    }
    assert figures["by_team"][0]["team"] == "Assessment North"
    assert figures["by_team"][0]["worst"] == 1
    moderation = figures["moderation"]
    assert (moderation["moderated"], moderation["pairs"], moderation["agreed"]) == (1, 1, 1)
    assert moderation["by_auditor"][0]["auditor_id"] == known["auditor"].id


def test_the_template_and_period_filters_change_the_figures(app, make_user, known):
    api = api_as(app, make_user, Role.SENIOR_MANAGER)
    figures = api.get("/findings?template=cin_plan").get_json()
    assert figures["filters"] == {"template": "cin_plan"}
    assert [t["key"] for t in figures["templates"]] == ["cin_plan"]
    assert figures["totals"]["completed"] == 1

    figures = api.get("/findings?from=2026-03-01&to=2026-03-31").get_json()
    assert figures["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert figures["totals"]["completed"] == 2
    single = template_figures(figures, "single_assessment")
    assert single["overall"]["counts"] == {
        "outstanding": 0,
        "good": 2,
        "requires_improvement": 0,
        "inadequate": 0,
    }
    # A closed period of whole months brings as many whole months before it (February).
    assert figures["previous"]["period"] == {"from": "2026-02-01", "to": "2026-02-28"}
    assert figures["previous"]["completed"] == 0

    figures = api.get(
        f"/findings?team={known['team'].id}&locality={known['locality'].id}&from=2026-04-01"
    ).get_json()
    assert figures["totals"]["completed"] == 3
    assert figures["by_locality"][0]["locality"] == "North"


def test_a_case_tier_caller_may_filter_by_auditor(app, make_user, known):
    api = api_as(app, make_user, Role.MODERATOR)
    figures = api.get(f"/findings?auditor={known['auditor'].id}").get_json()
    assert figures["totals"]["completed"] == 5
    other = make_user(Role.AUDITOR)
    assert api.get(f"/findings?auditor={other.id}").get_json()["totals"]["audits"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("from=yesterday", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("cycle=abc", "cycle"),
        ("team=0", "team"),
        ("locality=99999999999", "locality"),
        ("template=no-such!", "template"),
        ("template=no_such_template", "template"),
        ("cycle=424242", "cycle"),
        ("teams=1", "teams"),
    ],
)
def test_a_bad_parameter_is_422_naming_it(app, make_user, loaded_templates, query, field):
    response = api_as(app, make_user, Role.QA_LEAD).get(f"/findings?{query}")
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == field
    assert [p["field"] for p in error["problems"]] == [field]


def test_every_bad_parameter_is_listed(app, make_user, loaded_templates):
    response = api_as(app, make_user, Role.QA_LEAD).get("/findings?from=x&to=y&colour=red")
    assert response.status_code == 422
    assert [p["field"] for p in error_of(response)["problems"]] == ["colour", "from", "to"]


def test_the_board_tier_hides_small_counts_and_staff(app, make_user, known):
    get_settings().partnership_threshold = 3  # the council hides small counts from the board
    db.session.commit()
    response = api_as(app, make_user, Role.BOARD_VIEWER).get("/findings")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    figures = response.get_json()
    assert figures["tier"] == "partnership"
    assert figures["suppression"] == {"threshold": 3}
    assert "by_auditor" not in figures["moderation"]
    single = template_figures(figures, "single_assessment")
    # good: 2 is below 3, so hidden; with one hidden cell, the next smallest (1) is too.
    assert single["overall"]["counts"]["good"] is None
    assert single["overall"]["good_or_better"] is None
    # Built from the months: March's 2 single assessments are hidden in March, so the
    # period's 4 is too (March's could otherwise be worked out as the period's less April's).
    assert single["overall"]["n"] is None
    assert figures["totals"]["completed"] is None
    assert figures["totals"]["moderated"] is None
    voice = next(t for t in figures["themes"] if t["key"] == "voice_of_child")
    assert voice["strength"] is None
    march = next(m for m in figures["by_month"] if m["month"] == "2026-03")
    assert march == {
        "month": "2026-03",
        "completed": None,
        "good_or_better": None,
        "by_scale": [{"scale": "ofsted4", "completed": None, "good_or_better": None}],
    }


def test_the_board_tier_may_not_filter_by_auditor(app, make_user, known):
    api = api_as(app, make_user, Role.BOARD_VIEWER)
    response = api.get(f"/findings?auditor={known['auditor'].id}")
    assert response.status_code == 403
    assert error_of(response)["field"] == "auditor"
    # Refused before the value is read: an unknown account is not told apart.
    assert api.get("/findings?auditor=999999").status_code == 403
    assert db.session.query(SecurityEvent).filter_by(event="permission_refused").count() == 2


def test_a_case_level_role_with_board_viewer_gets_the_case_tier(app, make_user, known):
    api = api_as(app, make_user, Role.BOARD_VIEWER, Role.QA_LEAD)
    assert api.get("/findings").get_json()["tier"] == "internal"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_roles_without_findings_are_refused(app, make_user, known, role):
    response = api_as(app, make_user, role).get("/findings")
    assert response.status_code == 403


def test_without_a_token_it_is_401(app, loaded_templates):
    from tests.api.support import Api

    assert Api(app).get("/findings").status_code == 401


def test_a_full_history_matches_the_schema_in_both_tiers(app, make_user, loaded_templates):
    """Synthetic audits (answers, repeat blocks, moderation): both tiers validate against the
    document (the client checks), and the board tier holds no count below the threshold."""
    generate(40, seed=5, end=date(2026, 3, 31), months=3)
    case = api_as(app, make_user, Role.QA_LEAD).get("/findings").get_json()
    assert case["moderation"]["by_auditor"]
    assert any(t["repeats"] for t in case["templates"])
    board = api_as(app, make_user, Role.BOARD_VIEWER).get("/findings").get_json()
    threshold = board["suppression"]["threshold"]

    def counts(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("schema", "threshold") and not k.endswith("_id"):
                    yield from counts(v, k)
        elif isinstance(node, list):
            for item in node:
                yield from counts(item, key)
        elif isinstance(node, int) and not isinstance(node, bool):
            yield key, node

    assert all(n == 0 or n >= threshold for _, n in counts(board)), threshold


def test_the_document_lists_findings_with_its_parameters():
    operation = DOC["paths"]["/findings"]["get"]
    assert operation["operationId"] == "get_findings"
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Findings"
    }
    assert {"401", "403", "422"} <= set(operation["responses"])
    names = [p["name"] for p in operation["parameters"]]
    assert names == ["from", "to", "cycle", "template", "team", "locality", "auditor"]
