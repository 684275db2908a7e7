"""A practice week's findings: headline findings per area, quick wins, audit themes, report."""

from flask import Blueprint

bp = Blueprint(
    "practice_week_findings", __name__, url_prefix="/practice-weeks", template_folder="templates"
)
