"""Checking and normalising template questions, per question type, and scale/theme references."""

from dataclasses import dataclass, field
from typing import Any

from qa_app.templates_engine.finding_phrases import check_finding
from qa_app.templates_engine.source import Checker, LineDict, describe, line_of

TYPE_FIELDS: dict[str, tuple[str, ...]] = {  # the fields each type adds to COMMON_FIELDS
    "date": (),
    "grade": ("scale",),
    "multiple_choice": ("options",),
    "number": ("unit", "min", "max", "integer"),
    "repeat": ("repeat_label", "options", "min", "max", "questions"),
    "single_choice": ("options",),
    "text": ("long", "max_length"),
    "yes_partly_no": ("not_applicable",),
}
TYPES = tuple(sorted(TYPE_FIELDS))
COMMON_FIELDS = ("key", "type", "text", "help", "required", "themes", "finding", "impact")
# Questions that may measure the difference made for the child (`impact: true`): answers on an
# order, best first, so a follow-up audit can say whether the answer moved better or worse.
IMPACT_TYPES = ("grade", "single_choice", "yes_partly_no")
REQUIRED_FIELDS = ("key", "type", "text")
TYPE_REQUIRED = {
    "single_choice": ("options",),
    "multiple_choice": ("options",),
    "repeat": ("repeat_label", "options", "questions"),
}
MIN_OPTIONS = {"single_choice": 2, "multiple_choice": 2, "repeat": 1}
OPTION_FIELDS = ("key", "label", "help")


def note_key(ck: Checker, seen: dict[str, int], key: str | None, line: int, what: str) -> None:
    """Notes in `seen` the line `key` is first used on; a key used again is a problem naming
    `what` (for example "level key 'x' in scale 'y'") and the line of its first use."""
    if key in seen:
        ck.add(line, f"duplicate {what} (first used on line {seen[key]})")
    elif key:
        seen[key] = line


@dataclass
class Vocabulary:
    """The shared scales and themes a template may refer to."""

    scales: dict[str, dict[str, Any]] | None = (
        None  # valid scales, normalised; None: could not be read
    )
    themes: dict[str, dict[str, Any]] | None = (
        None  # valid themes, normalised; None: could not be read
    )
    scale_keys: set[str] = field(default_factory=set)  # every key defined, even in a bad scale
    theme_keys: set[str] = field(default_factory=set)

    @property
    def loaded(self) -> bool:
        return self.scales is not None and self.themes is not None


@dataclass
class TemplateContext:
    """What checking one template needs: where problems go, the vocabulary, keys seen so far."""

    ck: Checker
    vocab: Vocabulary
    scale: str = ""  # the template's scale, the default for grade questions
    question_keys: dict[str, int] = field(default_factory=dict)  # key -> line first used

    def scale_ref(self, d: LineDict, name: str, what: str) -> str:
        """A scale key that must exist in scales.yaml."""
        value = d[name]
        if not isinstance(value, str) or not value:
            self.ck.bad_type(d, name, what, "a scale key")
            return ""
        scales = self.vocab.scales
        if scales is None or value in scales:
            return value
        if value in self.vocab.scale_keys:
            self.ck.add(d.key_lines[name], f"scale '{value}' has problems in scales.yaml")
        else:
            known = ", ".join(sorted(self.vocab.scale_keys)) or "none"
            self.ck.add(
                d.key_lines[name], f"scale '{value}' does not exist (known scales: {known})"
            )
        return value

    def theme_refs(self, d: LineDict, name: str, what: str) -> list[str]:
        """A list of theme keys that must exist in themes.yaml, each listed once."""
        items = self.ck.list(d, name, what)
        result: list[str] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items or []):
            line = line_of(items, i)
            if not isinstance(item, str):
                self.ck.add(
                    line, f"theme {i + 1} in {what} must be a theme key, got {describe(item)}"
                )
            elif item in seen:
                self.ck.add(
                    line, f"theme '{item}' is listed twice in {what} (first on line {seen[item]})"
                )
            else:
                seen[item] = line
                result.append(item)
                self._check_theme(item, line)
        return result

    def _check_theme(self, key: str, line: int) -> None:
        themes = self.vocab.themes
        if themes is None or key in themes:
            return
        if key in self.vocab.theme_keys:
            self.ck.add(line, f"theme '{key}' has problems in themes.yaml")
        else:
            self.ck.add(line, f"theme '{key}' is not in the theme vocabulary (themes.yaml)")


