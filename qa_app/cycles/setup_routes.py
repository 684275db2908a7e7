"""Audit cycles set up from a file (manage_cycles): previewed, then stored
(qa_app.web.setup_upload); the same check as `flask qa setup cycles FILE`."""

from flask import flash, redirect, render_template, url_for

from qa_app.cycles.routes import bp
from qa_app.data.cycle_setup import store_cycles, templates_by_key
from qa_app.imports.cycles_file import check_cycles_file
from qa_app.imports.setup_files import UNCHANGED, SetupPlan
from qa_app.web.forms_base import current_actor
from qa_app.web.security import requires
from qa_app.web.setup_upload import setup_page


def _store(plan: SetupPlan) -> None:
    rows = [r.data for r in plan.rows if r.action != UNCHANGED]
    store_cycles(rows, actor=current_actor(), origin={"file": plan.filename})


@bp.route("/upload", methods=["GET", "POST"])
@requires("manage_cycles")
def upload_cycles():
    page = setup_page(check_cycles_file, _store)
    if page.stored and page.plan:
        flash(f"Cycles from {page.plan.filename}: {page.plan.summary()}", "success")
        return redirect(url_for("cycles.index"))
    prefix = "Error: " if page.errors else ""
    return render_template(
        "cycles/cycles_upload.html",
        **page.context(),
        template_keys=sorted(t.key for t in templates_by_key().values()),
        title=f"{prefix}Set up audit cycles from a file",
    )
