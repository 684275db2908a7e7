"""Write scenarios for calibration rounds (tests/data/test_write_paths.py): opening a round,
saving one case's grades, submitting, closing, and the grades agreed at the meeting."""

from qa_app.data import calibration
from qa_app.models import Role
from tests.calibration.round_factory import answer_all, make_cases, make_round
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _round(ctx: Ctx, *, submitted: bool = False):
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    auditor = ctx.client_as(Role.AUDITOR)
    other = ctx.make_user(Role.AUDITOR)
    round_ = make_round(lead.user, [auditor.user, other])
    if submitted:
        answer_all(round_, other)
    return lead, auditor, round_


@scenario("calibration.open_round", "/calibration/new")
def _open(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    one, two = ctx.make_user(Role.AUDITOR), ctx.make_user(Role.AUDITOR)
    make_cases("CAL-W1")
    data = {
        "name": "Write path round",
        "template": "single_assessment",
        "case_references": "CAL-W1",
        "auditors": [one.id, two.id],
    }
    return form_post(lead, "/calibration/new", data)


@scenario("calibration.grade", "/calibration/<int:round_id>/cases/<int:case_id>")
def _grade(ctx: Ctx) -> Write:
    _, auditor, round_ = _round(ctx)
    url = f"/calibration/{round_.id}/cases/{round_.cases[0].case_id}"
    item = calibration.items_of(round_)[0]
    return form_post(auditor, url, {"item__" + item.key.replace(":", "__"): item.levels[0][0]})


@scenario("calibration.submit", "/calibration/<int:round_id>/submit")
def _submit(ctx: Ctx) -> Write:
    _, auditor, round_ = _round(ctx)
    answer_all(round_, auditor.user, submit=False)
    url = f"/calibration/{round_.id}/submit"
    return form_post(auditor, url, page=f"/calibration/{round_.id}")


@scenario("calibration.close", "/calibration/<int:round_id>/close")
def _close(ctx: Ctx) -> Write:
    lead, _, round_ = _round(ctx, submitted=True)
    url = f"/calibration/{round_.id}/close"
    return form_post(lead, url, {"notes": "Met on Tuesday"}, page=f"/calibration/{round_.id}")


@scenario("calibration.agreed", "/calibration/<int:round_id>/agreed/<int:case_id>")
def _agreed(ctx: Ctx) -> Write:
    lead, _, round_ = _round(ctx, submitted=True)
    calibration.close(round_, "", actor=lead.user)
    url = f"/calibration/{round_.id}/agreed/{round_.cases[0].case_id}"
    item = calibration.items_of(round_)[-1]
    return form_post(lead, url, {"item__" + item.key.replace(":", "__"): item.levels[1][0]})
