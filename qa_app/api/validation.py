"""Requests checked against the API's schemas (qa_app.api.schemas), the same pydantic models the
OpenAPI document is generated from, so what the document allows is what the API takes. Every
problem is collected into the one 422 body (qa_app.api.blueprint.Problems), named as the API
names fields: name, answers.q__x, add_blocks[0].label, section_grades.intro.grade."""

from typing import TypeVar

from flask import request
from pydantic import BaseModel, ValidationError

from qa_app.api.blueprint import Problems, json_body

M = TypeVar("M", bound=BaseModel)


def read_body(model: type[M], data: dict | None = None) -> tuple[M, Problems]:
    """The request's JSON body (or `data`) as `model` (after json_body's 400, 415 and 422), and
    the problems found. When there are some, the model holds only the top-level fields that
    had none (the others are None), so the view can add the problems only it can see (a key
    that names nothing) before `problems.check()` answers with them all."""
    return _validated(model, json_body() if data is None else data)


def read_query(model: type[M]) -> tuple[M, Problems]:
    """The query string as `model` (each parameter once; its fields parse from text)."""
    query, problems = _validated(model, request.args.to_dict(), strict=False)
    for item in problems.items:
        item["message"] = item["message"].replace("Unknown field", "Unknown parameter")
    return query, problems


def checked_body(model: type[M]) -> M:
    """read_body for a view with no checks of its own: a 422 at once if the body has problems."""
    body, problems = read_body(model)
    problems.check()
    return body


def _validated(model: type[M], data: dict, strict: bool | None = None) -> tuple[M, Problems]:
    problems = Problems()
    try:
        return model.model_validate(data, strict=strict), problems
    except ValidationError as error:
        found = problems_of(error, data)
    for field, message in found:
        problems.add(field, message)
    bad = {field.split(".")[0].split("[")[0] for field, _ in found}
    names = {f.alias or name: name for name, f in model.model_fields.items()}
    good = {names[key]: value for key, value in data.items() if key in names and key not in bad}
    partial = model.model_construct(_fields_set=set(good))
    for name in model.model_fields:
        setattr(partial, name, None)
    for name, value in good.items():
        model.__pydantic_validator__.validate_assignment(partial, name, value, strict=strict)
    return partial, problems


def problems_of(error: ValidationError, data) -> list[tuple[str, str]]:
    """Each place with a problem once, in order, with a message in the API's words. A value
    that matches none of a union's members is one problem at its place; a list of plain
    values (keys, names) is named as a whole."""
    found: dict[str, str] = {}
    errors = error.errors(include_url=False)
    # unknown fields first, as the API has always listed them
    for item in sorted(errors, key=lambda e: e["type"] != "extra_forbidden"):
        path, name, where = _place(item["loc"], data)
        if where == "union":
            message = "Not a valid kind of value here"
        elif where == "list":
            message = f"{name} must be a list of {LIST_OF.get(item['type'], 'valid values')}"
        else:
            message = _message(item, name)
        found.setdefault(path, message)
    return list(found.items())


LIST_OF = {
    "string_type": "strings",
    "int_type": "whole numbers",
    "string_pattern_mismatch": "keys: lowercase letters, digits and _, from a letter",
}


def _place(loc: tuple, data) -> tuple[str, str, str]:
    """The API's name for the place `loc` points to, its last field name, and what it is in:
    "union" when the loc goes on into the members of a union (names that are not in the data),
    "list" for a plain value in a list (named by the list), or ""."""
    path, name, node = "", "", data
    for part in loc:
        if part == "[key]":
            break
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            if not isinstance(node[part], dict | list):
                return path, name, "list"
            path, node = f"{path}[{part}]", node[part]
        elif isinstance(part, str) and isinstance(node, dict):
            path = f"{path}.{part}" if path else part
            name, node = part, node.get(part)
        else:
            return path, name, "union"
    return path, name, ""


def _message(item: dict, name: str) -> str:
    kind, ctx = item["type"], item.get("ctx") or {}
    pattern = str(ctx.get("pattern", ""))
    messages = {
        "missing": f"{name} is required",
        "extra_forbidden": f"Unknown field {name!r}",
        "string_type": f"{name} must be a string",
        "string_too_long": f"Use {ctx.get('max_length')} characters or fewer",
        "string_too_short": f"{name} must not be blank",
        "int_type": f"{name} must be a whole number",
        "int_parsing": f"{name} must be a whole number",
        "greater_than_equal": f"{name} must be {ctx.get('ge')} or more",
        "less_than_equal": f"{name} must be {ctx.get('le')} or less",
        "bool_type": f"{name} must be true or false",
        "bool_parsing": f"{name} must be true or false",
        "iso_date": f"{name} must be a date like 2026-03-27",
        "literal_error": f"{name} must be one of {ctx.get('expected')}",
        "list_type": f"{name} must be a list",
        "too_short": f"{name} must list at least {ctx.get('min_length')}",
        "dict_type": f"{name} must be an object",
        "model_type": f"{name} must be an object",
        "model_attributes_type": f"{name} must be an object",
        "unique_items": f"{name} must list each value once",
    }
    if kind == "string_pattern_mismatch":
        if r"[^\s" in pattern:
            return f"{name} must not be blank"
        if pattern.startswith("^[a-z]"):
            return f"{name} must be a key: lowercase letters, digits and _, from a letter"
        return f"{name} is not in the form this field takes"
    return messages.get(kind, f"{name}: {item['msg']}")
