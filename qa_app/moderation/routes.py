"""Moderators agree with or change each graded judgement of a submitted audit, with reasons."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from wtforms import TextAreaField
from wtforms.validators import Optional

from qa_app.audits import view_model
from qa_app.data import audits as audit_data
from qa_app.data import moderation as moderation_data
from qa_app.data.moderation import ModerationError
from qa_app.templates_engine.answers import scale_label
from qa_app.web.forms_base import NamedRadioField, QAForm, attach_problems, current_actor
from qa_app.web.security import refuse, requires
from qa_app.web.template_forms import scale_choices
from qa_app.web.widgets import RadioInput, TextArea

bp = Blueprint("moderation", __name__, url_prefix="/moderation", template_folder="templates")


class ActionForm(QAForm):
    """A POST button with its CSRF token."""


def _moderation_form(audit):
    content = audit.template_version.content
    choices = scale_choices(content, content["template"]["scale"])
    attrs = {}
    for key, title in moderation_data.judgements(audit):
        attrs[f"grade__{key}"] = NamedRadioField(
            title,
            choices=choices,
            widget=RadioInput(),
            validators=[Optional()],
            gone=lambda _, title=title: f"{title}: choose a grade from the scale",
        )
        attrs[f"reason__{key}"] = TextAreaField(
            f"Reason: {title}",
            widget=TextArea(),
            validators=[Optional()],
            description="Needed when your grade differs from the auditor's",
        )
    return type("ModerationForm", (QAForm,), attrs)


@bp.route("/")
@requires("moderate")
def queue():
    return render_template(
        "moderation/queue.html",
        items=moderation_data.queue(current_actor()),
        form=ActionForm(),
        status_labels=view_model.STATUS_LABELS,
        title="Audits to moderate",
    )


def _audit_and_moderation(audit_id: int):
    audit = audit_data.get_audit(audit_id) or abort(404)
    moderation = moderation_data.for_audit(audit) or abort(404)
    if audit.auditor_id == current_actor().id:
        refuse()
    return audit, moderation


@bp.route("/<int:audit_id>/start", methods=["POST"])
@requires("moderate")
def start(audit_id: int):
    audit, moderation = _audit_and_moderation(audit_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        moderation_data.start(moderation, current_actor(), blind=bool(request.form.get("blind")))
    except ModerationError as error:
        flash(str(error), "error")
        return redirect(url_for(".queue"))
    return redirect(url_for(".moderate", audit_id=audit.id))


@bp.route("/<int:audit_id>/request", methods=["POST"])
@requires("moderate")
def request_moderation(audit_id: int):
    audit = audit_data.get_audit(audit_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        moderation_data.request_moderation(audit, current_actor())
    except ModerationError as error:
        flash(str(error), "error")
    else:
        flash(
            f"The audit of case {audit.case.case_reference} is now in the moderation queue.",
            "success",
        )
    return redirect(url_for("audits.show", audit_id=audit.id))


@bp.route("/<int:audit_id>", methods=["GET", "POST"])
@requires("moderate")
def moderate(audit_id: int):
    audit, moderation = _audit_and_moderation(audit_id)
    if moderation.moderator_id != current_actor().id:
        return redirect(url_for(".queue"))
    form_class = _moderation_form(audit)
    theirs = moderation_data.auditor_grades(audit)
    graded_blind = moderation.blind and bool(moderation.grades)
    if request.method == "POST":
        form = form_class()
        if not form.validate_on_submit():  # a grade off the scale, a control character
            return _page(audit, moderation, form, theirs, graded_blind), 400
        keys = [k for k, _ in moderation_data.judgements(audit)]
        grades = {k: request.form.get(f"grade__{k}") for k in keys}
        reasons = {k: request.form.get(f"reason__{k}", "") for k in keys}
        complete = request.form.get("action") == "complete"
        try:
            moderation_data.record(
                moderation, grades, reasons, actor=current_actor(), complete=complete
            )
        except ModerationError as error:
            attach_problems(form, error.problems, str(error))
            return _page(audit, moderation, form, theirs, graded_blind), 400
        if complete:
            flash(f"Moderation of case {audit.case.case_reference} is complete.", "success")
            return redirect(url_for(".queue"))
        flash(
            "Saved."
            + (
                " The auditor's grades are now shown beside yours."
                if moderation.blind and not graded_blind
                else ""
            ),
            "success",
        )
        return redirect(url_for(".moderate", audit_id=audit.id))
    existing = {g.section_key: g for g in moderation.grades}
    data = {}
    for key, _ in moderation_data.judgements(audit):
        if key in existing:
            data[f"grade__{key}"] = existing[key].moderator_grade
            data[f"reason__{key}"] = existing[key].reason
        elif not moderation.blind:
            data[f"grade__{key}"] = theirs.get(key)
    form = form_class(formdata=None, data=data)
    return _page(audit, moderation, form, theirs, graded_blind)


def _page(audit, moderation, form, theirs, graded_blind):
    content = audit.template_version.content
    scale = content["template"]["scale"]
    hide = moderation.blind and not graded_blind
    choices = scale_choices(content, scale)
    rows = [
        {
            "key": key,
            "title": title,
            "auditor": "" if hide else scale_label(content, scale, theirs.get(key)) or "Not graded",
            # the auditor's own choice is marked beside it (not while moderating blind)
            "items": [
                {"hint": {"text": "Auditor's grade"}}
                if not hide and value == theirs.get(key)
                else {}
                for value, _label in choices
            ],
        }
        for key, title in moderation_data.judgements(audit)
    ]
    return render_template(
        "moderation/moderate.html",
        audit=audit,
        moderation=moderation,
        form=form,
        rows=rows,
        hide_grades=hide,
        graded_blind=graded_blind,
        record=view_model.record(audit),
        title=f"Moderate the audit of case {audit.case.case_reference}",
    )
