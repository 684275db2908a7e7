"""Calibration rounds in the data layer: what a round refuses, and that it never touches the
audits the findings count."""

import pytest
from sqlalchemy import func, select

from qa_app.data import calibration
from qa_app.extensions import db
from qa_app.models import Audit, Role
from tests.audits.factory import latest_version
from tests.calibration.round_factory import answer_all, make_round


@pytest.fixture(autouse=True)
def _templates(loaded_templates):
    return loaded_templates


def test_a_round_needs_two_auditors_and_known_cases(make_user):
    lead, one = make_user(Role.QA_LEAD), make_user(Role.AUDITOR)
    with pytest.raises(calibration.CalibrationError, match="at least two auditors"):
        make_round(lead, [one])
    with pytest.raises(calibration.CalibrationError, match="no case X-404"):
        calibration.open_round(
            name="R",
            version=latest_version("single_assessment"),
            case_references=["X-404"],
            auditor_ids=[one.id, lead.id],
            due_date=None,
            actor=lead,
        )


def test_submitting_needs_every_answer_and_closes_the_draft(make_user):
    lead, one, two = make_user(Role.QA_LEAD), make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    round_ = make_round(lead, [one, two])
    person = calibration.participant(round_, one)
    item = calibration.items_of(round_)[0]
    calibration.save_ratings(
        round_, person, round_.cases[0].case_id, {item.key: item.levels[0][0]}, actor=one
    )
    with pytest.raises(calibration.CalibrationError, match="still to answer"):
        calibration.submit(round_, person, actor=one)
    answer_all(round_, one)
    with pytest.raises(calibration.CalibrationError, match="already in"):
        calibration.save_ratings(round_, person, round_.cases[0].case_id, {}, actor=one)


def test_closing_needs_a_submission_and_no_audit_is_made(make_user):
    lead, one, two = make_user(Role.QA_LEAD), make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    round_ = make_round(lead, [one, two])
    with pytest.raises(calibration.CalibrationError, match="Nobody has submitted"):
        calibration.close(round_, "", actor=lead)
    answer_all(round_, one)
    answer_all(round_, two)
    calibration.close(round_, "", actor=lead)
    assert not round_.is_open
    assert db.session.scalar(select(func.count(Audit.id))) == 0
