"""Everything of one auditor at once (someone absent, or leaving): their open audits across
every cycle, given to another auditor or shared among several, or made unassigned (only the
not started ones), each with a preview and a confirmation. Submitted audits never move and
nobody is given an audit of their own team (data/bulk_assignment)."""

from flask import abort, flash, redirect, render_template, request, url_for

from qa_app.cycles.assign_routes import (
    _filter_args,
    auditor_picker,
    done_as,
    gone_auditors,
    preview,
)
from qa_app.cycles.forms import AuditorFilterForm, ReassignForm
from qa_app.cycles.routes import bp
from qa_app.data import bulk_assignment, cycle_assignment, organisation
from qa_app.data.bulk_assignment import StalePlan
from qa_app.data.cycles import STATUS_LABELS
from qa_app.findings.present import counted
from qa_app.models import AuditStatus
from qa_app.web.forms_base import current_actor
from qa_app.web.security import requires


@bp.route("/auditors")
@requires("manage_cycles")
def auditors():
    """Every auditor with their open audits, narrowed by name and team."""
    filter_form = AuditorFilterForm(request.args)
    filter_form.auditor_team.choices = [("", "Any team")] + [
        (t.id, t.name) for t in organisation.list_teams(active_only=True)
    ]
    name = (filter_form.auditor_name.data or "").strip().lower()[:120]
    team = filter_form.auditor_team.data if filter_form.auditor_team.validate(filter_form) else None
    everyone = cycle_assignment.list_auditors()
    shown = [
        a
        for a in everyone
        if name in a.display_name.lower() and (team is None or team in {t.id for t in a.teams})
    ]
    counts = cycle_assignment.open_counts()
    return render_template(
        "cycles/auditors.html",
        filter_form=filter_form,
        auditors=shown,
        others=bulk_assignment.others_holding({a.id for a in everyone}, counts),
        all_count=len(everyone),
        counts=counts,
        cycle=None,
        title="Auditors and their open audits",
    )


def _plan(user, form, everyone, *, lock=False):
    picked = set(form.audit_ids.data or ())
    rows = [r for r in bulk_assignment.open_audits_of(user.id, lock=lock) if r.audit_id in picked]
    if form.unassign.data:
        return bulk_assignment.plan_unassign(rows)
    targets = [a for a in everyone if a.id in set(form.auditor_ids.data) and a.id != user.id]
    return bulk_assignment.plan_reassign(rows, targets)


@bp.route("/auditors/<int:user_id>", methods=["GET", "POST"])
@requires("manage_cycles")
def auditor_audits(user_id: int):
    """One auditor's open audits: tick some (all, at first), then reassign or unassign them."""
    everyone = cycle_assignment.list_auditors()
    user = organisation_user(user_id, everyone)
    rows = bulk_assignment.open_audits_of(user.id)
    form = ReassignForm()
    form.audit_ids.choices = [(r.audit_id, r.case_reference) for r in rows]
    form.auditor_ids.choices = [(a.id, a.display_name) for a in everyone if a.id != user.id]
    form.auditor_ids.gone = gone_auditors
    form.audit_ids.gone = lambda ids: (
        f"Audits: {counted(len(ids), 'audit')} you chose {'is' if len(ids) == 1 else 'are'} "
        f"no longer open with {user.display_name} (moved or submitted since the page was "
        "loaded): choose again from the list"
    )
    if request.method == "GET":
        form.audit_ids.data = [r.audit_id for r in rows]
    elif form.validate_on_submit():
        stale = None
        if form.plan.data:
            plan = _plan(user, form, everyone, lock=True)
            try:
                batch_id = bulk_assignment.confirm(plan, form.plan.data, actor=current_actor())
            except StalePlan as error:
                stale = str(error)
            else:
                done = "unassigned" if form.unassign.data else "reassigned"
                moved = counted(len(plan.moves), "audit")
                flash(f"{moved} {done}: {done_as(batch_id)}", "success")
                return redirect(url_for("cycles.auditor_audits", user_id=user.id))
        else:
            plan = _plan(user, form, everyone)
        return preview(
            plan,
            form,
            cycle=None,
            stale=stale,
            action=url_for("cycles.auditor_audits", user_id=user.id),
            back=url_for("cycles.auditor_audits", user_id=user.id),
            hidden={
                "audit_ids": form.audit_ids.data,
                "auditor_ids": form.auditor_ids.data or [],
                "unassign" if form.unassign.data else "reassign": ["y"],
            },
            confirm_word="unassign" if form.unassign.data else "reassign",
        )
    return render_template(
        "cycles/auditor_audits.html",
        form=form,
        person=user,
        rows=rows,
        audit_items=[
            {
                "hint": {
                    "text": f"{r.cycle_name or 'No cycle'}; {r.team or 'no team'}; "
                    f"{STATUS_LABELS.get(AuditStatus(r.status), r.status)}"
                }
            }
            for r in rows
        ],
        cycle=None,
        filter_args=_filter_args(),
        title=f"Open audits of {user.display_name}",
        **auditor_picker(form.auditor_ids, everyone, exclude={user.id}),
    ), 400 if request.method == "POST" else 200


def organisation_user(user_id: int, everyone):
    """The person whose audits these are: anyone who may hold audits (a disabled account's
    audits still need giving to someone), else 404."""
    person = next((a for a in everyone if a.id == user_id), None)
    if person is None:
        person = bulk_assignment.holder(user_id) or abort(404)
    return person
