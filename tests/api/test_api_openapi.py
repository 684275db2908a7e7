"""The OpenAPI document: valid OpenAPI 3.1, public, and exactly the API's routes."""

import re

from openapi_spec_validator import validate

from tests.api.support import DOC, PREFIX, Api, resolve


def api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX + "/")]


def as_template(rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))


def test_the_document_is_valid_openapi_3_1():
    assert DOC["openapi"].startswith("3.1")
    validate(DOC)


def test_the_document_is_served_without_a_token(app):
    response = Api(app).get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == DOC
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_route_is_documented_and_every_documented_path_exists(app):
    routes = set()
    for rule in api_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((as_template(rule), method.lower()))
    documented = {
        (path, method)
        for path, item in DOC["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert routes == documented


def test_operation_ids_are_the_endpoint_names(app):
    endpoints = {(as_template(r), r.endpoint.removeprefix("api.")) for r in api_rules(app)}
    ids = {(p, op["operationId"]) for p, item in DOC["paths"].items() for op in item.values()}
    assert endpoints == ids


def test_every_operation_has_json_schemas_for_bodies_and_responses():
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            assert op["responses"], (path, method)
            for status, response in op["responses"].items():
                schema = resolve(response)["content"]["application/json"]["schema"]
                assert schema, (path, method, status)
            if method in ("post", "patch"):
                body = op["requestBody"]["content"]["application/json"]["schema"]
                assert body["$ref"].startswith("#/components/schemas/"), (path, method)
            if path != "/openapi.json":
                assert {"401", "403"} <= set(op["responses"]), (path, method)


def test_every_component_schema_is_used():
    text = (
        str(DOC["paths"]) + str(DOC["components"]["schemas"]) + str(DOC["components"]["responses"])
    )
    for name in DOC["components"]["schemas"]:
        assert f"#/components/schemas/{name}'" in text, name


def _strings_sent(node, seen: set) -> list[dict]:
    """Every string schema a request body can hold, following $refs (each once)."""
    found = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None and ref not in seen:
            seen.add(ref)
            found += _strings_sent(resolve(node), seen)
        if node.get("type") == "string":
            found.append(node)
        for key, value in node.items():
            found += _strings_sent(
                {"type": "string", **value} if key == "propertyNames" else value, seen
            )
    elif isinstance(node, list):
        for value in node:
            found += _strings_sent(value, seen)
    return found


def test_every_string_a_client_sends_says_the_characters_are_refused():
    """The document tells the truth about text: each string in a body has a pattern that
    refuses NUL and the other control characters the API refuses (or is a date or a choice),
    and takes tab and line breaks, as the validation does."""
    strings = []
    for item in DOC["paths"].values():
        for op in item.values():
            if "requestBody" in op:
                strings += _strings_sent(op["requestBody"], set())
    assert len(strings) > 30
    for schema in strings:
        if "enum" in schema or schema.get("format") == "date":
            continue
        pattern = re.compile(schema["pattern"])
        for refused in ("\x00", "\x07", "\x1b", "\x7f", "\ufffe"):
            assert not pattern.search(f"a{refused}b"), (schema, refused)
    texts = [s for s in strings if s.get("pattern", "").startswith("^[^")]  # free text
    assert texts and all(re.search(s["pattern"], "a\tb\r\nc") for s in texts)
