"""Checking a section's `checks:` declaration (checks between two answers) in template YAML.

A section may declare checks between its own questions; see docs/templates.md "Checks between
answers". Evaluating them against answers lives in qa_app.templates_engine.answer_checks."""

from typing import Any

from qa_app.templates_engine.content import iter_questions
from qa_app.templates_engine.source import Checker, LineDict, describe, line_of

# kind -> (its question fields in order, the types each must have (None: any but repeat))
CHECK_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "at_most": (("question", "limit"), ("number",)),
    "dates_in_order": (("first", "then"), ("date",)),
    "not_in_future": (("question",), ("date",)),
    "required_if": (("question",), None),
}
WHEN_TYPES = ("yes_partly_no", "single_choice", "multiple_choice")
PLACEHOLDERS = ("{value}", "{other}")  # the only braces a check's own message may hold
MESSAGE_MAX = 300


def _placed(questions: list[dict[str, Any]]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every question of a section by key, with the key of the repeat group it is in ("")."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for q in questions:
        out[q["key"]] = ("", q)
        if q["type"] == "repeat":
            for inner in iter_questions(q["questions"]):
                out[inner["key"]] = (q["key"], inner)
    return out


def check_section_checks(
    ck: Checker, item: LineDict, where: str, questions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The normalised `checks` of one section (problems go to `ck`)."""
    if "checks" not in item:
        return []
    items = ck.list(item, "checks", where)
    placed = _placed(questions)
    out = []
    for i, check in enumerate(items or []):
        what = f"check {i + 1} in {where}"
        if not ck.mapping(check, line_of(items, i), what):
            continue
        normalised = _check_one(ck, check, what, placed)
        if normalised is not None:
            out.append(normalised)
    return out


def _check_one(
    ck: Checker, check: LineDict, what: str, placed: dict[str, tuple[str, dict[str, Any]]]
) -> dict[str, Any] | None:
    kind = check.get("kind")
    if not isinstance(kind, str) or kind not in CHECK_KINDS:
        expected = ", ".join(CHECK_KINDS)
        if "kind" not in check:
            ck.add(check.line, f"missing required field 'kind' in {what}")
        elif isinstance(kind, str):
            message = f"unknown check kind '{kind}' (expected one of: {expected})"
            ck.add(check.key_lines["kind"], message)
        else:
            ck.bad_type(check, "kind", what, f"one of: {expected}")
        return None
    names, types = CHECK_KINDS[kind]
    what = f"{kind} {what}"
    extra = ("when",) if kind == "required_if" else ()
    ck.required_fields(check, names + extra, what)
    ck.unknown_fields(check, ("kind", *names, *extra, "message"), what)
    result: dict[str, Any] = {"kind": kind}
    groups = set()
    for name in names:
        key = _question_ref(ck, check, name, what, placed, types)
        if key is None:
            return None
        result[name] = key
        groups.add(placed[key][0])
    if kind == "required_if":
        when = _when(ck, check, what, placed)
        if when is None:
            return None
        result["when"] = when
        groups.add(placed[when["question"]][0])
    if not _distinct(ck, check, what, result):
        return None
    if len(groups) > 1:
        ck.add(
            check.line,
            f"{what} names questions inside and outside a repeat group (or in two groups):"
            " a check compares answers of one block, or answers outside any block",
        )
        return None
    group = groups.pop()
    if group:
        result["group"] = group
    message = _message(ck, check, what)
    if message:
        result["message"] = message
    return result


def _question_ref(
    ck: Checker,
    d: LineDict,
    name: str,
    what: str,
    placed: dict[str, tuple[str, dict[str, Any]]],
    types: tuple[str, ...] | None,
) -> str | None:
    if name not in d:
        return None
    key = d[name]
    line = d.key_lines[name]
    if not isinstance(key, str):
        ck.add(line, f"field '{name}' of {what} must be a question key, got {describe(key)}")
        return None
    if key not in placed:
        known = ", ".join(sorted(placed)) or "none"
        ck.add(line, f"{what} names question '{key}', not one of this section's ({known})")
        return None
    qtype = placed[key][1]["type"]
    if not qtype:
        return None  # the question's own type is wrong, and reported there
    if (types is not None and qtype not in types) or qtype == "repeat":
        expected = " or ".join(types) if types else "any but repeat"
        ck.add(line, f"{what}: question '{key}' is a {qtype} question; it must be {expected}")
        return None
    return key


def _when(
    ck: Checker, check: LineDict, what: str, placed: dict[str, tuple[str, dict[str, Any]]]
) -> dict[str, Any] | None:
    when = check.get("when")
    where = f"'when' of {what}"
    if not ck.mapping(when, line_of(check, "when"), where):
        return None
    ck.required_fields(when, ("question", "is"), where)
    ck.unknown_fields(when, ("question", "is"), where)
    key = _question_ref(ck, when, "question", where, placed, WHEN_TYPES)
    if key is None or "is" not in when:
        return None
    question = placed[key][1]
    if question["type"] == "yes_partly_no":
        allowed = ["yes", "partly", "no"]
        allowed += ["not_applicable"] if question["not_applicable"] else []
    else:
        allowed = [o["key"] for o in question["options"]]
    answer = when["is"]
    if answer is True:
        answer = "yes"  # YAML reads a bare yes as true
    elif answer is False:
        answer = "no"
    if answer not in allowed:
        ck.add(
            when.key_lines["is"],
            f"{where}: {describe(when['is'])} is not an answer to '{key}'"
            f" (expected one of: {', '.join(allowed)})",
        )
        return None
    return {"question": key, "is": answer}


def _distinct(ck: Checker, check: LineDict, what: str, result: dict[str, Any]) -> bool:
    """A check naming one question twice can never fire (a <= a, d1 before d1, "details needed
    when details is ..." compares an answer with itself): refused, at the check's line."""
    keys = [result[name] for name in CHECK_KINDS[result["kind"]][0]]
    if "when" in result:
        keys.append(result["when"]["question"])
    if len(set(keys)) == len(keys):
        return True
    ck.add(
        check.line,
        f"{what} names question '{keys[-1]}' twice: a check compares two different questions,"
        " and one compared with itself can never fail",
    )
    return False


def _message(ck: Checker, check: LineDict, what: str) -> str:
    """A check's own words: at most MESSAGE_MAX characters, and no braces but the literal
    placeholders (no format spec, conversion, index or attribute: answer_checks substitutes with
    str.replace, so nothing in a template can make a message bigger than its answers)."""
    message = ck.string(check, "message", what, max_length=MESSAGE_MAX)
    if not message:
        return ""
    rest = message
    for placeholder in PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if "{" in rest or "}" in rest:
        ck.add(
            check.key_lines["message"],
            f"message of {what} may only use the placeholders {{value}} and {{other}}"
            " exactly as written (no other braces, format or width)",
        )
        return ""
    return message
