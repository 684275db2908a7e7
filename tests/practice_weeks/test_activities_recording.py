"""Recording a practice week activity: observations and shadowing against their template,
conversations on a consent record, and auditing a record with the worker; who may record,
stale saves, and the phone-sized page."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from qa_app.data import practice_week_records as week_records
from qa_app.data.organisation import save_team
from qa_app.data.practice_weeks import WeekError
from qa_app.extensions import db
from qa_app.models import Audit, ChangeLogEntry, Role
from qa_app.models.practice_weeks import Activity
from qa_app.rules.uk_time import uk_today
from tests.helpers import csrf_token
from tests.practice_weeks.week_factory import make_week, observation_answers, schedule


def _version(html: str) -> str:
    return re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)


@pytest.fixture
def manager_and_week(loaded_templates, client_as):
    client = client_as(Role.SENIOR_MANAGER)
    week = make_week(managers=[client.user])
    return client, week


def _post(client, activity, data: dict, action: str = "finish"):
    url = f"/practice-weeks/activities/{activity.id}/record"
    html = client.get(url).get_data(as_text=True)
    payload = {"csrf_token": csrf_token(client, url), "lock_version": _version(html)}
    payload.update(data, action=action)
    return client.post(url, data=payload)


def _reload(activity) -> Activity:
    db.session.expire_all()
    return db.session.get(Activity, activity.id)


@pytest.mark.parametrize("kind", ["observe_meeting", "shadow"])
def test_recording_an_observation_stores_answers_marks_and_who(manager_and_week, kind):
    client, week = manager_and_week
    activity = schedule(week, client.user, kind)
    content = week_records.template_version_for(activity).content
    raw = observation_answers(content)
    raw["q__next_steps_clear"] = "no"
    data = {
        **raw,
        "theme__voice_of_child": "strength",
        "summary": "A clear, child-centred meeting.",
    }
    response = _post(client, activity, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = _reload(activity)
    assert saved.status == "done"
    assert saved.template_version.template.key == week_records.TEMPLATE_FOR_KIND[kind]
    assert (
        saved.answers["child_voice_in_room" if kind == "observe_meeting" else "child_voice_in_work"]
        == "yes"
    )
    assert saved.answers["next_steps_clear"] == "no"
    assert saved.theme_marks["voice_of_child"] == "strength"
    assert saved.theme_marks["smart_plans"] == "development"  # suggested from the "no"
    assert set(saved.theme_marks) == set(content["themes"])
    assert saved.summary == "A clear, child-centred meeting."
    assert saved.recorded_by_id == client.user.id and saved.recorded_at is not None
    log = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "practice_week_activity",
            ChangeLogEntry.action == "recorded",
        )
    ).one()
    assert log.user_id == client.user.id and log.entity_id == str(activity.id)


def test_finishing_needs_every_required_answer_and_keeps_what_was_typed(manager_and_week):
    client, week = manager_and_week
    activity = schedule(week, client.user)
    response = _post(client, activity, {"q__went_well": "The chair summarised well"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose yes, partly or no" in html
    assert "The chair summarised well" in html
    assert _reload(activity).answers == {}


def test_a_draft_keeps_the_activity_planned(manager_and_week):
    client, week = manager_and_week
    activity = schedule(week, client.user)
    response = _post(client, activity, {"q__went_well": "Half written"}, action="draft")
    assert response.status_code == 302
    saved = _reload(activity)
    assert saved.status == "planned" and saved.answers == {"went_well": "Half written"}
    page = client.get(f"/practice-weeks/activities/{activity.id}/record").get_data(as_text=True)
    assert "Half written" in page


def test_a_draft_loses_control_characters_and_says_from_which_answers(manager_and_week):
    """As on an audit section: a draft keeps what was typed, but not a control character (NUL
    cannot be stored); the next page names the answers it was removed from."""
    client, week = manager_and_week
    activity = schedule(week, client.user)
    data = {"q__went_well": "Half\x00 written", "summary": "Pasted\x0b text"}
    response = _post(client, activity, data, action="draft")
    assert response.status_code == 302
    saved = _reload(activity)
    assert saved.answers == {"went_well": "Half written"} and saved.summary == "Pasted text"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We removed control characters" in page
    notice = page[page.index("We removed control characters") :][:400]
    assert "went well" in notice.lower() and "summary" in notice.lower()


def test_a_conversation_without_consent_keeps_no_summary(manager_and_week):
    client, week = manager_and_week
    activity = schedule(week, client.user, "conversation")
    refused = _post(
        client,
        activity,
        {"participant": "parent_carer", "consent_given": "no", "summary": "What mother said"},
    )
    assert refused.status_code == 400
    assert "Consent was not given" in refused.get_data(as_text=True)
    assert _reload(activity).summary == ""
    response = _post(client, activity, {"participant": "parent_carer", "consent_given": "no"})
    assert response.status_code == 302
    saved = _reload(activity)
    assert (saved.status, saved.consent_given, saved.summary) == ("done", False, "")
    log_text = str(db.session.scalars(select(ChangeLogEntry.changes)).all())
    assert "What mother said" not in log_text


def test_a_conversation_with_consent_records_how_and_what_was_heard(manager_and_week):
    client, week = manager_and_week
    activity = schedule(week, client.user, "conversation")
    missing = _post(client, activity, {"participant": "staff", "consent_given": "yes"})
    assert missing.status_code == 400
    assert "Say how consent was recorded" in missing.get_data(as_text=True)
    data = {
        "participant": "staff",
        "consent_given": "yes",
        "consent_how": "Verbal consent, noted at the start",
        "summary": "Caseloads are high; supervision is valued.",
    }
    assert _post(client, activity, data).status_code == 302
    saved = _reload(activity)
    assert (saved.participant, saved.consent_given) == ("staff", True)
    assert saved.summary == "Caseloads are high; supervision is valued."


def test_auditing_a_record_creates_an_audit_in_the_weeks_cycle_for_the_manager(
    manager_and_week,
):
    client, week = manager_and_week
    team = save_team("Initial Response", None, True, actor=None)
    activity = schedule(week, client.user, "audit_record")
    template = next(t for t in week_records.week_templates(week) if t.key == "single_assessment")
    data = {"case_reference": "1000123", "team_id": str(team.id), "template_id": str(template.id)}
    response = _post(client, activity, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    audit = db.session.scalars(select(Audit)).one()
    assert response.headers["Location"].endswith(f"/audits/{audit.id}")
    assert audit.cycle_id == week.cycle_id
    assert audit.auditor_id == client.user.id
    assert audit.case.case_reference == "1000123"
    saved = _reload(activity)
    assert saved.audit_id == audit.id and saved.status == "done"
    page = client.get(f"/practice-weeks/activities/{activity.id}/record").get_data(as_text=True)
    assert "1000123" in page and "Not started" in page
    assert client.get(f"/audits/{audit.id}").status_code == 200  # the normal audit pages


def test_another_senior_manager_cannot_record_someone_elses_activity(manager_and_week, client_as):
    client, week = manager_and_week
    activity = schedule(week, client.user)
    other = client_as(Role.SENIOR_MANAGER)
    url = f"/practice-weeks/activities/{activity.id}/record"
    assert other.get(url).status_code == 403
    data = {"csrf_token": csrf_token(other), "lock_version": "1", "action": "finish"}
    assert other.post(url, data=data).status_code == 403
    lead = client_as(Role.QA_LEAD)
    assert lead.get(url).status_code == 200


def test_a_stale_save_is_refused_and_keeps_the_typed_answers(manager_and_week):
    client, week = manager_and_week
    activity = schedule(week, client.user)
    url = f"/practice-weeks/activities/{activity.id}/record"
    old = _version(client.get(url).get_data(as_text=True))
    week_records.record_observation(
        activity,
        {"q__went_well": "Someone else"},
        {},
        "",
        finish=False,
        based_on=activity.lock_version,
        actor=None,
    )
    data = {
        "csrf_token": csrf_token(client, url),
        "lock_version": old,
        "q__went_well": "My own careful notes",
        "action": "finish",
    }
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert "My own careful notes" in response.get_data(as_text=True)
    assert _reload(activity).answers == {"went_well": "Someone else"}


@pytest.mark.parametrize("kind", ["observe_meeting", "conversation", "audit_record"])
def test_the_record_page_is_built_for_a_phone(manager_and_week, kind):
    client, week = manager_and_week
    activity = schedule(week, client.user, kind)
    html = client.get(f"/practice-weeks/activities/{activity.id}/record").get_data(as_text=True)
    assert re.search(r'<meta name="viewport" content="width=device-width[^"]*"', html)
    assert "<table" not in html
    if kind == "observe_meeting":  # the whole template on one page
        for q in week_records.template_version_for(activity).content["template"]["sections"]:
            for question in q["questions"]:
                assert f'name="q__{question["key"]}"' in html


def test_my_schedule_is_built_for_a_phone(manager_and_week):
    client, week = manager_and_week
    schedule(week, client.user, day=week.starts_on)
    html = client.get("/practice-weeks/mine").get_data(as_text=True)
    assert 'name="viewport"' in html and "<table" not in html
    assert uk_today() <= week.ends_on or "no activities" in html


@pytest.mark.parametrize("kind", ["observe_meeting", "conversation", "audit_record"])
def test_an_activity_cannot_be_recorded_before_it_happens_and_the_page_says_when(
    loaded_templates, client_as, kind
):
    client = client_as(Role.SENIOR_MANAGER)
    monday = uk_today() + timedelta(days=7 - uk_today().weekday() + 7)
    week = make_week(managers=[client.user], starts_on=monday, ends_on=monday + timedelta(days=4))
    activity = schedule(week, client.user, kind, day=monday + timedelta(days=1))
    when = f"{activity.scheduled_on:%A} {activity.scheduled_on.day} {activity.scheduled_on:%B %Y}"
    url = f"/practice-weeks/activities/{activity.id}/record"
    page = client.get(url).get_data(as_text=True)
    assert f"This activity is on {when}. You can record it from that day" in page
    assert 'name="lock_version"' not in page  # no form to fill in yet
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), "action": "finish", "summary": "Seen"}
    )
    assert response.status_code == 400
    assert _reload(activity).status == "planned" and _reload(activity).recorded_at is None
    # the data layer refuses too, whoever calls it
    with pytest.raises(WeekError, match=f"This activity is on {when}"):
        if kind == "observe_meeting":
            week_records.record_observation(
                activity, {}, {}, "", finish=False, based_on=activity.lock_version, actor=None
            )
        elif kind == "conversation":
            week_records.record_conversation(
                activity,
                participant="staff",
                consent_given=False,
                consent_how="",
                summary="",
                finish=False,
                based_on=activity.lock_version,
                actor=None,
            )
        else:
            week_records.record_audit(
                activity,
                case_reference="12345678",
                team=None,
                template=None,
                based_on=activity.lock_version,
                actor=None,
            )
    assert week_records.too_early(activity, today=activity.scheduled_on) is None
