"""Administration set-up from files: teams and localities (manage_organisation) and accounts
(manage_users), each previewed before it is stored (qa_app.web.setup_upload)."""

from flask import flash, redirect, render_template, url_for

from qa_app.admin.routes import bp
from qa_app.data.organisation import store_teams
from qa_app.data.users import store_accounts
from qa_app.imports.accounts import check_accounts_file
from qa_app.imports.setup_files import UNCHANGED, SetupPlan
from qa_app.imports.teams import check_teams_file
from qa_app.models import Role
from qa_app.models.organisation import COMMON_CASE_REFERENCE_PATTERNS
from qa_app.web.forms_base import current_actor
from qa_app.web.security import requires
from qa_app.web.setup_upload import setup_page


@bp.context_processor
def _case_reference_shapes():
    """The common case-reference patterns the settings page offers."""
    return {"case_reference_shapes": COMMON_CASE_REFERENCE_PATTERNS}


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


def _store_accounts(plan: SetupPlan) -> None:
    store_accounts(  # each account made and each change of roles is in the security log
        [r.data for r in plan.rows if r.action != UNCHANGED],
        actor=current_actor(),
        origin={"file": plan.filename},
    )


@bp.route("/users/upload", methods=["GET", "POST"])
@requires("manage_users")
def upload_accounts():
    page = setup_page(check_accounts_file, _store_accounts)
    if page.stored and page.plan:
        flash(
            f"Accounts from {page.plan.filename}: {page.plan.summary()}. New accounts have no "
            "password yet: set each one's first password from its page.",
            "success",
        )
        return redirect(url_for("admin.users"))
    prefix = "Error: " if page.errors else ""
    return render_template(
        "admin/accounts_upload.html",
        **page.context(),
        roles=list(Role),
        title=f"{prefix}Set up accounts from a file",
    )
