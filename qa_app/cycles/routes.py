"""Audit cycle pages: the list, a cycle, its case list, sampling, assignment and export."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from qa_app.cycles.forms import AddCaseForm, CycleForm, UploadForm
from qa_app.data import (
    audit_lists,
    case_lists,
    cycle_export,
    cycles,
    follow_up,
    organisation,
    sampling,
)
from qa_app.data.cycles import KIND_LABELS, STATUS_LABELS, CycleError
from qa_app.documents import spreadsheet
from qa_app.imports.case_lists import check_case_list
from qa_app.models import Audit, CycleKind
from qa_app.rules.uk_time import uk_today
from qa_app.web.downloads import download
from qa_app.web.file_problems import file_error_summary, uploaded_file
from qa_app.web.forms_base import attach_problem, chosen, current_actor
from qa_app.web.listing import Listing, list_state
from qa_app.web.security import requires

bp = Blueprint("cycles", __name__, url_prefix="/cycles", template_folder="templates")


def _cycle_or_404(cycle_id: int):
    return cycles.get_cycle(cycle_id) or abort(404)


def _template_choices(field, templates) -> None:
    templates = sorted(templates, key=lambda t: t.name)
    field.choices = [("", "Choose a template")] + [(t.id, t.name) for t in templates]
    if field.data is None and len(templates) == 1 and request.method == "GET":
        field.data = templates[0].id


@bp.context_processor
def _labels():
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS}


@bp.route("/")
@requires("manage_cycles")
def index():
    return render_template(
        "cycles/index.html", cycles=cycles.list_cycles(uk_today()), title="Audit cycles"
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"cycle_id": None})
@bp.route("/<int:cycle_id>/edit", methods=["GET", "POST"])
@requires("manage_cycles")
def edit_cycle(cycle_id: int | None):
    cycle = _cycle_or_404(cycle_id) if cycle_id else None
    form = CycleForm(obj=None if request.method == "POST" else cycle)
    templates = cycles.active_templates()
    if cycle:  # a retired template the cycle already uses stays on offer
        templates += [t for t in cycle.templates if t not in templates]
    form.templates.choices = [(t.id, t.name) for t in templates]
    if cycle and cycle.kind == CycleKind.FOLLOW_UP:  # made from its original; stays one
        form.kind.choices = [(CycleKind.FOLLOW_UP.value, KIND_LABELS[CycleKind.FOLLOW_UP])]
    form.theme_focus.choices = [("", "No theme focus")] + [
        (t.key, t.name) for t in cycles.active_themes()
    ]
    if cycle and cycle.theme_focus not in {k for k, _ in form.theme_focus.choices}:
        form.theme_focus.choices.append((cycle.theme_focus, cycles.theme_name(cycle.theme_focus)))
    if request.method == "GET" and cycle:
        form.templates.data = [t.id for t in cycle.templates]
        form.theme_focus.data = cycle.theme_focus or ""
    if form.validate_on_submit():
        try:
            saved = cycles.store_cycle(
                name=form.name.data,
                kind=form.kind.data,
                description=form.description.data or "",
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                due_date=form.due_date.data,
                templates=[t for t in templates if t.id in form.templates.data],
                theme_focus=form.theme_focus.data or None,
                moderation_share=form.moderation_share.data,
                actor=current_actor(),
                cycle=cycle,
            )
        except CycleError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(f"Cycle {saved.cycle.name} saved" + _moved_text(saved), "success")
            return redirect(url_for("cycles.cycle", cycle_id=saved.cycle.id))
    return render_template(
        "cycles/cycle_form.html",
        form=form,
        cycle=cycle,
        title=f"Edit {cycle.name}" if cycle else "Create an audit cycle",
    )


def _moved_text(saved) -> str:
    """The open audits that moved with the cycle's new due date, for the flash."""
    count, due = len(saved.moved), saved.cycle.due_date
    if not count:
        return ""
    when = f"due {due:%-d %B %Y}" if due else "without a due date"
    return f": {count} open audit{'s' if count != 1 else ''} now {when}, as the cycle"


