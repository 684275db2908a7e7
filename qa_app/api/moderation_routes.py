"""POST /api/v1/audits/<id>/moderation: a moderator records their grade for each graded
judgement of a submitted audit in the moderation queue, through qa_app.data.moderation
(start, then record), exactly as the moderation pages do."""

from flask import jsonify

from qa_app.api import serialise
from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, bp, json_body
from qa_app.api.fields import Reader
from qa_app.data import audits as audit_data
from qa_app.data import moderation as moderation_data
from qa_app.data.moderation import ModerationError


@bp.post("/audits/<int:audit_id>/moderation")
@api_requires("moderate")
def moderate_audit(audit_id: int):
    me = api_user()
    audit = audit_data.get_audit(audit_id)
    if audit is None:
        raise ApiError(404, f"No audit {audit_id}")
    if audit.auditor_id == me.id:
        raise refuse(me, "You cannot moderate your own audit")
    moderation = moderation_data.for_audit(audit)
    if moderation is None:
        raise ApiError(404, "This audit is not in the moderation queue")
    r = Reader(json_body(), {"grades", "reasons", "complete", "blind"})
    grades, reasons = r.mapping("grades"), r.mapping("reasons")
    complete, blind = r.boolean("complete"), r.boolean("blind")
    keys = {k for k, _ in moderation_data.judgements(audit)}
    for name, values in (("grades", grades), ("reasons", reasons)):
        for key, value in values.items():
            if key not in keys:
                r.add(f"{name}.{key}", f"{key!r} is not a graded judgement of this audit")
            elif value is not None and not isinstance(value, str):
                r.add(f"{name}.{key}", "Send a string")
    r.problems.check()
    try:
        if moderation.moderator_id is None:
            moderation_data.start(moderation, me, blind=blind)
        elif moderation.moderator_id != me.id:
            raise ModerationError("Another moderator has started this moderation")
        moderation_data.record(moderation, grades, reasons, actor=me, complete=complete)
    except ModerationError as error:
        if error.problems:
            items = [{"field": _field(f), "message": m} for f, m in error.problems]
            raise ApiError(422, str(error), field=items[0]["field"], problems=items) from None
        raise ApiError(409, str(error)) from None
    audit = audit_data.get_audit(audit_id)
    return jsonify(serialise.moderation(moderation_data.for_audit(audit), audit))


def _field(name: str) -> str:
    """grade__timeliness -> grades.timeliness (the body's own field names)."""
    kind, _, key = name.partition("__")
    return f"{'grades' if kind == 'grade' else 'reasons'}.{key}"
