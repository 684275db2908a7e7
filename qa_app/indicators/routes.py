"""Performance indicator pages."""

from flask import Blueprint

bp = Blueprint("indicators", __name__, url_prefix="/indicators", template_folder="templates")
