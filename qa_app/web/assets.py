"""Serving the front end: GOV.UK Frontend's assets from the installed npm package, and the
stylesheet built from qa_app/static/src. Nothing third-party is copied into the repository."""

from flask import Blueprint, current_app, send_from_directory

from qa_app.web.security import public

bp = Blueprint("assets", __name__)


@bp.route("/assets/govuk-frontend.min.js")
@public
def govuk_js():
    return send_from_directory(current_app.config["QA_FRONTEND_DIR"], "govuk-frontend.min.js")


@bp.route("/assets/<path:filename>")
@public
def asset(filename):
    return send_from_directory(current_app.config["QA_FRONTEND_DIR"] + "/assets", filename)


@bp.route("/build/<path:filename>")
@public
def build(filename):
    return send_from_directory(current_app.config["QA_BUILD_DIR"], filename)
