"""The calibration endpoints: blind while open, the reader's own distance only, auditors named
against outlying answers only for the QA lead and moderators."""

from qa_app.data import calibration
from qa_app.models import Role
from tests.api.support import api_as
from tests.calibration.round_factory import answer_all, make_round


def test_results_are_409_while_open_then_shown_with_only_the_readers_own_distance(
    app, make_user, loaded_templates
):
    lead = make_user(Role.QA_LEAD)
    api = api_as(app, make_user, Role.AUDITOR)
    far, near = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    round_ = make_round(lead, [api.user, far, near])
    path = f"/calibration/rounds/{round_.id}/results"
    assert api.get(path).status_code == 409
    answer_all(round_, api.user)
    answer_all(round_, near)
    answer_all(round_, far, pick=lambda item, i: item.levels[-1][0])
    calibration.close(round_, "", actor=lead)
    items = calibration.items_of(round_)
    agreed = {i.key: i.levels[0][0] for i in items}
    calibration.save_agreed(round_, round_.cases[0].case_id, agreed, "", actor=lead)

    body = api.get(path).get_json()
    assert [d["auditor"] for d in body["distances"]] == [api.user.id]
    outliers = [o for item in body["items"] for o in item["outliers"]]
    assert outliers and {o["auditor"] for o in outliers} == {None}
    grade = next(i for i in body["items"] if i["kind"] == "grade")
    assert grade["agreement"] == 1 / 3 and sum(grade["counts"].values()) == 3

    moderator = api_as(app, make_user, Role.MODERATOR)
    body = moderator.get(path).get_json()
    assert len(body["distances"]) == 3
    assert {o["auditor"] for item in body["items"] for o in item["outliers"]} == {far.id}
    listed = moderator.get("/calibration/rounds").get_json()["items"]
    assert listed[0]["submitted"] == 3 and listed[0]["status"] == "closed"
