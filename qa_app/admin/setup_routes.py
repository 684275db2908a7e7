"""Administration set-up from files: teams and localities (manage_organisation) and accounts
(manage_users), each previewed before it is stored (qa_app.web.setup_upload)."""

from flask import flash, redirect, render_template, url_for

from qa_app.admin.routes import bp
from qa_app.data.organisation import store_teams
from qa_app.imports.teams import check_teams_file
from qa_app.web.forms_base import current_actor
from qa_app.web.security import requires
from qa_app.web.setup_upload import setup_page


@bp.route("/teams/upload", methods=["GET", "POST"])
@requires("manage_organisation")
def upload_teams():
    page = setup_page(
        check_teams_file,
        lambda plan: store_teams(
            [r.data for r in plan.rows], actor=current_actor(), origin={"file": plan.filename}
        ),
    )
    if page.stored and page.plan:
        flash(f"Teams and localities from {page.plan.filename}: {page.plan.summary()}", "success")
        return redirect(url_for("admin.teams"))
    prefix = "Error: " if page.errors else ""
    return render_template(
        "admin/teams_upload.html",
        **page.context(),
        title=f"{prefix}Set up teams and localities from a file",
    )
