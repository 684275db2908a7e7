"""Practice week pages: plan the week, its schedule, and record each activity."""

from flask import Blueprint

bp = Blueprint("practice_weeks", __name__, url_prefix="/practice-weeks", template_folder="templates")
