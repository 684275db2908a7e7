"""Calibration rounds through the pages: opening, blind grading, submitting, closing, the
results, the agreed grades and each auditor's distance, the spreadsheet, over time."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from qa_app.data import calibration
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Role
from tests.calibration.round_factory import answer_all, make_cases, make_round
from tests.helpers import csrf_token


@pytest.fixture(autouse=True)
def _templates(loaded_templates):
    return loaded_templates


def test_the_qa_lead_opens_a_round_and_the_auditors_see_it_on_their_home_page(client_as, make_user):
    lead = client_as(Role.QA_LEAD)
    one, two = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    make_cases("CAL-7")
    response = lead.post(
        "/calibration/new",
        data={
            "csrf_token": csrf_token(lead, "/calibration/new"),
            "name": "Single assessments, December",
            "template": "single_assessment",
            "case_references": "CAL-7\n",
            "auditors": [one.id, two.id],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    round_ = calibration.list_rounds()[0]
    assert [c.case.case_reference for c in round_.cases] == ["CAL-7"]
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "calibration_round")
    ).one()
    assert entry.user_id == lead.user.id and entry.action == "opened"


def test_an_unknown_case_reference_is_refused_by_name(client_as, make_user):
    lead = client_as(Role.QA_LEAD)
    one, two = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    response = lead.post(
        "/calibration/new",
        data={
            "csrf_token": csrf_token(lead, "/calibration/new"),
            "name": "R",
            "template": "single_assessment",
            "case_references": "NOPE-1",
            "auditors": [one.id, two.id],
        },
    )
    assert response.status_code == 400
    assert "There is no case NOPE-1" in response.get_data(as_text=True)


def test_grading_is_blind_until_the_round_closes(app, client_as, make_user):
    lead = make_user(Role.QA_LEAD)
    auditor = client_as(Role.AUDITOR)
    other = make_user(Role.AUDITOR)
    round_ = make_round(lead, [auditor.user, other])
    home = auditor.get("/").get_data(as_text=True)
    assert "Calibration: grade case CAL-1 blind" in home
    case_id = round_.cases[0].case_id
    page = auditor.get(f"/calibration/{round_.id}/cases/{case_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Grade: Timeliness" in text and "Requires improvement to be good" in text
    answer_all(round_, other, pick=lambda item, i: item.levels[-1][0])
    # the other auditor's answers show nowhere: not on the grading page, nor the round page
    assert "Inadequate" not in auditor.get(f"/calibration/{round_.id}").get_data(as_text=True)
    assert auditor.get(f"/calibration/{round_.id}/results").status_code == 302
    # the QA lead sees who has submitted, not what
    lead_client = app.test_client()
    from tests.helpers import sign_in

    sign_in(lead_client, lead.username)
    text = lead_client.get(f"/calibration/{round_.id}").get_data(as_text=True)
    assert f"{other.display_name}: submitted" in text
    assert f"{auditor.user.display_name}: not submitted" in text
    assert lead_client.get(f"/calibration/{round_.id}/results").status_code == 302


def test_saving_a_case_and_submitting_through_the_pages(client_as, make_user):
    lead = make_user(Role.QA_LEAD)
    auditor = client_as(Role.AUDITOR)
    round_ = make_round(lead, [auditor.user, make_user(Role.AUDITOR)])
    case_id = round_.cases[0].case_id
    url = f"/calibration/{round_.id}/cases/{case_id}"
    data = {"csrf_token": csrf_token(auditor, url)}
    for item in calibration.items_of(round_):
        data["item__" + item.key.replace(":", "__")] = item.levels[0][0]
    assert auditor.post(url, data=data).status_code == 302
    submit = auditor.post(
        f"/calibration/{round_.id}/submit",
        data={"csrf_token": csrf_token(auditor, f"/calibration/{round_.id}")},
    )
    assert submit.status_code == 302
    assert calibration.participant(round_, auditor.user).submitted_at is not None


def test_someone_outside_the_round_is_refused(client_as, make_user):
    lead = make_user(Role.QA_LEAD)
    round_ = make_round(lead, [make_user(Role.AUDITOR), make_user(Role.AUDITOR)])
    stranger = client_as(Role.AUDITOR)
    case_id = round_.cases[0].case_id
    assert stranger.get(f"/calibration/{round_.id}").status_code == 403
    assert stranger.get(f"/calibration/{round_.id}/cases/{case_id}").status_code == 403


def test_after_closing_everyone_in_the_round_sees_the_figures_and_only_their_own_distance(
    app, client_as, make_user
):
    lead = client_as(Role.QA_LEAD)
    auditor = client_as(Role.AUDITOR)
    others = [make_user(Role.AUDITOR), make_user(Role.AUDITOR)]
    round_ = make_round(lead.user, [auditor.user, *others], references=("CAL-1", "CAL-2"))
    answer_all(round_, auditor.user)
    answer_all(round_, others[0])
    answer_all(round_, others[1], pick=lambda item, i: item.levels[-1][0])
    calibration.close(round_, "Met on Tuesday", actor=lead.user)
    case_id = round_.cases[0].case_id
    agreed = {i.key: i.levels[0][0] for i in calibration.items_of(round_)}
    calibration.save_agreed(round_, case_id, agreed, "As discussed", actor=lead.user)

    text = lead.get(f"/calibration/{round_.id}/results").get_data(as_text=True)
    assert "Auditors agreed on 0 of 9 grades and 0 of 36 questions" in text
    assert others[1].display_name in text  # named for the QA lead
    assert "Distance from the agreed grades" in text

    mine = auditor.get(f"/calibration/{round_.id}/results").get_data(as_text=True)
    assert others[1].display_name not in mine and "An auditor" in mine
    assert mine.count("No agreed grades") + mine.count("0.00") >= 1

    book = load_workbook(BytesIO(lead.get(f"/calibration/{round_.id}/results.xlsx").data))
    assert book.sheetnames == ["Items", "Outlying answers", "Distance from agreed"]
    assert lead.get("/calibration/over-time").status_code == 200