def check_questions(
    ctx: TemplateContext, owner: LineDict, owner_what: str, in_repeat: bool
) -> list[dict[str, Any]]:
    """The `questions` list of a section or repeat: normalised questions (at least one)."""
    items = ctx.ck.list(owner, "questions", owner_what)
    if "questions" in owner and (owner["questions"] is None or items == []):
        ctx.ck.add(owner.key_lines["questions"], f"{owner_what} has no questions")
    result: list[dict[str, Any]] = []
    for i, item in enumerate(items or []):
        question = check_question(ctx, item, line_of(items, i), i, owner_what, in_repeat)
        if question is not None:
            result.append(question)
    return result


def check_question(
    ctx: TemplateContext, q: object, line: int, index: int, owner_what: str, in_repeat: bool
) -> dict[str, Any] | None:
    """One question: normalised (every default filled in), or None if it is not a mapping."""
    ck = ctx.ck
    where = f"question {index + 1} in {owner_what}"
    if not ck.mapping(q, line, where):
        return None
    key = ck.key(q, "key", where) or ""
    raw_key = q.get("key")
    what = f"question '{raw_key}'" if isinstance(raw_key, str) and raw_key else where
    qtype = q.get("type")
    if not isinstance(qtype, str) or qtype not in TYPE_FIELDS:
        expected = ", ".join(TYPES)
        if isinstance(qtype, str):
            message = f"unknown question type '{qtype}' (expected one of: {expected})"
            ck.add(q.key_lines["type"], message)
        elif "type" in q:
            ck.bad_type(q, "type", what, f"one of: {expected}")
        qtype = None
    else:
        what = f"{qtype} {what}"

    own = TYPE_REQUIRED.get(qtype, ()) if qtype is not None else ()
    ck.required_fields(q, REQUIRED_FIELDS + own, what, prep="for")
    _check_fields(ck, q, qtype, what)
    note_key(ck, ctx.question_keys, key, line_of(q, "key"), f"question key '{key}'")
    if qtype == "repeat" and in_repeat:
        ck.add(
            q.key_lines["type"],
            f"{what} cannot be inside another repeat ({owner_what}): repeats cannot be nested",
        )

    result = {
        "key": key,
        "type": qtype or "",
        "text": ck.string(q, "text", what, required=True),
        "help": ck.string(q, "help", what),
        "required": ck.boolean(q, "required", what, True),
        "themes": ctx.theme_refs(q, "themes", what),
    }
    if qtype:
        _TYPE_CHECKS[qtype](ctx, q, what, result)
        check_finding(ck, q, qtype, result, in_repeat, what)
    _check_impact(ck, q, qtype, result, in_repeat, what)
    return result


def _check_impact(
    ck: Checker, q: LineDict, qtype: str | None, result: dict[str, Any], in_repeat: bool, what: str
) -> None:
    """`impact: true` marks a question that measures the difference made for the child; kept
    in the normalised question only when true (other templates' content is unchanged)."""
    if not ck.boolean(q, "impact", what, False):
        return
    line = q.key_lines["impact"]
    if in_repeat:
        ck.add(line, f"{what} is inside a repeat: an impact question must be asked once per audit")
    elif qtype and qtype not in IMPACT_TYPES:
        ck.add(
            line,
            f"{what} cannot be an impact question: only {', '.join(IMPACT_TYPES)} questions,"
            " whose answers are in an order from best to worst, can be",
        )
    else:
        result["impact"] = True


