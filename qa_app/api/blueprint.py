"""The API blueprint and its JSON errors:
{"error": {"message": ..., "field": ... or null, "problems": [{"field", "message"}]}}.

Errors raised in a view, HTTP errors and unexpected exceptions all answer in JSON; so do
unknown addresses and wrong methods under /api/v1 (the routing error is turned into JSON
before the web's HTML error page could render it)."""

import logging

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

from qa_app.extensions import csrf, db

log = logging.getLogger(__name__)
PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
# No cookies are read by the API (only the bearer token), so there is nothing to forge.
csrf.exempt(bp)

MESSAGES = {
    400: "The request could not be understood",
    401: "Send a valid API token: Authorization: Bearer <token>",
    403: "Your account's roles do not allow this",
    404: "Not found",
    405: "This address does not accept that method",
    409: "The audit has changed since you read it",
    413: "The request is too large",
    415: "Send JSON with Content-Type: application/json",
    422: "The request has problems",
}


class ApiError(Exception):
    """An error answered as JSON with `status`."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        field: str | None = None,
        problems: list[dict] | None = None,
        extra: dict | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message or MESSAGES.get(status, "Error"))
        self.status = status
        self.message = message or MESSAGES.get(status, "Error")
        self.field = field
        self.problems = problems or []
        self.extra = extra or {}
        self.headers = headers or {}


def error_response(error: ApiError):
    body = {"message": error.message, "field": error.field, "problems": error.problems}
    body.update(error.extra)
    response = jsonify({"error": body})
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def unauthorised(message: str | None = None, *, reason: str = "invalid_token") -> ApiError:
    challenge = 'Bearer realm="Practice QA"'
    if reason:
        challenge += f', error="{reason}"'
    return ApiError(401, message, headers={"WWW-Authenticate": challenge})


class Problems:
    """Collects validation problems; `check()` raises one 422 listing them all."""

    def __init__(self):
        self.items: list[dict] = []

    def add(self, field: str | None, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def __bool__(self) -> bool:
        return bool(self.items)

    def check(self) -> None:
        if self.items:
            first = self.items[0]
            raise ApiError(422, first["message"], field=first["field"], problems=self.items)


def json_body() -> dict:
    """The request's JSON object, or a 400/415 error saying what to send."""
    if not request.is_json:
        raise ApiError(415)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "Send a JSON object as the request body")
    return data


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return error_response(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    code = error.code or 500
    return error_response(ApiError(code, MESSAGES.get(code, error.name)))


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    log.exception("Unhandled API error on %s %s", request.method, request.path)
    db.session.rollback()
    return error_response(ApiError(500, "Something went wrong on our side. Try again later."))


@bp.before_app_request
def _routing_errors_as_json():
    """An unknown address or a wrong method under /api/v1 answers in JSON, not HTML."""
    failure = request.routing_exception
    if failure is None or not (request.path + "/").startswith(PREFIX + "/"):
        return None
    code = getattr(failure, "code", 404)
    if code not in (404, 405):
        return None
    response = error_response(ApiError(code))
    if code == 405 and getattr(failure, "valid_methods", None):
        response.headers["Allow"] = ", ".join(sorted(failure.valid_methods))
    return response
