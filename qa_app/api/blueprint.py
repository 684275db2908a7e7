"""The API blueprint and its JSON errors:
{"error": {"message": ..., "field": ... or null, "problems": [{"field", "message"}]}}.

Errors raised in a view, HTTP errors and unexpected exceptions all answer in JSON; so do
unknown addresses and wrong methods under /api/v1 (the routing error is turned into JSON
before the web's HTML error page could render it).

What the database cannot hold never reaches it: an id in the address beyond a 32-bit integer,
or a key with a control character, is 404; a body with a NUL or another control character
(other than tab and line breaks) anywhere is 422 naming each place."""

import logging

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from qa_app.extensions import csrf, db
from qa_app.rules.control_characters import CONTROL, which_character
from qa_app.web import request_budget
from qa_app.web.request_budget import TOO_LONG

log = logging.getLogger(__name__)
PREFIX = "/api/v1"
# The largest id (or lock_version) the database holds: they are INTEGER columns, 32-bit on
# PostgreSQL (SQLite's hold more; the API takes what both hold). Beyond it, 404 or 422.
ID_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1  # the largest number of rows a query may skip (offset)
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
    """The request's JSON object, or a 400/415 error saying what to send; a 422 if any text in
    it (a value or a field name, at any depth) has a NUL or another control character, before
    anything in it is looked up or saved."""
    if not request.is_json:
        raise ApiError(415)
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "Send a JSON object as the request body")
    _check_characters(data).check()
    return data


def _character_problem(text: str, what: str) -> str | None:
    if CONTROL.search(text) is None:
        return None
    if "\x00" in text:
        return f"Remove the NUL character (U+0000) from {what}: it cannot be stored"
    return (
        f"Remove {which_character(text)} from {what}: text may contain tabs and line breaks, "
        "but no control characters, non-characters or lone surrogates"
    )


def _check_characters(data: dict) -> Problems:
    """The problems of every string in a JSON body, in order (depth first, without recursion:
    JSON can nest deeply), each named as the API names fields: answers.q__x,
    add_blocks[0].label. A field name with such a character is named by where it is."""
    problems = Problems()
    todo: list[tuple[str | None, object]] = [(None, data)]
    while todo:
        path, value = todo.pop()
        if isinstance(value, str):
            if message := _character_problem(value, "this text"):
                problems.add(path, message)
        elif isinstance(value, dict):
            items = []
            for key, item in value.items():
                if message := _character_problem(key, "a field name"):
                    problems.add(path, message)
                else:
                    items.append((f"{path}.{key}" if path else key, item))
            todo.extend(reversed(items))
        elif isinstance(value, list):
            todo.extend(reversed([(f"{path}[{n}]", item) for n, item in enumerate(value)]))
    return problems


@bp.url_value_preprocessor
def _values_the_database_holds(endpoint, values) -> None:
    """An id beyond what the database holds, or a key with a control character, names
    nothing: 404, whatever the application's <int:> converter allows."""
    for value in (values or {}).values():
        if isinstance(value, int) and not 1 <= value <= ID_MAX:
            raise ApiError(404)
        if isinstance(value, str) and CONTROL.search(value):
            raise ApiError(404)


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return error_response(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    code = error.code or 500
    return error_response(ApiError(code, MESSAGES.get(code, error.name)))


@bp.errorhandler(OperationalError)
def _database(error: OperationalError):
    if not request_budget.ran_out(error):
        return _unexpected(error)
    log.warning("Out of time on %s %s", request.method, request.path)
    db.session.rollback()
    return error_response(ApiError(503, TOO_LONG))


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
    if code == 405 and not _matches_another_method(failure):
        code = 404
    response = error_response(ApiError(code))
    if code == 405 and getattr(failure, "valid_methods", None):
        response.headers["Allow"] = ", ".join(sorted(failure.valid_methods))
    return response


def _matches_another_method(failure) -> bool:
    """Whether the address is really there for one of the methods a 405 allows. Werkzeug also
    answers 405 when a converter refuses the value (an id out of range) of a rule that shares
    its address with rules for other methods: that address names nothing, so it is a 404."""
    methods = sorted(set(getattr(failure, "valid_methods", None) or ()) - {"HEAD", "OPTIONS"})
    if not methods:
        return True
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(method=methods[0])
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True
