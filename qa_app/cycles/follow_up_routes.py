"""Follow-up cycles on the web: making one from the cycle it follows (a preview of the children
to audit again and of those that cannot be, then a confirmation), and the follow-up's
"Difference made for the child" page and its XLSX download.

The confirmation carries the number of audits the preview showed: if the original cycle has
changed by the time it is posted, nothing is created and the new preview is shown."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.cycles.follow_up_forms import FollowUpForm
from qa_app.cycles.forms import shown_count
from qa_app.cycles.routes import _cycle_or_404, bp
from qa_app.data import follow_up
from qa_app.data.cycles import CycleError
from qa_app.documents.follow_up_xlsx import follow_up_xlsx
from qa_app.findings.audiences import SHORT_LABELS, Audience, audience_label
from qa_app.findings.follow_up import MOVEMENT_LABELS, MOVEMENTS
from qa_app.findings.present import counted
from qa_app.services import follow_up_difference
from qa_app.web.downloads import download
from qa_app.web.forms_base import attach_problem, current_actor
from qa_app.web.security import requires


@bp.route("/<int:cycle_id>/follow-up", methods=["GET", "POST"])
@requires("manage_cycles")
def new_follow_up(cycle_id: int):
    """Make a follow-up of this cycle: the preview first, then the confirmation."""
    original = _cycle_or_404(cycle_id)
    form = FollowUpForm()
    plan = None
    if form.validate_on_submit():
        months, name = int(form.months.data or 0), form.name.data or ""
        try:
            if form.confirm.data:
                created, stored = follow_up.create_follow_up(
                    original,
                    months,
                    actor=current_actor(),
                    name=name,
                    expected=shown_count(form.expected) if form.expected.data else -1,
                )
                flash(
                    f"Follow-up cycle {created.name} created with "
                    f"{counted(len(stored.cases), 'audit')} not yet started",
                    "success",
                )
                return redirect(url_for("cycles.cycle", cycle_id=created.id))
            plan = follow_up.plan_follow_up(original, months, name=name)
        except CycleError as error:
            where = error.field if error.field in ("months", "name") else None
            attach_problem(form, where, str(error))
            if form.confirm.data:
                plan = _plan_or_none(original, months, name)
        if plan is not None:
            form.expected.data = str(len(plan.cases))
    return render_template(
        "cycles/follow_up.html",
        form=form,
        cycle=original,
        plan=plan,
        title=("Check the follow-up of " if plan else "Follow up ") + original.name,
    )


def _plan_or_none(original, months: int, name: str):
    try:
        return follow_up.plan_follow_up(original, months, name=name)
    except CycleError:
        return None


@bp.route("/<int:follow_up_id>/difference")
@requires("view_findings")
def difference(follow_up_id: int):
    """The difference made for the child: the aggregate for every reader of findings, the
    child-by-child table for readers of the internal tier."""
    found = _cycle_or_404(follow_up_id)
    original = follow_up.followed_cycle(found) or abort(404)
    audience = follow_up_difference.chosen_audience(current_user, request.args.get("audience"))
    return render_template(
        "cycles/difference.html",
        cycle=found,
        original=original,
        comparison=follow_up_difference.difference(found, audience),
        audience=audience,
        audience_label=audience_label(audience),
        tiers=[(a, SHORT_LABELS[a]) for a in follow_up_difference.tiers_for(current_user)],
        movements=[(m, MOVEMENT_LABELS[m]) for m in MOVEMENTS],
        title=f"Difference made for the child: {found.name}",
    )


@bp.route("/<int:follow_up_id>/difference.xlsx")
@requires("view_all_audits")
def difference_xlsx(follow_up_id: int):
    found = _cycle_or_404(follow_up_id)
    original = follow_up.followed_cycle(found) or abort(404)
    comparison = follow_up_difference.difference(found, Audience.INTERNAL)
    return download(
        follow_up_xlsx(original, found, comparison), f"cycle-{found.id}-difference.xlsx"
    )
