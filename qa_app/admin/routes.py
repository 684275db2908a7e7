"""Administration pages: accounts, organisation settings, teams and localities, the security
log and the sign-in locks."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_user

from qa_app.admin.forms import (
    ActionForm,
    CaseReferenceCheckForm,
    ClearLockForm,
    LocalityForm,
    NewUserForm,
    SetPasswordForm,
    SettingsForm,
    TeamForm,
    UserForm,
)
from qa_app.data import mfa, organisation, sessions, sign_in_locks, users
from qa_app.data.organisation import OrganisationError
from qa_app.data.security_log import log_event, recent_events
from qa_app.data.sign_in_throttle import Limits, describe, username_key
from qa_app.data.users import AccountError
from qa_app.web.forms_base import attach_problem, current_actor
from qa_app.web.security import requires

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _team_choices(form) -> None:
    form.teams.choices = [(t.id, t.name) for t in organisation.list_teams()]


def _chosen_teams(form):
    return [t for t in organisation.list_teams() if t.id in (form.teams.data or [])]


@bp.route("/users", endpoint="users")
@requires("manage_users")
def users_list():
    return render_template("admin/users.html", users=users.list_users(), title="Accounts")


@bp.route("/users/new", methods=["GET", "POST"])
@requires("manage_users")
def new_user():
    form = NewUserForm()
    _team_choices(form)
    if form.validate_on_submit():
        try:
            user = users.create_user(
                form.username.data,
                form.display_name.data,
                form.password.data,
                form.roles.data,
                teams=_chosen_teams(form),
                email=form.email.data,
                actor=current_actor(),
            )
        except AccountError as error:
            attach_problem(form, error.field, str(error))
        else:
            log_event("account_created", current_actor(), detail=f"created {user.username}")
            flash(f"Account created for {user.display_name}", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, title="Create an account", user=None)


def _user_or_404(user_id: int):
    return users.get_user(user_id) or abort(404)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("manage_users")
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=None if request.method == "POST" else user)
    _team_choices(form)
    if request.method == "GET":
        form.roles.data = sorted(r.value for r in user.roles)
        form.teams.data = [t.id for t in user.teams]
    if form.validate_on_submit():
        try:
            users.update_user(
                user,
                display_name=form.display_name.data,
                email=form.email.data,
                roles=form.roles.data,
                teams=_chosen_teams(form),
                actor=current_actor(),
            )
        except AccountError as error:
            attach_problem(form, error.field, str(error))
        else:
            log_event("account_changed", current_actor(), detail=f"changed {user.username}")
            flash(f"Changes to {user.display_name} saved", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        action_form=ActionForm(),
        title=f"Edit {user.display_name}",
        mfa_enabled=mfa.is_enabled(user),
        mfa_required=mfa.is_required(user),
        locks=_lock_rows(
            sign_in_locks.current_locks(_limits(), account=username_key(user.username))
        ),
        clear_form=ClearLockForm(),
    )


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@requires("manage_users")
def disable_user(user_id: int):
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@requires("manage_users")
def enable_user(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        users.set_active(user, active, actor=current_actor())
    except AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    log_event(
        "account_enabled" if active else "account_disabled", current_actor(), detail=user.username
    )
    flash(
        f"{user.display_name}'s account is {'enabled' if active else 'disabled'}"
        + ("" if active else " and every session of it signed out"),
        "success",
    )
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-two-step", methods=["POST"])
@requires("manage_users")
def reset_two_step(user_id: int):
    """For someone who lost their phone: removes their authenticator secret and recovery codes
    and signs out every session of theirs; they set it up again when they next sign in (if
    their role requires it) or under Your account."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if user.id != current_actor().id:
        sessions.end_all_sessions(user, "mfa_reset")
    mfa.disable(user, actor=current_actor(), event="mfa_reset", ip=request.remote_addr)
    flash(f"Two-step sign-in reset for {user.display_name}", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@requires("manage_users")
def set_password(user_id: int):
    user = _user_or_404(user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        actor = current_actor()
        users.set_password(user, form.password.data, actor=actor)
        log_event("password_reset", actor, detail=user.username)
        if user.id == actor.id:
            # Setting one's own password ends every session, this one too: carry on in a
            # fresh one, as changing it under Your account does.
            session.clear()
            sessions.start_session(user)
            login_user(user)
        flash(f"New password set for {user.display_name}", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/set_password.html",
        form=form,
        user=user,
        title=f"Set a password for {user.display_name}",
    )


@bp.route("/settings", methods=["GET", "POST"])
@requires("manage_organisation")
def settings():
    current = organisation.get_settings()
    # The saved values fill any field the request does not carry, so checking a case reference
    # (a separate form) leaves the settings form showing what is saved, not blanks.
    form = SettingsForm(obj=current)
    if not form.submit.data:  # not saving: show what is saved
        form.mfa_required_roles.data = list(current.mfa_required_roles or [])
    check_form = CaseReferenceCheckForm(prefix="check")
    check_result = None
    if check_form.submit.data and check_form.validate_on_submit():
        problem = organisation.case_reference_problem(check_form.case_reference.data, current)
        if problem:
            check_form.case_reference.errors.append(problem)
        else:
            check_result = f"{check_form.case_reference.data.strip()!r} is a valid case reference"
    elif form.submit.data and form.validate_on_submit():
        try:
            organisation.update_settings(
                council_name=form.council_name.data,
                service_name=form.service_name.data,
                case_reference_pattern=form.case_reference_pattern.data,
                case_reference_hint=form.case_reference_hint.data,
                small_number_threshold=form.small_number_threshold.data,
                partnership_threshold=form.partnership_threshold.data,
                min_group_size=form.min_group_size.data,
                mfa_required_roles=form.mfa_required_roles.data or [],
                actor=current_actor(),
            )
        except OrganisationError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash("Organisation settings saved", "success")
            return redirect(url_for("admin.settings"))
    return render_template(
        "admin/settings.html",
        form=form,
        check_form=check_form,
        check_result=check_result,
        title="Organisation settings",
    )


@bp.route("/teams")
@requires("manage_organisation")
def teams():
    return render_template(
        "admin/teams.html",
        teams=organisation.list_teams(),
        localities=organisation.list_localities(),
        title="Teams and localities",
    )


@bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@requires("manage_organisation")
def edit_team(team_id: int | None):
    team = organisation.get_team(team_id) or abort(404) if team_id else None
    form = TeamForm(obj=None if request.method == "POST" else team)
    form.locality_id.choices = [(0, "No locality")] + [
        (loc.id, loc.name) for loc in organisation.list_localities()
    ]
    if request.method == "GET" and team:
        form.locality_id.data = team.locality_id or 0
    if form.validate_on_submit():
        locality = (
            organisation.get_locality(form.locality_id.data) if form.locality_id.data else None
        )
        try:
            organisation.save_team(
                form.name.data, locality, form.active.data, actor=current_actor(), team=team
            )
        except OrganisationError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(f"Team {form.name.data.strip()} saved", "success")
            return redirect(url_for("admin.teams"))
    return render_template(
        "admin/team_form.html",
        form=form,
        team=team,
        title=f"Edit {team.name}" if team else "Add a team",
    )


@bp.route("/localities/new", methods=["GET", "POST"], defaults={"locality_id": None})
@bp.route("/localities/<int:locality_id>", methods=["GET", "POST"])
@requires("manage_organisation")
def edit_locality(locality_id: int | None):
    locality = organisation.get_locality(locality_id) or abort(404) if locality_id else None
    form = LocalityForm(obj=None if request.method == "POST" else locality)
    if form.validate_on_submit():
        try:
            organisation.save_locality(form.name.data, actor=current_actor(), locality=locality)
        except OrganisationError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(f"Locality {form.name.data.strip()} saved", "success")
            return redirect(url_for("admin.teams"))
    return render_template(
        "admin/locality_form.html",
        form=form,
        locality=locality,
        title=f"Edit {locality.name}" if locality else "Add a locality",
    )


@bp.route("/security-log")
@requires("manage_users")
def security_log():
    return render_template(
        "admin/security_log.html", events=recent_events(200), title="Security log"
    )


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


def _lock_rows(locks) -> list[dict]:
    return [{"lock": lock, "what": describe(lock)} for lock in locks]


@bp.route("/sign-in-locks", endpoint="sign_in_locks")
@requires("manage_users")
def sign_in_locks_page():
    """What the sign-in throttle is holding back now, each with a Clear button."""
    rows = _lock_rows(sign_in_locks.current_locks(_limits()))
    return render_template(
        "admin/sign_in_locks.html",
        accounts=[r for r in rows if r["lock"].account and not r["lock"].address],
        addresses=[r for r in rows if r["lock"].address],
        clear_form=ClearLockForm(),
        title="Sign-in locks",
    )


@bp.route("/sign-in-locks/clear", methods=["POST"])
@requires("manage_users")
def clear_sign_in_lock():
    form = ClearLockForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lock = sign_in_locks.clear(
            form.kind.data,
            form.account.data or None,
            form.address.data or None,
            form.device.data or None,
            limits=_limits(),
            actor=current_actor(),
            ip=request.remote_addr,
        )
    except sign_in_locks.LockError:
        abort(400)
    flash(f"Sign-in lock cleared: {describe(lock)}", "success")
    if form.user_id.data:
        return redirect(url_for("admin.edit_user", user_id=int(form.user_id.data)))
    return redirect(url_for("admin.sign_in_locks"))
