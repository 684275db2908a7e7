"""A historic review graded on another scale than the template's current one (e.g. good /
adequate / inadequate where the template now uses the Ofsted four-point scale) keeps its own
scale: its audits are stored against a historic version of the template, the current
version's questions with that scale, so the findings count them on their own scale.

The historic version is numbered below 1 (0, then -1 …), so it is never the template's
newest version: new audits, sampling and the template pages keep using the current one. It
is made once per scale and content, when the first file that needs it is stored (recorded
in the change log), and reused by later imports."""

import copy

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import Scale, TemplateVersion
from qa_app.templates_engine.content import content_hash, iter_questions


def scale_problem(scale_key: str) -> str | None:
    """Why `scale_key` cannot be used (None when it can)."""
    if db.session.scalar(select(Scale.id).where(Scale.key == scale_key)) is None:
        known = ", ".join(db.session.scalars(select(Scale.key).order_by(Scale.key)))
        return f"no scale {scale_key!r} (known: {known})"
    return None


def with_scale(content: dict, scale_key: str, scale: dict) -> dict:
    """`content` graded on another scale: the template's scale, and every grade question that
    used it, become `scale_key`; the version's scale snapshots follow."""
    out = copy.deepcopy(content)
    old = out["template"]["scale"]
    out["template"]["scale"] = scale_key
    used = {scale_key}
    for section in out["template"]["sections"]:
        for q in iter_questions(section["questions"]):
            if q["type"] == "grade":
                if q["scale"] == old:
                    q["scale"] = scale_key
                used.add(q["scale"])
    snapshots = {**content["scales"], scale_key: scale}
    out["scales"] = {k: snapshots[k] for k in sorted(used)}
    return out


def version_on_scale(latest: TemplateVersion, scale_key: str) -> TemplateVersion:
    """The version to store a review graded on `scale_key` against: the latest version when it
    uses that scale, else a historic version with the latest's questions on that scale (one
    already stored, or a new one not yet added to the session: see `store_if_new`)."""
    if latest.content["template"]["scale"] == scale_key:
        return latest
    definition = db.session.scalar(select(Scale.definition).where(Scale.key == scale_key))
    assert definition is not None  # the scale was checked to exist (scale_problem)
    content = with_scale(latest.content, scale_key, definition)
    digest = content_hash(content)
    found = db.session.scalar(
        select(TemplateVersion).where(
            TemplateVersion.template_id == latest.template_id,
            TemplateVersion.content_hash == digest,
        )
    )
    if found is not None:
        return found
    return TemplateVersion(
        template_id=latest.template_id,
        number=None,  # set when stored
        content=content,
        content_hash=digest,
        source_file=latest.source_file,
    )


def store_if_new(
    version: TemplateVersion, template, based_on: int | None, actor, source: dict
) -> None:
    """Add a historic version made by `version_on_scale` (numbered below every other) and
    record it against the template; a stored version is left as it is."""
    if version.id is not None:
        return
    lowest = db.session.scalar(
        select(func.min(TemplateVersion.number)).where(
            TemplateVersion.template_id == version.template_id
        )
    )
    version.number = min(lowest or 1, 1) - 1
    version.created_by_id = getattr(actor, "id", None)
    db.session.add(version)
    db.session.flush()
    changelog.record(
        actor,
        "template",
        template.key,
        "historic_version_created",
        {
            "version": version.number,
            "scale": version.content["template"]["scale"],
            "based_on": based_on,
            **source,
        },
    )
