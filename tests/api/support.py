"""Helpers for the API tests: a client that sends a bearer token and checks every response
(and every request body that succeeded) against the OpenAPI document's schemas."""

import re

from flask import Flask
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from qa_app.api import bp
from qa_app.api.openapi import document
from qa_app.api.tokens import create_token
from qa_app.models import Role

PREFIX = "/api/v1"
_BARE = Flask("openapi")  # the API's routes alone: the document needs no database
_BARE.register_blueprint(bp)
DOC = document(_BARE)
BASE = "urn:practice-qa:openapi"
REGISTRY = Registry().with_resource(
    BASE, Resource.from_contents({**DOC, "$id": BASE}, default_specification=DRAFT202012)
)
NO_BODY = object()


def schema_errors(instance, schema: dict) -> list[str]:
    """Problems of `instance` against `schema`, whose $refs point into the document."""
    if "$ref" in schema:
        schema = {"$ref": BASE + schema["$ref"]}
    validator = Draft202012Validator(
        schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def resolve(obj: dict) -> dict:
    while "$ref" in obj:
        node = DOC
        for part in obj["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        obj = node
    return obj


def operation(method: str, path: str) -> tuple[str | None, dict | None]:
    """The document's path template and operation for a request path (no prefix, no query)."""
    for template, item in DOC["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    return None, None


def check_against_document(method: str, path: str, response, body=NO_BODY) -> None:
    """The response's status is documented for the operation and its JSON matches the schema;
    a request body that was accepted matches the operation's request schema."""
    assert response.mimetype == "application/json", (path, response.status_code)
    data = response.get_json()
    template, op = operation(method, path.split("?")[0])
    if op is None:  # an unknown address or method: still a documented error shape
        errors = schema_errors(data, {"$ref": "#/components/schemas/Error"})
        assert not errors, (method, path, errors)
        return
    documented = op["responses"].get(str(response.status_code))
    assert documented, f"{method} {template} answered {response.status_code}, not documented"
    schema = resolve(documented)["content"]["application/json"]["schema"]
    errors = schema_errors(data, schema)
    assert not errors, (method, path, response.status_code, errors)
    if body is not NO_BODY and 200 <= response.status_code < 300 and "requestBody" in op:
        request_schema = op["requestBody"]["content"]["application/json"]["schema"]
        errors = schema_errors(body, request_schema)
        assert not errors, (method, path, "request body", errors)


class Api:
    """A test client for the API: `api.get("/audits")`, `api.patch(path, {...})`."""

    def __init__(self, app, token: str | None = None, user=None):
        self.client = app.test_client()
        self.token = token
        self.user = user

    def request(self, method: str, path: str, body=NO_BODY, *, headers=None, check=True):
        sent = dict(headers or {})
        if self.token and "Authorization" not in sent:
            sent["Authorization"] = f"Bearer {self.token}"
        kwargs = {} if body is NO_BODY else {"json": body}
        response = self.client.open(PREFIX + path, method=method, headers=sent, **kwargs)
        if check:
            check_against_document(method, path, response, body)
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=NO_BODY, **kw):
        return self.request("POST", path, {} if body is NO_BODY else body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body, **kw)


def api_as(app, make_user, *roles: Role, **user_kwargs) -> Api:
    user = make_user(*roles, **user_kwargs)
    return Api(app, create_token(user, "tests"), user)


def error_of(response) -> dict:
    return response.get_json()["error"]
