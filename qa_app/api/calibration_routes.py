"""GET /api/v1/calibration/rounds and /calibration/rounds/<id>/results: calibration rounds and
a closed round's agreement figures, read as the pages read them. Blind as the pages are: the
results of an open round are 409 for everyone; someone neither managing rounds (QA leads,
moderators) nor taking part gets 403."""

from flask import jsonify

from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, bp
from qa_app.api.openapi import operation
from qa_app.api.schemas.calibration import CalibrationResults, CalibrationRoundList
from qa_app.data import calibration as data
from qa_app.findings.calibration_results import round_results
from qa_app.models import CalibrationRound
from qa_app.rules.permissions import may

READERS = (
    "Case-level roles (do_audits): the QA lead and moderators see every round, others the "
    "rounds they take part in"
)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def round_json(round_: CalibrationRound) -> dict:
    version = round_.template_version
    return {
        "id": round_.id,
        "name": round_.name,
        "template": version.template.key,
        "template_version": version.number,
        "status": round_.status,
        "opened_at": _iso(round_.opened_at),
        "due_date": _iso(round_.due_date),
        "closed_at": _iso(round_.closed_at),
        "cases": [c.case.case_reference for c in round_.cases],
        "participants": len(round_.participants),
        "submitted": sum(1 for p in round_.participants if p.submitted_at),
    }


@bp.get("/calibration/rounds")
@operation(
    "calibration",
    "Calibration rounds",
    READERS,
    (200, CalibrationRoundList, "Newest first"),
    describe="Who has submitted is counted, never what: grades show only in a closed round's "
    "results.",
)
@api_requires("do_audits")
def list_calibration_rounds():
    me = api_user()
    rounds = data.list_rounds(None if may(me, "manage_calibration") else me)
    return jsonify({"items": [round_json(r) for r in rounds]})


@bp.get("/calibration/rounds/<int:round_id>/results")
@operation(
    "calibration",
    "A closed calibration round's agreement figures",
    READERS + "; only the QA lead, moderators and the round's participants",
    (200, CalibrationResults, "Per item and per auditor"),
    404,
    409,
    describe="Per item: answers per level, percentage agreement, Krippendorff's alpha (ordinal "
    "for grades, nominal for answers) with a 95% bootstrap interval, Gwet's AC1 and answers 2 or "
    "more scale steps from the agreed (or most common) grade. 409 while the round is open.",
)
@api_requires("do_audits")
def get_calibration_results(round_id: int):
    me = api_user()
    round_ = data.get_round(round_id)
    if round_ is None:
        raise ApiError(404, f"No calibration round {round_id}")
    internal = may(me, "manage_calibration")
    if not internal and data.participant(round_, me) is None:
        raise refuse(me, "You are not in this calibration round")
    if round_.is_open:
        raise ApiError(409, "The results show once the round is closed")
    figures = round_results(round_)
    references = {c.case_id: c.case.case_reference for c in round_.cases}

    def who(auditor_id: int) -> int | None:
        return auditor_id if internal or auditor_id == me.id else None

    items = []
    for row in figures.rows:
        item, result = row.item, row.result
        keys = [key for key, _ in item.levels]
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "section": item.section,
                "kind": "grade" if item.graded else "answer",
                "levels": [{"key": k, "label": label} for k, label in item.levels],
                "counts": dict(zip(keys, result.distribution, strict=True)),
                "agreement": result.agreement,
                "alpha": result.alpha.value,
                "alpha_interval": list(result.interval) if result.interval else None,
                "ac1": result.ac1.value,
                "undefined_reason": result.alpha.reason or result.ac1.reason or None,
                "outliers": [
                    {
                        "auditor": who(o.auditor_id),
                        "case_reference": references.get(o.case_id, ""),
                        "answer": keys[o.answer],
                        "reference": keys[o.reference],
                    }
                    for o in result.outliers
                ],
            }
        )
    distances = [
        {
            "auditor": d.auditor_id,
            "mean_steps": d.mean_steps,
            "matching": d.matching,
            "compared": d.compared,
        }
        for d in figures.distances
        if internal or d.auditor_id == me.id
    ]
    return jsonify(
        {
            "round": round_json(round_),
            "headline": figures.headline,
            "items": items,
            "distances": distances,
        }
    )
