"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json, generated: the paths from
the blueprint's routes, each operation from what its view declares with `@operation`, and every
schema by pydantic (JSON Schema 2020-12) from the models in qa_app.api.schemas, the same ones
that validate the requests (qa_app.api.validation). Tests check that it is valid, that it lists
exactly the API's routes, that real responses match it, and schemathesis that the validation
takes what it allows and refuses what it forbids."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from qa_app.api.blueprint import ID_MAX, PREFIX
from qa_app.api.schemas.base import Error

REF = "#/components/schemas/{model}"
ERRORS = {
    400: ("BadRequest", "The body is not a JSON object"),
    401: (
        "Unauthorised",
        "No token, or a token that is unknown, revoked or belongs to a disabled account (a "
        "session cookie is not accepted)",
    ),
    403: (
        "Forbidden",
        "The account's roles, or its access to this audit or action, do not allow it (logged)",
    ),
    404: (
        "NotFound",
        "No such object (an id in the address beyond 2**31 - 1, or a key with a control "
        "character, names none)",
    ),
    409: (
        "Conflict",
        "The audit (or improvement action) changed since the lock_version sent "
        "(error.lock_version says its version now; for an audit, error.changes_since says "
        "how), or the audit has been submitted",
    ),
    415: ("UnsupportedMediaType", "Send Content-Type: application/json"),
    422: (
        "Unprocessable",
        "The request has problems: error.problems lists each with its field; nothing was "
        "saved. Text anywhere in a body must not contain NUL or other control characters (tab, "
        "line feed and carriage return are allowed), and whole numbers must be ones the "
        "database holds (ids and lock_version: 1 to 2**31 - 1). A request the schemas allow "
        "may still be refused where a rule needs the data: a key or name that names nothing, a "
        "period that ends before it starts, a name already taken",
    ),
    503: (
        "TooLong",
        "The request's database work ran past its time budget (QA_REQUEST_SECONDS, 20 s by "
        "default) and was stopped; what it had not committed was rolled back. Ask for less at "
        "once (a shorter period, fewer filters), or try again later",
    ),
}
PATH_PARAMETERS = {
    "audit_id": "The audit's id",
    "cycle_id": "The cycle's id",
    "action_id": "The action's id",
    "round_id": "The calibration round's id",
    "report_id": "The report version's id",
    "number": "Version number",
    "key": "The template's key",
}
TAGS = (
    "templates",
    "cycles",
    "audits",
    "moderation",
    "findings",
    "improvement",
    "calibration",
    "reports",
    "meta",
)
INFO = {
    "title": "Practice QA API",
    "version": "1.0.0",
    "description": "Case audits, cycles, templates, findings and the improvement plan of "
    "Practice QA. Same permissions, validation, versions and change log as the web pages. "
    "Authenticate with `Authorization: Bearer <token>` (made with "
    "`flask --app qa_app qa create-token USERNAME`). See docs/api.md.",
}


@dataclass(frozen=True)
class Operation:
    """What a view declares about itself; the rest of its entry is worked out."""

    tag: str
    summary: str
    who: str | None
    status: int
    answer: type[BaseModel] | dict
    answers: str
    errors: tuple[int, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    describe: str = ""


def operation(tag: str, summary: str, who: str | None, ok: tuple, *errors: int, **more):
    """Declare a view's operation: `ok` is (status, response model, what it is); `errors` the
    statuses beyond those every operation may answer (401, 403, 503; with a body or a query
    model 400/415/422 as they apply). Goes between the route and its permission decorator."""

    def decorator(view: Callable) -> Callable:
        view.openapi = Operation(tag, summary, who, *ok, errors=errors, **more)
        return view

    return decorator


class _Generate(GenerateJsonSchema):
    """pydantic's JSON Schema, without a title on every field, and with a dict's key pattern
    said as propertyNames (pydantic's patternProperties would let other keys through)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def dict_schema(self, schema):
        out = super().dict_schema(schema)
        if "patternProperties" in out:
            ((pattern, values),) = out.pop("patternProperties").items()
            out["propertyNames"] = {"pattern": pattern}
            out["additionalProperties"] = values
        return out


def document(app) -> dict:
    """The whole document for `app`'s API routes (made once per application)."""
    cached = app.extensions.get("api_openapi")
    if cached is None:
        cached = app.extensions["api_openapi"] = _document(_operations(app))
    return cached


def _operations(app) -> list[tuple[str, str, Operation, list[dict], str]]:
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        declared = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if declared is None:
            raise LookupError(f"{rule.endpoint} declares no @operation")
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        parameters = [_path_parameter(name, rule) for name in rule.arguments]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op_id = rule.endpoint.rpartition(".")[2]
            found.append((path, method.lower(), declared, parameters, op_id))
    return found


def _path_parameter(name: str, rule) -> dict:
    numeric = f"<int:{name}>" in rule.rule
    schema = {"type": "integer", "minimum": 1, "maximum": ID_MAX} if numeric else {"type": "string"}
    description = PATH_PARAMETERS[name] + (" (404 beyond 2**31 - 1)" if numeric else "")
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


def _document(operations: list) -> dict:
    models = {Error: "serialization"}
    for _, _, op, _, _ in operations:
        if isinstance(op.answer, type):
            models[op.answer] = "serialization"
        if op.body is not None:
            models[op.body] = "validation"
    _, schemas = models_json_schema(
        [(m, mode) for m, mode in models.items()], ref_template=REF, schema_generator=_Generate
    )
    paths: dict = {}
    for path, method, op, parameters, op_id in operations:
        paths.setdefault(path, {})[method] = _entry(op, op_id, parameters)
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": PREFIX}],
        "security": [{"bearer": []}],
        "tags": [{"name": t} for t in TAGS],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from `qa create-token`; acts with its "
                    "account's roles",
                }
            },
            "schemas": schemas["$defs"],
            "responses": {
                name: _json(description, "Error") for name, description in ERRORS.values()
            },
        },
    }


def _json(description: str, schema: str | dict) -> dict:
    if isinstance(schema, str):
        schema = {"$ref": REF.format(model=schema)}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _entry(op: Operation, op_id: str, parameters: list[dict]) -> dict:
    answer = op.answer.__name__ if isinstance(op.answer, type) else op.answer
    codes = set(op.errors)
    entry = {
        "operationId": op_id,
        "tags": [op.tag],
        "summary": op.summary,
    }
    if op.who is None:  # public
        entry["security"] = []
        entry["description"] = op.describe
    else:
        codes |= {401, 403, 503}
        entry["description"] = (op.describe + "\n\n" if op.describe else "") + f"Who: {op.who}."
    if op.query is not None:
        parameters = parameters + _query_parameters(op.query)
        codes.add(422)
    if parameters:
        entry["parameters"] = parameters
    if op.body is not None:
        entry["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model=op.body.__name__)}}
            },
        }
        codes |= {400, 415, 422}
    entry["responses"] = {str(op.status): _json(op.answers, answer)} | {
        str(code): {"$ref": f"#/components/responses/{ERRORS[code][0]}"} for code in sorted(codes)
    }
    return entry


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(schema_generator=_Generate, ref_template=REF)
    out = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        out.append(
            {
                "name": name,
                "in": "query",
                "required": name in schema.get("required", ()),
                "schema": prop,
                "description": prop.pop("description", ""),
            }
        )
    return out
