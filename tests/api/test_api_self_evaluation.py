"""The self-evaluation in the API: its versions listed, one version read with each area's text
and the evidence of its statements, a published version read by a senior manager, nothing for a
board viewer. Every response is checked against the OpenAPI document by the test client."""

from datetime import date

from qa_app.models import Role
from qa_app.services import report_drafting, self_evaluation
from tests.api.support import api_as, error_of
from tests.findings import known_data

START, END, TODAY = date(2025, 12, 1), date(2026, 11, 30), date(2026, 12, 8)


def test_a_qa_lead_lists_and_reads_a_version_with_its_evidence(app, make_user, loaded_templates):
    known_data.build(
        make_user(Role.AUDITOR, username="auditor.one"),
        make_user(Role.MODERATOR, username="moderator.one"),
    )
    lead = api_as(app, make_user, Role.QA_LEAD)
    report = self_evaluation.draft(START, END, lead.user, TODAY)

    listed = lead.get("/self-evaluations").get_json()["items"]
    assert [(i["id"], i["version"], i["status"]) for i in listed] == [(report.id, 1, "draft")]
    assert (listed[0]["period_from"], listed[0]["period_to"]) == ("2025-12-01", "2026-11-30")

    body = lead.get(f"/self-evaluations/{report.id}").get_json()
    first = body["sections"][0]
    assert (first["key"], first["heading"]) == ("help_and_protection:know", "What we know")
    assert first["statements"][0] == {
        "text": "Of 6 assessments audited, 4 (67%) were judged good or better.",
        "evidence": "/findings/templates/single_assessment?from=2025-12-01&to=2026-11-30",
    }
    assert body["figures"]["areas"][0]["key"] == "help_and_protection"


def test_a_published_version_is_read_by_a_senior_manager_and_never_by_a_board_viewer(
    app, make_user, loaded_templates
):
    lead = api_as(app, make_user, Role.QA_LEAD)
    report = self_evaluation.draft(START, END, lead.user, TODAY)
    manager = api_as(app, make_user, Role.SENIOR_MANAGER)
    board = api_as(app, make_user, Role.BOARD_VIEWER)
    assert manager.get(f"/self-evaluations/{report.id}").status_code == 403
    assert manager.get("/self-evaluations").get_json()["items"] == []

    report_drafting.publish(report, based_on=report.lock_version, actor=lead.user)

    assert manager.get(f"/self-evaluations/{report.id}").status_code == 200
    assert [i["id"] for i in manager.get("/self-evaluations").get_json()["items"]] == [report.id]
    assert board.get("/self-evaluations").get_json()["items"] == []
    assert board.get(f"/self-evaluations/{report.id}").status_code == 403


def test_another_kind_of_report_is_not_a_self_evaluation(app, make_user, loaded_templates):
    from qa_app.findings import Filters

    lead = api_as(app, make_user, Role.QA_LEAD)
    other = report_drafting.draft(
        cycle=None,
        filters=Filters(date_from=START, date_to=END),
        audience="internal",
        actor=lead.user,
    )
    response = lead.get(f"/self-evaluations/{other.id}")
    assert response.status_code == 404
    assert error_of(response)["message"] == f"No self-evaluation {other.id}"