@bp.route("/<int:cycle_id>")
@requires("manage_cycles")
def cycle(cycle_id: int):
    found = _cycle_or_404(cycle_id)
    total, drawn = case_lists.case_list_counts(found.id)
    state, in_cycle = list_state(audit_lists.CYCLE_AUDITS), Audit.cycle_id == found.id
    return render_template(
        "cycles/cycle.html",
        cycle=found,
        overview=cycles.overview(found.id, uk_today()),
        listing=Listing(audit_lists.audit_page(in_cycle, state, uk_today()), "audit"),
        filters=audit_lists.filter_choices(in_cycle, audit_lists.CYCLE_AUDITS),
        theme_name=cycles.theme_name(found.theme_focus),
        on_list=total,
        undrawn=sampling.undrawn_count(found.id),
        samples=sampling.list_samples(found.id),
        follows=follow_up.followed_cycle(found),
        follow_ups=follow_up.follow_ups_of(found),
        title=found.name,
    )


@bp.route("/<int:cycle_id>/cases/new", methods=["GET", "POST"])
@requires("manage_cycles")
def add_case(cycle_id: int):
    found = _cycle_or_404(cycle_id)
    form = AddCaseForm()
    teams = [t for t in organisation.list_teams() if t.active]
    form.team_id.choices = [("", "Choose a team")] + [(t.id, t.name) for t in teams]
    _template_choices(form.template_id, found.templates)
    if form.validate_on_submit():
        try:
            audit = cycles.add_case(
                found,
                case_reference=form.case_reference.data,
                team=chosen(teams, form.team_id.data),
                worker=form.worker.data,
                template=chosen(found.templates, form.template_id.data),
                actor=current_actor(),
            )
        except CycleError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(
                f"Case {audit.case.case_reference} added with a "
                f"{audit.template_version.template.name} audit",
                "success",
            )
            return redirect(url_for("cycles.cycle", cycle_id=found.id))
    return render_template(
        "cycles/add_case.html", form=form, cycle=found, title=f"Add a case to {found.name}"
    )


@bp.route("/<int:cycle_id>/case-list", methods=["GET", "POST"])
@requires("manage_cycles")
def upload(cycle_id: int):
    found = _cycle_or_404(cycle_id)
    upload_form = UploadForm()
    problems, filename = [], None
    if upload_form.validate_on_submit() and (sent := uploaded_file(upload_form.file)):
        filename, content = sent
        checked = check_case_list(filename, content)
        problems = checked.problems
        if not problems:
            result = case_lists.store_case_list(found, checked, actor=current_actor())
            flash(
                f"{len(checked.rows)} cases read from {filename}: {result.created} new, "
                f"{result.updated} updated, {result.added} added to the case list"
                + (f", {result.already_on_list} already on it" if result.already_on_list else ""),
                "success",
            )
            return redirect(url_for("cycles.next_step", cycle_id=found.id))
    errors = file_error_summary(problems, upload_form.file.errors)
    prefix = "Error: " if errors else ""
    return render_template(
        "cycles/upload.html",
        upload_form=upload_form,
        cycle=found,
        problems=problems,
        errors=errors,
        filename=filename,
        title=f"{prefix}Upload a case list to {found.name}",
    )


@bp.route("/<int:cycle_id>/export.xlsx")
@requires("moderate")
def export_xlsx(cycle_id: int):
    found = _cycle_or_404(cycle_id)
    data = spreadsheet.tables_xlsx(cycle_export.build(found.id))
    return download(data, f"cycle-{found.id}-audits.xlsx")


@bp.route("/<int:cycle_id>/export.csv")
@requires("moderate")
def export_csv(cycle_id: int):
    found = _cycle_or_404(cycle_id)
    data = spreadsheet.csv_bytes(cycle_export.build(found.id)["Audits"])
    return download(data, f"cycle-{found.id}-audits.csv")
