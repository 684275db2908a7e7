"""The optional phrasing that turns a question's answer counts into a finding sentence.

A template may say what its audits are called in a sentence (`finding_noun`, e.g. one
"assessment", many "assessments") and, per question, how an answer reads as a finding
(`finding`):
- yes/partly/no: the predicate for "no", "partly" and "yes" ("had no evidence of agency
  checks" reads "4 of the 12 assessments had no evidence of agency checks"); inside a repeat
  group a predicate may name the block as {block}, `all_no` is the whole sentence when every
  block with that label answered no ("No {block} report was received for any of the {n}
  {noun}"), and `same_gap` the predicate for reports when several blocks share the gap ("did
  not give the father's views");
- number: what its median measures (`median`), and optionally a `target` with the direction
  that is `better`;
- single or multiple choice: which options are a `strength`, a `concern` or an area for
  `development`.
Without these, findings fall back to a safe generic form quoting the question
(qa_app.findings.question_findings). Checked here; normalised into the question's "finding"
(only when given, so templates without phrasing keep their stored content unchanged)."""

import re
from typing import Any

from qa_app.templates_engine.source import Checker, LineDict

YES_PARTLY_NO_FIELDS = ("no", "partly", "yes")
REPEAT_FIELDS = ("all_no", "same_gap")
NUMBER_FIELDS = ("median", "target", "better")
CHOICE_FIELDS = ("strength", "concern", "development")
NOUN_FIELDS = ("one", "many")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PHRASE_MAX = 200


def fields_for(qtype: str, in_repeat: bool) -> tuple[str, ...]:
    if qtype == "yes_partly_no":
        return YES_PARTLY_NO_FIELDS + (REPEAT_FIELDS if in_repeat else ())
    if qtype == "number":
        return NUMBER_FIELDS
    if qtype in ("single_choice", "multiple_choice"):
        return CHOICE_FIELDS
    return ()


def _phrase(ck: Checker, d: LineDict, name: str, what: str, allowed: set[str]) -> str:
    text = ck.string(d, name, what, max_length=PHRASE_MAX)
    for placeholder in PLACEHOLDER.findall(text):
        if placeholder not in allowed:
            words = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            ck.add(
                d.key_lines[name],
                f"unknown placeholder '{{{placeholder}}}' in field '{name}' of {what} "
                f"(allowed here: {words})",
            )
    return text


def check_finding(
    ck: Checker, q: LineDict, qtype: str, result: dict[str, Any], in_repeat: bool, what: str
) -> None:
    """Check a question's optional `finding` mapping and put the normalised form in result."""
    if "finding" not in q:
        return
    value = q["finding"]
    where = f"the finding of {what}"
    allowed = fields_for(qtype, in_repeat)
    if not allowed:
        ck.add(q.key_lines["finding"], f"{what} cannot have a finding phrasing")
        return
    if not ck.mapping(value, q.key_lines["finding"], where):
        return
    ck.unknown_fields(value, allowed, where)
    out: dict[str, Any] = {}
    block = {"block"} if in_repeat else set()
    if qtype == "yes_partly_no":
        for name in YES_PARTLY_NO_FIELDS:
            if name in value:
                out[name] = _phrase(ck, value, name, where, block)
        if "all_no" in value and in_repeat:
            out["all_no"] = _phrase(ck, value, "all_no", where, {"block", "n", "noun"})
        if "same_gap" in value and in_repeat:
            out["same_gap"] = _phrase(ck, value, "same_gap", where, set())
    elif qtype == "number":
        if "median" in value:
            out["median"] = _phrase(ck, value, "median", where, set())
        target = ck.number(value, "target", where)
        if target is not None:
            out["target"] = target
        better = value.get("better")
        if better is not None and better not in ("higher", "lower"):
            ck.add(value.key_lines["better"], f"field 'better' of {where} must be higher or lower")
        elif better is not None:
            out["better"] = better
        if ("target" in out) != ("better" in out):
            ck.add(value.line, f"{where} needs both 'target' and 'better', or neither")
    else:
        options = {o["key"] for o in result.get("options", [])}
        for name in CHOICE_FIELDS:
            keys = ck.list(value, name, where)
            if keys is None:
                continue
            for key in keys:
                if key not in options:
                    ck.add(
                        value.key_lines[name],
                        f"'{key}' in field '{name}' of {where} is not one of its options",
                    )
            out[name] = [k for k in keys if k in options]
    result["finding"] = out


def check_noun(ck: Checker, top: LineDict, what: str) -> dict[str, Any] | None:
    """A template's optional `finding_noun: {one: assessment, many: assessments}`."""
    if "finding_noun" not in top:
        return None
    value = top["finding_noun"]
    where = f"finding_noun of {what}"
    if not ck.mapping(value, top.key_lines["finding_noun"], where):
        return None
    ck.unknown_fields(value, NOUN_FIELDS, where)
    ck.required_fields(value, NOUN_FIELDS, where)
    return {
        name: ck.string(value, name, where, required=True, max_length=60) for name in NOUN_FIELDS
    }
