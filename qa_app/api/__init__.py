"""The JSON API under /api/v1: bearer tokens, the same permissions, validation, versions and
change log as the web pages (every read and write goes through qa_app.data), described by an
OpenAPI 3.1 document at /api/v1/openapi.json. See docs/api.md."""

from qa_app.api import (  # noqa: F401  (views on bp)
    audit_routes,
    calibration_routes,
    findings_routes,
    follow_up_routes,
    improvement_routes,
    moderation_routes,
    routes,
    self_evaluation_routes,
)
from qa_app.api.blueprint import bp

__all__ = ["bp"]
