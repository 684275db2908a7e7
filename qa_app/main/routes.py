"""The home page: what the signed-in person can do, by role."""

from flask import Blueprint, render_template
from flask_login import current_user

from qa_app.data import calibration, concerns
from qa_app.models import utcnow
from qa_app.rules.permissions import may
from qa_app.web.security import requires

bp = Blueprint("main", __name__, template_folder="templates")


@bp.route("/")
@requires("signed_in")
def home():
    me = current_user._get_current_object()
    return render_template(
        "main/home.html",
        concerns=concerns.visible_to(me),
        calibration=calibration.rounds_to_grade(me) if may(me, "do_audits") else [],
        now=utcnow(),
        title="Home",
    )