def _check_fields(ck: Checker, q: LineDict, qtype: str | None, what: str) -> None:
    allowed = COMMON_FIELDS + (TYPE_FIELDS.get(qtype, ()) if qtype is not None else ())
    for name in q:
        if name in allowed:
            continue
        owners = [t for t in TYPES if name in TYPE_FIELDS[t]]
        if not owners:
            ck.add(q.key_lines[name], f"unknown field '{name}' in {what}")
        elif qtype:  # with an unknown type we cannot tell whether a type's field is wrong
            ck.add(
                q.key_lines[name],
                f"field '{name}' is not allowed for {what} (only for: {', '.join(owners)})",
            )


def _grade(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    scale = ctx.scale
    if q.get("scale") is not None:
        scale = ctx.scale_ref(q, "scale", what)
    result["scale"] = scale


def _yes_partly_no(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    result["not_applicable"] = ctx.ck.boolean(q, "not_applicable", what, True)


def _choice(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    result["options"] = _options(ctx.ck, q, what, MIN_OPTIONS[result["type"]])


def _date(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    pass


def _number(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    ck = ctx.ck
    result["unit"] = ck.string(q, "unit", what)
    low, high = ck.number(q, "min", what), ck.number(q, "max", what)
    integer = ck.boolean(q, "integer", what, True)
    if integer:
        for name, value in (("min", low), ("max", high)):
            if isinstance(value, float) and not value.is_integer():
                ck.add(
                    q.key_lines[name],
                    f"field '{name}' of {what} must be a whole number because 'integer' is"
                    f" true, got {describe(value)}",
                )
    if low is not None and high is not None and high < low:
        ck.add(q.key_lines["max"], f"max ({high}) is less than min ({low}) for {what}")
    result.update(min=low, max=high, integer=integer)


def _text(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    result["long"] = ctx.ck.boolean(q, "long", what, True)
    result["max_length"] = ctx.ck.number(q, "max_length", what, whole=True, minimum=1)


def _repeat(ctx: TemplateContext, q: LineDict, what: str, result: dict[str, Any]) -> None:
    ck = ctx.ck
    result["repeat_label"] = ck.string(q, "repeat_label", what, required=True)
    result["options"] = _options(ck, q, what, MIN_OPTIONS["repeat"])
    low = ck.number(q, "min", what, whole=True, minimum=0, default=0)
    high = ck.number(q, "max", what, whole=True, minimum=0)
    if high is not None and low is not None and high < low:
        ck.add(q.key_lines["max"], f"max ({high}) is less than min ({low}) for {what}")
    result.update(min=low, max=high)
    result["questions"] = check_questions(ctx, q, what, in_repeat=True)


_TYPE_CHECKS = {
    "date": _date,
    "grade": _grade,
    "multiple_choice": _choice,
    "number": _number,
    "repeat": _repeat,
    "single_choice": _choice,
    "text": _text,
    "yes_partly_no": _yes_partly_no,
}


def _options(ck: Checker, q: LineDict, what: str, minimum: int) -> list[dict[str, Any]]:
    """A question's `options`: a list of {key, label, help} with unique keys."""
    if "options" not in q:
        return []
    items = ck.list(q, "options", what)
    if (items is None and q["options"] is None) or (items is not None and len(items) < minimum):
        plural = "option" if minimum == 1 else "options"
        ck.add(
            q.key_lines["options"],
            f"{what} needs at least {minimum} {plural} (has {len(items or [])})",
        )
    result = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        where = f"option {i + 1} of {what}"
        if not ck.mapping(item, line_of(items, i), where):
            continue
        key = ck.key(item, "key", where)
        if isinstance(item.get("key"), str) and item["key"]:
            where = f"option '{item['key']}' of {what}"
        ck.required_fields(item, ("key", "label"), where)
        ck.unknown_fields(item, OPTION_FIELDS, where)
        note_key(ck, seen, key, line_of(item, "key"), f"option key '{key}' in {what}")
        result.append(
            {
                "key": key or "",
                "label": ck.string(item, "label", where, required=True),
                "help": ck.string(item, "help", where),
            }
        )
    return result
