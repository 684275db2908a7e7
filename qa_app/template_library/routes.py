"""Audit templates in the app: the list, one template's versions, and a version's preview."""

from flask import Blueprint, abort, render_template

from qa_app.data import templates as template_data
from qa_app.templates_engine.answer_checks import check_rules
from qa_app.templates_engine.compare import version_changes
from qa_app.web.security import requires
from qa_app.web.template_forms import overall_form, section_form

bp = Blueprint("template_library", __name__, url_prefix="/templates", template_folder="templates")

KIND_LABELS = {"case_audit": "Case audit", "observation": "Observation", "shadowing": "Shadowing"}


@bp.route("/")
@requires("view_templates")
def index():
    return render_template(
        "template_library/index.html",
        summaries=template_data.list_templates(),
        kind_labels=KIND_LABELS,
        title="Audit templates",
    )


@bp.route("/<key>")
@requires("view_templates")
def template(key: str):
    tpl = template_data.get_template(key) or abort(404)
    versions = list(reversed(tpl.versions))
    # a historic version (numbered below 1, for a review imported on another scale) is not a
    # step in the template's history: versions are compared only with the one before
    current = [v for v in versions if v.number >= 1]
    changes = {
        v.number: version_changes(older.content, v.content)
        for v, older in zip(current, current[1:], strict=False)
    }
    for v in versions:
        if v.number < 1:
            scale = v.content["scales"][v.content["template"]["scale"]]["name"]
            changes[v.number] = [
                f"Historic: the questions of the version current when it was made, graded on "
                f"the {scale} scale, for audits imported from a review graded on that scale"
            ]
    return render_template(
        "template_library/template.html",
        tpl=tpl,
        versions=versions,
        changes=changes,
        kind_labels=KIND_LABELS,
        title=tpl.name,
    )


@bp.route("/<key>/versions/<int(signed=True):number>")
@requires("view_templates")
def preview(key: str, number: int):
    version = template_data.get_version(key, number) or abort(404)
    content = version.content
    sections = []
    for section in content["template"]["sections"]:
        form_class, layout = section_form(content, section["key"])
        # Each section's form gets its own prefix: every section has a section_grade field,
        # and the page must not repeat element ids (labels would point at the wrong radios).
        form = form_class(meta={"csrf": False}, formdata=None, prefix=section["key"])
        sections.append((form, layout))
    rules = {s["key"]: check_rules(content, s) for s in content["template"]["sections"]}
    overall = None
    if content["template"]["overall_grade"]["graded"]:
        overall = overall_form(content)(meta={"csrf": False}, formdata=None)
    latest = version.template.versions[-1].number
    return render_template(
        "template_library/preview.html",
        version=version,
        content=content,
        tpl=version.template,
        sections=sections,
        rules=rules,
        overall=overall,
        latest=latest,
        title=f"Preview: {version.template.name}, version {number}",
    )
