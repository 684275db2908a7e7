"""Assigning a cycle's auditors: the page, in bulk (by team, to a capacity, or every unassigned
audit spread evenly: a preview, then a confirmation), one audit at a time, and a batch's
record. Choosing among many auditors is a list narrowed by name and team, with open counts.

A preview and its confirmation are the same POST: the confirmation carries the preview's
fingerprint (data/bulk_assignment.Plan.fingerprint) and is refused, with the new preview, if
the plan recomputed now is not the one shown."""

from flask import abort, flash, redirect, render_template, request, url_for

from qa_app.cycles.forms import AssignForm, AuditorFilterForm, BulkAssignForm
from qa_app.cycles.routes import _cycle_or_404, bp
from qa_app.data import audit_lists, bulk_assignment, cycle_assignment, organisation, users
from qa_app.data.bulk_assignment import HOW_WORDS, REASONS, StalePlan
from qa_app.data.cycle_assignment import AssignmentError
from qa_app.findings.present import counted
from qa_app.models import Audit
from qa_app.rules.uk_time import uk_today
from qa_app.web.forms_base import attach_problem, chosen, current_actor
from qa_app.web.listing import MAX_ID, Listing, list_state, query_int
from qa_app.web.security import requires
from qa_app.web.wording import batch_name


@bp.context_processor
def _words():
    return {"counted": counted, "how_words": HOW_WORDS, "reasons": REASONS}


def done_as(batch_id: int) -> str:
    """Where a confirmed bulk change is found again: its name, as the lists show it."""
    found = bulk_assignment.get_batch(batch_id)
    return f"listed as {batch_name(found)}" if found else "done"


def teams_text(user) -> str:
    return ", ".join(sorted(t.name for t in user.teams)) or "no team"


def auditor_picker(form_field, auditors, *, exclude=(), own_team: int | None = None) -> dict:
    """Fill `form_field` (checkboxes of auditor ids) with the auditors the filter in the query
    string leaves (and any already ticked), each with their teams and open audits as a hint;
    the filter form and the counts for the template."""
    filter_form = AuditorFilterForm(request.args)
    filter_form.auditor_team.choices = [("", "Any team")] + [
        (t.id, t.name) for t in organisation.list_teams(active_only=True)
    ]
    name = (filter_form.auditor_name.data or "").strip().lower()[:120]
    team = filter_form.auditor_team.data if filter_form.auditor_team.validate(filter_form) else None
    data = form_field.data
    ticked = set(data) if isinstance(data, list) else {data}
    shown = [
        a
        for a in auditors
        if a.id not in exclude
        and (
            a.id in ticked
            or (
                name in a.display_name.lower() and (team is None or team in {t.id for t in a.teams})
            )
        )
    ]
    counts = cycle_assignment.open_counts()
    form_field.choices = [(a.id, a.display_name) for a in shown]
    hints = [
        {
            "hint": {
                "text": f"{teams_text(a)}; {counted(counts.get(a.id, 0), 'open audit')}"
                + ("; in the case's team" if own_team in {t.id for t in a.teams} else "")
            }
        }
        for a in shown
    ]
    return {
        "filter_form": filter_form,
        "auditor_items": hints,
        "shown_count": len(shown),
        "all_count": len([a for a in auditors if a.id not in exclude]),
    }


def gone_auditors(ids: list) -> str:
    """The error for auditors chosen on a page who can no longer be (disabled, or their role
    taken away, since the page was loaded): who, and what to do."""
    names = users.display_names({i for i in ids if isinstance(i, int) and 0 < i <= MAX_ID})
    who = sorted({names[i] for i in ids if i in names})
    if not who:
        return "Auditors: one you chose is no longer on the list: choose another auditor"
    return f"{' and '.join(who)} can no longer do audits: choose another auditor"


def _filter_args() -> dict:
    return {k: v for k, v in request.args.items() if k in ("auditor_name", "auditor_team") and v}


def _assign_page(found, form, status=200):
    state, in_cycle = list_state(audit_lists.CYCLE_AUDITS), Audit.cycle_id == found.id
    auditors = cycle_assignment.list_auditors()
    teams = bulk_assignment.unassigned_by_team(found.id)
    form.team_ids.choices = [(t, f"{n} ({counted(c, 'unassigned audit')})") for t, n, c in teams]
    return render_template(
        "cycles/assign.html",
        form=form,
        cycle=found,
        unassigned=sum(c for _, _, c in teams),
        batches=bulk_assignment.recent_batches(found.id, limit=10),
        filter_args=_filter_args(),
        listing=Listing(audit_lists.audit_page(in_cycle, state, uk_today()), "audit"),
        filters=audit_lists.filter_choices(in_cycle, audit_lists.CYCLE_AUDITS),
        title=f"Assign auditors: {found.name}",
        **auditor_picker(form.auditor_ids, auditors),
    ), status


@bp.route("/<int:cycle_id>/assign")
@requires("manage_cycles")
def assign(cycle_id: int):
    return _assign_page(_cycle_or_404(cycle_id), BulkAssignForm(formdata=None))


