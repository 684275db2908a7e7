"""Audit cycle pages for choosing cases: audit every case on the list, or draw a sample.

Both forms carry the number of undrawn cases the page showed: if the list has changed by the
time the form is posted (a second click, another QA lead drawing at the same moment), the
draw is refused rather than run twice."""

from flask import abort, flash, redirect, render_template, url_for

from qa_app.cycles.forms import AuditAllForm, SampleForm, shown_count
from qa_app.cycles.routes import _cycle_or_404, _template_choices, bp
from qa_app.data import sampling
from qa_app.data.sampling import SamplingError
from qa_app.findings.present import counted
from qa_app.rules.uk_time import uk_today
from qa_app.web.forms_base import chosen, current_actor
from qa_app.web.security import requires


@bp.route("/<int:cycle_id>/case-list/next", methods=["GET", "POST"])
@requires("manage_cycles")
def next_step(cycle_id: int):
    """After a case list: audit every case on it, or go on to draw a sample."""
    found = _cycle_or_404(cycle_id)
    form = AuditAllForm()
    _template_choices(form.template_id, found.templates)
    undrawn = sampling.undrawn_count(found.id)
    if form.validate_on_submit():
        if not undrawn:
            form.form_errors.append("Every case on the list already has an audit in this cycle")
        else:
            try:
                sample = sampling.audit_every_case(
                    found,
                    template=chosen(found.templates, form.template_id.data),
                    actor=current_actor(),
                    today=uk_today(),
                    expected_undrawn=shown_count(form.undrawn),
                )
            except SamplingError as error:
                form.form_errors.append(str(error))
                found = _cycle_or_404(cycle_id)
                undrawn = sampling.undrawn_count(found.id)
            else:
                flash(
                    f"{counted(sample.drawn_count, 'audit')} created, "
                    "one for every case on the list",
                    "success",
                )
                return redirect(url_for("cycles.cycle", cycle_id=found.id))
    form.undrawn.data = str(undrawn)  # what this page shows, posted back with the form
    return render_template(
        "cycles/next_step.html",
        form=form,
        cycle=found,
        undrawn=undrawn,
        title=f"Audit every case or draw a sample: {found.name}",
    )


@bp.route("/<int:cycle_id>/sample", methods=["GET", "POST"])
@requires("manage_cycles")
def draw_sample(cycle_id: int):
    found = _cycle_or_404(cycle_id)
    form = SampleForm()
    _template_choices(form.template_id, found.templates)
    frame = sampling.load_frame(found)
    if form.validate_on_submit():
        if not frame:
            form.form_errors.append("There are no cases on the list left to draw from")
        else:
            try:
                sample = sampling.draw_sample(
                    found,
                    rule={form.mode.data: form.amount.data},
                    exclude_months=form.exclude_months.data,
                    seed=sampling.new_seed() if form.seed.data is None else form.seed.data,
                    template=chosen(found.templates, form.template_id.data),
                    actor=current_actor(),
                    today=uk_today(),
                    expected_undrawn=shown_count(form.undrawn),
                )
            except SamplingError as error:
                form.form_errors.append(str(error))
                found = _cycle_or_404(cycle_id)
                frame = sampling.load_frame(found)
            else:
                drawn = counted(sample.drawn_count, "case")
                flash(f"{drawn} drawn with seed {sample.seed}", "success")
                return redirect(url_for("cycles.sample", sample_id=sample.id))
    form.undrawn.data = str(len(frame))  # what this page shows, posted back with the form
    return render_template(
        "cycles/sample_form.html",
        form=form,
        cycle=found,
        frame_by_team=sampling.per_team(frame),
        title=f"Draw a sample: {found.name}",
    )


@bp.route("/samples/<int:sample_id>")
@requires("manage_cycles")
def sample(sample_id: int):
    found = sampling.get_sample(sample_id) or abort(404)
    parent = _cycle_or_404(found.cycle_id)
    stored = found.rules.get("outcome", {})
    outcome = {part: stored.get(part, {}) for part in ("on_list", "left_out", "drawn")}
    teams = sorted(set(outcome["on_list"]) | set(outcome["drawn"]))
    return render_template(
        "cycles/sample.html",
        sample=found,
        cycle=parent,
        outcome=outcome,
        teams=teams,
        drawn=sampling.drawn_references(found),
        title=f"Sample drawn for {parent.name}",
    )
