"""Improvement plan pages."""

from flask import Blueprint

bp = Blueprint("improvement", __name__, url_prefix="/improvement", template_folder="templates")
