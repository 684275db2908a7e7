"""The home page: what the signed-in person can do, by role."""

from flask import Blueprint, render_template

from qa_app.security import requires

bp = Blueprint("main", __name__, template_folder="templates")


@bp.route("/")
@requires("signed_in")
def home():
    return render_template("main/home.html", title="Home")
