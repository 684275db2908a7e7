"""Audit pages. Thin: forms in, qa_app.data.audits out; access from qa_app.data.audit_access."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from qa_app.audits import history_view, view_model
from qa_app.audits.forms import VersionedForm, overall_form, themes_form
from qa_app.data import audit_access, audit_lists, calibration, changelog
from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data import moderation as moderation_data
from qa_app.data.audit_extras import actions_for, responses_for
from qa_app.data.audits import AuditInputError, AuditLocked, StaleAudit
from qa_app.data.concerns import for_audit
from qa_app.models import Audit, utcnow
from qa_app.templates_engine.answers import limiting_cap
from qa_app.web.calendar import council_calendar
from qa_app.web.forms_base import (
    attach_problem,
    current_actor,
    posted_version,
    stripped_notice,
)
from qa_app.web.listing import Listing, list_state
from qa_app.web.security import refuse, requires
from qa_app.web.template_forms import version_section_form

bp = Blueprint("audits", __name__, url_prefix="/audits", template_folder="templates")


@bp.context_processor
def _audit_page_helpers():
    return {
        "can_annotate": lambda audit: audit_access.can_annotate(current_actor(), audit),
        "concerns_for": for_audit,
        "actions_for": actions_for,
        "responses_for": responses_for,
        "utcnow": utcnow,
    }


def _audit(audit_id: int, *, edit: bool = False) -> Audit:
    audit = audit_data.get_audit(audit_id) or abort(404)
    if not audit_access.can_view(current_actor(), audit):
        refuse()
    if edit and not audit_access.can_edit(current_actor(), audit):
        refuse()
    return audit


def _change_block(audit: Audit, action: str, version: int) -> str:
    """Add ("add__<group>") or remove ("remove__<group>__<index>") a repeat block after the
    section has been saved; a bad request gets a message, never an error page."""
    parts = action.split("__")
    group = parts[1] if len(parts) > 1 else ""
    try:
        if parts[0] == "add" and len(parts) == 2:
            label = request.form.get(f"new_block__{group}", "")
            audit_data.add_block(audit, group, label, based_on=version, actor=current_actor())
        elif parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
            audit_data.remove_block(
                audit, group, int(parts[2]), based_on=version, actor=current_actor()
            )
            flash("Block removed. Its answers are kept in the audit's history.", "success")
        else:
            raise AuditInputError("That button is not part of this form")
    except AuditInputError as error:
        flash(str(error), "error")
    return group


def _stale(audit: Audit) -> StaleAudit | None:
    """The conflict, if the page was loaded at an older version of the audit than it is now
    (checked before anything else, so the person sees what they typed)."""
    posted = posted_version()
    return StaleAudit(audit, posted) if posted != audit.lock_version else None


def _conflict(error: StaleAudit, typed: dict):
    audit = error.audit
    return render_template(
        "audits/conflict.html",
        audit=audit,
        changes=error.changes_since(),
        typed=view_model.typed_values(audit.template_version.content, typed),
        title="Someone else has changed this audit",
    ), 409


@bp.route("/mine")
@requires("do_audits")
def mine():
    today = view_model.today()
    state = list_state(audit_lists.MY_AUDITS)
    page = audit_lists.audit_page(Audit.auditor_id == current_actor().id, state, today)
    return render_template(
        "audits/mine.html",
        listing=Listing(page, "audit"),
        filters=audit_lists.filter_choices(
            Audit.auditor_id == current_actor().id, audit_lists.MY_AUDITS
        ),
        status_labels=audit_lists.STATUS_LABELS,
        calibration=calibration.rounds_to_grade(current_actor()),
        title="My audits",
    )


@bp.route("/<int:audit_id>")
@requires("do_audits")
def show(audit_id: int):
    audit = _audit(audit_id)
    blind = moderation_data.blind_and_ungraded(audit, current_actor())
    if not audit_access.can_edit(current_actor(), audit):
        return render_template(
            "audits/record.html",
            record=view_model.record(audit),
            audit=audit,
            moderation=view_model.moderation_summary(audit),
            hide_grades=blind,
            action_form=VersionedForm(),
            title=f"Audit of case {audit.case.case_reference}",
        )
    tasks = view_model.task_list(audit)
    return render_template(
        "audits/task_list.html",
        audit=audit,
        tasks=tasks,
        problems=[],
        form=VersionedForm(lock_version=audit.lock_version),
        title=f"Audit of case {audit.case.case_reference}",
    )


@bp.route("/<int:audit_id>/sections/<section_key>", methods=["GET", "POST"])
@requires("do_audits")
def section(audit_id: int, section_key: str):
    audit = _audit(audit_id, edit=True)
    content = audit.template_version.content
    sections = [s["key"] for s in content["template"]["sections"]]
    if section_key not in sections:
        abort(404)
    answers = audit_data.stored_answers(audit)
    blocks = view_model.block_map(content, section_key, answers)
    form_class, layout = version_section_form(
        audit.template_version, section_key, blocks, base=VersionedForm
    )
    if request.method == "POST":
        if not VersionedForm().validate_on_submit():
            abort(400)
        raw = view_model.raw_from_request(content, form_class, request.form)
        grade = request.form.get("section_grade") if layout.graded else None
        rationale = request.form.get("section_rationale") if layout.graded else None
        action = request.form.get("action", "continue")
        # A draft keeps what was typed, even a wrong answer, so no work is lost; but a control
        # character (NUL cannot be stored) is stripped as it is saved, and the person told.
        stripped = view_model.with_control_characters(content, form_class, request.form)
        # A check between answers that what was typed breaks (5 visits in timescale of 4 due)
        # refuses the save: the page again, everything typed kept, the error by the field.
        failures = [  # a block being removed does not hold its own removal up
            f
            for f in submission.save_check_failures(audit, raw, {section_key})
            if action != f"remove__{f.group_key}__{f.block_index}"
        ]
        if failures:
            form = form_class()
            for failure in failures:
                attach_problem(form, failure.field, failure.message)
            return _section_page(audit, form, layout, sections), 400
        try:
            version = audit_data.save_section(
                audit,
                section_key,
                raw,
                based_on=posted_version(),
                actor=current_actor(),
                grade=grade,
                rationale=rationale,
            )
            if stripped:
                flash(stripped_notice(stripped), "info")
            if action.startswith(("add__", "remove__")):
                group = _change_block(audit, action, version)
                return redirect(
                    url_for(
                        ".section",
                        audit_id=audit.id,
                        section_key=section_key,
                        _anchor=f"group-{group}",
                    )
                )
        except StaleAudit as error:
            typed = dict(raw, section_grade=grade or "", section_rationale=rationale or "")
            return _conflict(error, typed)
        except AuditLocked:
            flash("This audit has been submitted and can no longer be changed.", "error")
            return redirect(url_for(".show", audit_id=audit.id))
        except AuditInputError:
            # A grade off the scale (only a hand-made post sends one): refused like any bad
            # input, the page again with what was typed and the grade's error; nothing stored.
            form = form_class()
            form.section_grade.errors = ["Choose a grade for this section from the scale"]
            return _section_page(audit, form, layout, sections), 400
        if action == "later":
            flash(
                "Your answers have been saved. You can come back to this audit at any time.",
                "success",
            )
            return redirect(url_for(".show", audit_id=audit.id))
        position = sections.index(section_key)
        if position + 1 < len(sections):
            return redirect(
                url_for(".section", audit_id=audit.id, section_key=sections[position + 1])
            )
        return redirect(url_for(".themes", audit_id=audit.id))
    form = view_model.filled_section_form(form_class, layout, audit, answers)
    if request.args.get("check"):
        view_model.attach_submit_problems(form, audit, section_key)
    return _section_page(audit, form, layout, sections)


def _section_page(audit: Audit, form, layout, sections: list[str]):
    return render_template(
        "audits/section.html",
        audit=audit,
        form=form,
        layout=layout,
        position=sections.index(layout.section["key"]) + 1,
        count=len(sections),
        title=f"{layout.section['title']} – case {audit.case.case_reference}",
    )


@bp.route("/<int:audit_id>/themes", methods=["GET", "POST"])
@requires("do_audits")
def themes(audit_id: int):
    audit = _audit(audit_id, edit=True)
    content = audit.template_version.content
    suggested = audit_data.suggested_marks(audit)
    form_class = themes_form(content)
    if request.method == "POST":
        form = form_class()
        marks = {k: request.form.get(f"theme__{k}") for k in content["themes"]}
        if stale := _stale(audit):
            return _conflict(stale, {f"theme__{k}": v for k, v in marks.items()})
        if not form.validate_on_submit():
            stored = audit_data.theme_marks(audit)
            return _themes_page(audit, form, suggested, stored, error=True)
        try:
            audit_data.save_themes(audit, marks, based_on=posted_version(), actor=current_actor())
        except StaleAudit as error:
            return _conflict(error, {f"theme__{k}": v for k, v in marks.items()})
        except AuditLocked:
            return redirect(url_for(".show", audit_id=audit.id))
        if request.form.get("action") == "later":
            flash("Theme marks saved.", "success")
            return redirect(url_for(".show", audit_id=audit.id))
        return redirect(url_for(".overall", audit_id=audit.id))
    stored = audit_data.theme_marks(audit)
    data = {
        f"theme__{k}": (stored[k].mark if k in stored else suggested.get(k, "not_assessed"))
        for k in content["themes"]
    }
    form = form_class(formdata=None, data=data, lock_version=audit.lock_version)
    return _themes_page(audit, form, suggested, stored)


def _themes_page(audit: Audit, form, suggested, stored, *, error: bool = False):
    """The theme marks page; with `error`, titled as such and answered 400."""
    heading = "Error: themes" if error else "Themes"
    page = render_template(
        "audits/themes.html",
        audit=audit,
        form=form,
        suggested=suggested,
        stored=stored,
        title=f"{heading} – case {audit.case.case_reference}",
    )
    return (page, 400) if error else page


@bp.route("/<int:audit_id>/overall", methods=["GET", "POST"])
@requires("do_audits")
def overall(audit_id: int):
    audit = _audit(audit_id, edit=True)
    content = audit.template_version.content
    grades = {k: g.grade for k, g in audit_data.section_grades(audit).items()}
    cap = limiting_cap(content, grades)
    form_class = overall_form(content, cap[0] if cap else None)
    if request.method == "POST":
        form = form_class()
        values = {
            name: request.form.get(name, "") for name in audit_data.OVERALL_FIELDS if name in form
        }
        values["moderation_requested"] = bool(request.form.get("moderation_requested"))
        if stale := _stale(audit):
            return _conflict(stale, values)
        if not form.validate_on_submit():
            # e.g. a grade no longer offered because a limiting section was graded since
            field = getattr(form, "overall_grade", None)
            if field is not None and field.errors and cap:
                label = view_model.cap_label(content, cap)
                field.errors = [f"Choose {label} or a lower grade: the limiting rule caps it"]
            return _overall_page(audit, form, content, cap, error=True)
        try:
            audit_data.save_overall(audit, values, based_on=posted_version(), actor=current_actor())
        except StaleAudit as error:
            return _conflict(error, values)
        except AuditLocked:
            return redirect(url_for(".show", audit_id=audit.id))
        flash("Your overall judgement has been saved.", "success")
        return redirect(url_for(".show", audit_id=audit.id))
    form = form_class(formdata=None, obj=audit, lock_version=audit.lock_version)
    return _overall_page(audit, form, content, cap)


def _overall_page(audit: Audit, form, content, cap, *, error: bool = False):
    """The overall judgement page; with `error`, titled as such and answered 400."""
    heading = "Error: overall judgement" if error else "Overall judgement"
    page = render_template(
        "audits/overall.html",
        audit=audit,
        form=form,
        cap=cap,
        cap_label=view_model.cap_label(content, cap),
        title=f"{heading} – case {audit.case.case_reference}",
    )
    return (page, 400) if error else page


@bp.route("/<int:audit_id>/submit", methods=["POST"])
@requires("do_audits")
def submit(audit_id: int):
    audit = _audit(audit_id, edit=True)
    if not VersionedForm().validate_on_submit():
        abort(400)
    try:
        problems = submission.submit(
            audit,
            based_on=posted_version(),
            actor=current_actor(),
            calendar=council_calendar(current_app),
            response_days=current_app.config["QA_RESPONSE_WORKING_DAYS"],
        )
    except StaleAudit as error:
        return _conflict(error, {})
    if problems:
        return render_template(
            "audits/task_list.html",
            audit=audit,
            tasks=view_model.task_list(audit),
            problems=view_model.problem_links(audit, problems),
            form=VersionedForm(lock_version=audit.lock_version),
            title=f"Error: audit of case {audit.case.case_reference}",
        ), 400
    flash("The audit has been submitted. It can no longer be changed by you.", "success")
    return redirect(url_for(".show", audit_id=audit.id))


@bp.route("/<int:audit_id>/history")
@requires("do_audits")
def history(audit_id: int):
    audit = _audit(audit_id)
    if moderation_data.blind_and_ungraded(audit, current_actor()):
        refuse()  # the history would show the auditor's grades before the blind grading
    content = audit.template_version.content
    return render_template(
        "audits/history.html",
        audit=audit,
        entries=history_view.history_rows(
            content, changelog.entries_for("audit", audit.id, limit=None)
        ),
        title=f"History – case {audit.case.case_reference}",
    )