def _plan(found, form, auditors, *, lock=False):
    team_ids = form.team_ids.data or None
    rows = bulk_assignment.cycle_unassigned(found.id, team_ids, lock=lock)
    chosen_auditors = [a for a in auditors if a.id in set(form.auditor_ids.data)]
    capacity = form.capacity.data if form.how.data == "capacity" else None
    how = "capacity" if capacity else ("by_team" if team_ids else "all")
    return bulk_assignment.plan_spread(rows, chosen_auditors, how=how, capacity=capacity)


@bp.route("/<int:cycle_id>/assign/spread", methods=["POST"])
@requires("manage_cycles")
def spread(cycle_id: int):
    """Preview a bulk assignment, or (with the preview's fingerprint) confirm it."""
    found = _cycle_or_404(cycle_id)
    form = BulkAssignForm()
    auditors = cycle_assignment.list_auditors()
    form.auditor_ids.choices = [(a.id, a.display_name) for a in auditors]
    form.auditor_ids.gone = gone_auditors
    form.team_ids.choices = [(t.id, t.name) for t in organisation.list_teams()]
    if not form.validate_on_submit():
        return _assign_page(found, form, 400)
    stale = None
    if form.plan.data:
        plan = _plan(found, form, auditors, lock=True)
        try:
            batch_id = bulk_assignment.confirm(plan, form.plan.data, actor=current_actor())
        except StalePlan as error:
            stale = str(error)
        else:
            left = f"; {counted(len(plan.left), 'audit')} left unassigned" if plan.left else ""
            flash(
                f"{counted(len(plan.moves), 'audit')} assigned{left}: {done_as(batch_id)}",
                "success",
            )
            return redirect(url_for("cycles.assign", cycle_id=found.id))
    else:
        plan = _plan(found, form, auditors)
    return preview(
        plan,
        form,
        cycle=found,
        stale=stale,
        action=url_for("cycles.spread", cycle_id=found.id),
        back=url_for("cycles.assign", cycle_id=found.id),
        hidden={
            "team_ids": form.team_ids.data or [],
            "how": [form.how.data],
            "capacity": [form.capacity.data] if form.capacity.data else [],
            "auditor_ids": form.auditor_ids.data,
        },
    )


def preview(plan, form, *, cycle, stale, action, back, hidden, confirm_word="assign"):
    """The preview page: every audit that would move (case, team, from, to), those left as
    they are and why, each person's open audits before and after; a confirmation posting
    `hidden` back with the plan's fingerprint (nothing is stored before it)."""
    if stale:
        form.form_errors.append(stale)
    elif not plan.moves:
        form.form_errors.append("Nothing would change: there are no audits these choices move")
    after = plan.after
    loads = sorted(
        ((plan.name(i), plan.before.get(i, 0), after.get(i, 0)) for i in plan.people),
        key=lambda row: row[0].lower(),
    )
    return render_template(
        "cycles/assign_preview.html",
        form=form,
        plan=plan,
        cycle=cycle,
        loads=loads,
        action=action,
        back=back,
        hidden=hidden,
        confirm_word=confirm_word,
        title=f"Check before you {confirm_word}",
    )


@bp.route("/<int:cycle_id>/assign/audit", methods=["GET", "POST"])
@requires("manage_cycles")
def assign_audit(cycle_id: int):
    """Assign one audit, named by ?audit=<id>."""
    found = _cycle_or_404(cycle_id)
    audit_id = query_int("audit")
    audit = cycle_assignment.get_cycle_audit(found.id, audit_id) if audit_id else None
    if audit is None:
        return redirect(url_for("cycles.assign", cycle_id=found.id))
    form = AssignForm()
    auditors = cycle_assignment.list_auditors()
    form.auditor_id.choices = [(a.id, a.display_name) for a in auditors]
    form.auditor_id.gone = gone_auditors
    if request.method == "GET" and audit.auditor_id:
        form.auditor_id.data = audit.auditor_id
        form.override.data = audit.own_team_override
    if form.validate_on_submit():
        person = chosen(auditors, form.auditor_id.data)
        try:
            cycle_assignment.assign(
                audit,
                person,
                override=form.override.data,
                actor=current_actor(),
            )
        except AssignmentError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(
                f"Case {audit.case.case_reference} assigned to {person.display_name}"
                + (" (own-team audit, by override)" if audit.own_team_override else ""),
                "success",
            )
            return redirect(url_for("cycles.assign", cycle_id=found.id))
    return render_template(
        "cycles/assign_audit.html",
        form=form,
        cycle=found,
        audit=audit,
        filter_args=_filter_args(),
        title=f"Assign the audit of case {audit.case.case_reference}",
        **auditor_picker(form.auditor_id, auditors, own_team=audit.case.team_id),
    ), 400 if request.method == "POST" else 200


@bp.route("/assign/batches/<int:batch_id>")
@requires("manage_cycles")
def batch(batch_id: int):
    """One bulk change: who, when, how, and every audit it moved."""
    found = bulk_assignment.get_batch(batch_id) or abort(404)
    items = found.changes.get("items", [])
    names = bulk_assignment.people_named({i[k] for i in items for k in ("from", "to") if i.get(k)})
    actor = bulk_assignment.display_name(found.user_id)
    return render_template(
        "cycles/assign_batch.html",
        batch=found,
        items=items,
        names=names,
        actor=actor,
        cycle=None,
        title=batch_name(found).replace("the bulk change", "Bulk change", 1),
    )
