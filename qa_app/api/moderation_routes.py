"""POST /api/v1/audits/<id>/moderation: a moderator records their grade for each graded
judgement of a submitted audit in the moderation queue, through qa_app.data.moderation
(start, then record), exactly as the moderation pages do.

start() commits the claim (the moderator, blind or not, in progress) before record() checks the
grades, so the body is checked here first, with record()'s own rules: a 422 then leaves the
moderation as it was, unclaimed, for any moderator to start."""

from flask import jsonify

from qa_app.api import serialise
from qa_app.api.auth import api_requires, api_user, refuse
from qa_app.api.blueprint import ApiError, Problems, bp
from qa_app.api.openapi import operation
from qa_app.api.schemas.audits import Moderation as ModerationShape
from qa_app.api.schemas.audits import ModerationRequest
from qa_app.api.validation import read_body
from qa_app.data import audits as audit_data
from qa_app.data import moderation as moderation_data
from qa_app.data.moderation import ModerationError
from qa_app.models import Audit, Moderation
from qa_app.templates_engine.answers import scale_levels

COMPLETED = "completed"
TAKEN = "Another moderator has started this moderation"


@bp.post("/audits/<int:audit_id>/moderation")
@operation(
    "moderation",
    "Record a moderation",
    "Moderators and QA leads (moderate), not on their own audits",
    (200, ModerationShape, "The moderation as saved"),
    404,
    409,
    body=ModerationRequest,
    describe="For an audit in the moderation queue. The first call starts the moderation "
    "(blind or not). A changed grade needs a reason; complete=true finishes it and marks the "
    "audit moderated. In a blind moderation the first save only records your grades.",
)
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
    body, problems = read_body(ModerationRequest)
    grades, reasons = body.grades or {}, body.reasons or {}
    complete, blind = bool(body.complete), bool(body.blind)
    keys = {k for k, _ in moderation_data.judgements(audit)}
    for name, values in (("grades", grades), ("reasons", reasons)):
        for key in values:
            if key not in keys:
                problems.add(f"{name}.{key}", f"{key!r} is not a graded judgement of this audit")
    problems.check()
    if moderation.status == COMPLETED:
        raise ApiError(409, "This audit has already been moderated")
    if moderation.moderator_id not in (None, me.id):
        raise ApiError(409, TAKEN)
    _check_judgements(audit, moderation, grades, reasons, complete=complete, blind=blind)
    try:
        if moderation.moderator_id is None:
            moderation_data.start(moderation, me, blind=blind)  # 409 if someone else just did
        moderation_data.record(moderation, grades, reasons, actor=me, complete=complete)
    except ModerationError as error:
        if error.problems:  # not expected: _check_judgements makes record's checks first
            problems = Problems()
            for field, message in error.problems:
                problems.add(_field(field), message)
            problems.check()
        raise ApiError(409, str(error)) from None
    audit = audit_data.get_audit(audit_id)
    return jsonify(serialise.moderation(moderation_data.for_audit(audit), audit))


def _check_judgements(
    audit: Audit,
    moderation: Moderation,
    grades: dict,
    reasons: dict,
    *,
    complete: bool,
    blind: bool,
) -> None:
    """record()'s checks of the grades and reasons, made before start() commits the claim:
    every judgement needs a grade on the template's scale (in a blind moderation, once the
    first save has fixed the moderator's grades, those), and on completing, a grade that
    differs from the auditor's needs a reason. 422 listing every problem; nothing saved."""
    content = audit.template_version.content
    levels = scale_levels(content, content["template"]["scale"])
    theirs = moderation_data.auditor_grades(audit)
    started = moderation.moderator_id is not None
    blind = moderation.blind if started else blind  # `blind` applies only when starting
    fixed = {g.section_key: g.moderator_grade for g in moderation.grades} if started else {}
    locked = blind and bool(fixed)
    if blind and not locked:
        complete = False  # the first save of a blind moderation only records the grades
    problems = Problems()
    for key, title in moderation_data.judgements(audit):
        name = moderation_data.judgement_name(key, title)
        grade = fixed[key] if locked and key in fixed else grades.get(key)
        if grade not in levels:
            problems.add(f"grades.{key}", f"Choose a grade for {name}")
            continue
        if complete and grade != theirs.get(key) and not (reasons.get(key) or "").strip():
            problems.add(
                f"reasons.{key}", f"Give a reason for changing the auditor's grade for {name}"
            )
    problems.check()


def _field(name: str) -> str:
    """grade__timeliness -> grades.timeliness (the body's own field names)."""
    kind, _, key = name.partition("__")
    return f"{'grades' if kind == 'grade' else 'reasons'}.{key}"
