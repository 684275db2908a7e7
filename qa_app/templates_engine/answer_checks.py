"""Evaluating a template version's checks between answers (declared per section, see
qa_app.templates_engine.cross_checks) against an audit's answers, without a database.

The one place the web form, the API and the audit import ask, so that all three refuse the
same audit with the same words. A check only fires when the answers it compares are there
(a half-finished section is no contradiction), except `required_if`, which fires on submit."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from qa_app.templates_engine.answers import (
    YES_PARTLY_NO_LABELS,
    Value,
    display,
    field_name,
)
from qa_app.templates_engine.content import iter_questions

Answers = Mapping[tuple[str, int, str], Value | None]  # (group key, block index, question key)
ON_SAVE = {"at_most", "dates_in_order", "not_in_future"}  # the kinds a draft save refuses


@dataclass(frozen=True)
class CheckFailure:
    section_key: str
    group_key: str  # "" outside a repeat group
    block_index: int
    question_key: str  # the question the error is shown by
    message: str  # in full: section, block, both answers

    @property
    def field(self) -> str:
        return field_name(self.question_key, self.group_key, self.block_index)


def section_checks(
    content: dict[str, Any], section_key: str | None = None
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(section, check) for every declared check (of one section, when given)."""
    return [
        (section, check)
        for section in content["template"]["sections"]
        if section_key in (None, section["key"])
        for check in section.get("checks", [])  # versions stored before checks have none
    ]


def check_failures(
    content: dict[str, Any],
    answers: Answers,
    *,
    today: date,
    section_key: str | None = None,
    on_save: bool = False,
) -> list[CheckFailure]:
    """Every failing check, in the order of the template (blocks in index order).
    on_save: only the kinds a draft save refuses (required_if waits for submit)."""
    questions = _questions(content)
    out = []
    for section, check in section_checks(content, section_key):
        if on_save and check["kind"] not in ON_SAVE:
            continue
        group = check.get("group", "")
        indices = sorted({i for g, i, _ in answers if g == group}) if group else [0]
        for index in indices:
            block = f" (block {index + 1})" if group else ""

            def value(key: str, group: str = group, index: int = index) -> Value | None:
                found = answers.get((group, index, key))
                return None if found is None or found.empty else found

            failure = _evaluate(content, questions, check, value, today)
            if failure is not None:
                key, words = failure
                message = f"{section['title']}{block}: {words}"
                out.append(CheckFailure(section["key"], group, index, key, message))
    return out


def _questions(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        q["key"]: q
        for section in content["template"]["sections"]
        for q in iter_questions(section["questions"])
    }


def _evaluate(
    content: dict[str, Any],
    questions: dict[str, dict[str, Any]],
    check: dict[str, Any],
    value: Callable[[str], Value | None],
    today: date,
) -> tuple[str, str] | None:
    """(the key of the question to show the error by, what is wrong) or None."""
    kind = check["kind"]

    def shown(key: str) -> str:
        return display(content, questions[key], value(key))

    def words(default: str, first: str, second: str | None = None) -> str:
        own = check.get("message")
        if not own:
            return default
        # replace, never format: the validator allows only the literal placeholders, and an
        # answer's own braces are not read again (value first, then other, in one pass each)
        parts = str(own).split("{value}")
        other = shown(second) if second else ""
        return shown(first).join(part.replace("{other}", other) for part in parts)

    if kind == "at_most":
        a, b = value(check["question"]), value(check["limit"])
        if a and b and a.number is not None and b.number is not None and a.number > b.number:
            q, limit = check["question"], check["limit"]
            default = (
                f"{_name(questions[q])} ({shown(q)}) cannot be more than"
                f" {_name(questions[limit])} ({shown(limit)})"
            )
            return q, words(default, q, limit)
    elif kind == "dates_in_order":
        a, b = value(check["first"]), value(check["then"])
        if a and b and a.date is not None and b.date is not None and b.date < a.date:
            first, then = check["then"], check["first"]  # the later question, then the earlier
            default = (
                f"{_name(questions[first])} ({shown(first)}) cannot be before"
                f" {_name(questions[then])} ({shown(then)})"
            )
            return first, words(default, first, then)
    elif kind == "not_in_future":
        a = value(check["question"])
        if a and a.date is not None and a.date > today:
            q = check["question"]
            default = f"{_name(questions[q])} ({shown(q)}) cannot be in the future"
            return q, words(default, q)
    elif kind == "required_if":
        when = check["when"]
        given = value(when["question"])
        chosen = (given.choices or [given.text or ""]) if given else []
        if when["is"] in chosen and value(check["question"]) is None:
            q, w = check["question"], when["question"]
            answer = YES_PARTLY_NO_LABELS.get(when["is"]) or shown(w)
            default = f"{_name(questions[q])} is needed, because {_name(questions[w])} is {answer}"
            return q, words(default, q, w)
    return None


def _name(question: dict[str, Any]) -> str:
    """A question as a check's message names it: its text, quoted (after the section's title,
    so in lower case)."""
    return f"the answer to “{question['text']}”"


def check_rules(content: dict[str, Any], section: dict[str, Any]) -> list[str]:
    """A section's checks in words, for the template's preview: what the form will refuse."""
    questions = _questions(content)

    def q(key: str) -> str:
        return f"“{questions[key]['text']}”"

    rules = []
    for check in section.get("checks", []):
        kind = check["kind"]
        if kind == "at_most":
            rules.append(f"{q(check['question'])} can be no more than {q(check['limit'])}")
        elif kind == "dates_in_order":
            rules.append(f"{q(check['then'])} can be no earlier than {q(check['first'])}")
        elif kind == "not_in_future":
            rules.append(f"{q(check['question'])} cannot be in the future")
        else:
            when = check["when"]
            options = {o["key"]: o["label"] for o in questions[when["question"]].get("options", [])}
            answer = YES_PARTLY_NO_LABELS.get(when["is"]) or options.get(when["is"], when["is"])
            rules.append(
                f"{q(check['question'])} must be answered when {q(when['question'])} is {answer}"
            )
    return [
        f"{rule}{' (in each block)' if 'group' in c else ''}"
        for rule, c in zip(rules, section.get("checks", []), strict=True)
    ]
