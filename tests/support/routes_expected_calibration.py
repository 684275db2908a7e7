"""Who may open the calibration pages. The sample round is closed; its participants are the
owner ("someone.else") and another auditor, so only the QA lead and moderators (who manage
rounds) get in as non-participants, and nobody but a participant grades or submits.

OWNER: a participant (holding each role in turn) reads the round and its results, and is sent
back to the round page by the grading and submit pages of a closed round."""

from tests.support.route_walk import AUDITORS, MODERATORS

EXPECTED = {
    "calibration.index": AUDITORS,
    "calibration.open_round": MODERATORS,
    "calibration.show": MODERATORS,
    "calibration.close": MODERATORS,
    "calibration.results_page": MODERATORS,
    "calibration.results_xlsx": MODERATORS,
    "calibration.over_time": MODERATORS,
    "calibration.grade": frozenset(),
    "calibration.submit": frozenset(),
    "calibration.agreed": MODERATORS,
}

OWNER = {
    "calibration.show": AUDITORS,
    "calibration.results_page": AUDITORS,
    "calibration.results_xlsx": AUDITORS,
    "calibration.grade": AUDITORS,
    "calibration.submit": AUDITORS,
}


def sample_values(values: dict) -> dict:
    from qa_app.data import calibration
    from qa_app.data.users import create_user
    from qa_app.models import Role
    from tests.calibration.round_factory import answer_all, make_round

    lead = create_user(
        "calibration.lead", "Calibration Lead", "correct-horse-battery", [Role.QA_LEAD]
    )
    second = create_user(
        "calibration.second", "Second Auditor", "correct-horse-battery", [Role.AUDITOR]
    )
    round_ = make_round(lead, [values["_other_user"], second], references=("90000077",))
    answer_all(round_, values["_other_user"])
    answer_all(round_, second)
    calibration.close(round_, "", actor=lead)
    return {"round_id": round_.id, "case_id": round_.cases[0].case_id}
