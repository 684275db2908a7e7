"""The findings a review's answers add up to, as plain sentences ranked by weight.

`question_findings(figures)` reads the per-question counts in a findings dictionary (its
"templates", each with "questions" and "repeats") and returns the findings worth stating,
heaviest first, each a sentence like a council's own review states it ("4 of the 12
assessments had no evidence of agency checks"; "No GP report was received for any of the 9
conferences"; "The median time from the strategy discussion to conference was 15 working
days"), a kind (strength, concern, area for development, or context for a median without a
target), a weight and the address of the audits behind it (template, question, answer value,
repeat group and block) for the internal tier's drill-down.

What is stated:
- yes/partly/no questions: "no" in a large share is a concern; "no" and "partly" together in
  a large share an area for development; "yes" in nearly all a strength;
- choice questions: the options the template marks as a strength, concern or area for
  development, where chosen in a large share;
- repeat groups (e.g. per agency): a block answered no every time ("No GP report was
  received..."), a block answered no in a notable share ("2 of the 7 relevant conferences had
  no health visitor report"), and, where the template phrases it (`same_gap`), the same gap
  across several agencies stated once instead of agency by agency;
- number questions with a unit or phrasing: the median with its unit, a concern or strength
  where the template sets a target.

Sentences use the template's phrasing where it has one (`finding` in the template, see
docs/templates.md) and otherwise quote the question. A hidden count (a partnership threshold
the council set) is never stated: a question with a hidden count gives no finding.
Pure: no database, no Flask."""

import re
from dataclasses import dataclass
from typing import Any

from qa_app.findings import present
from qa_app.findings.present import capital

STRENGTH, CONCERN, DEVELOPMENT, CONTEXT = "strength", "concern", "development", "context"
MIN_ANSWERS = 3  # a question answered fewer times than this gives no finding
MIN_BLOCKS = 2  # nor a repeat block seen fewer times than this
CONCERN_SHARE = 0.25  # "no" in at least this share is a concern
DEVELOPMENT_SHARE = 0.4  # "no" and "partly" together in at least this share: development
STRENGTH_SHARE = 0.9  # "yes" in at least this share (and no "no") is a strength
BLOCK_SHARE = 0.2  # a block answered "no" in at least this share is worth a sentence
CHOICE_SHARES = {CONCERN: 0.2, DEVELOPMENT: 0.3, STRENGTH: 0.5}
SAME_GAP_BLOCKS = 3  # this many blocks with the same gap are stated once, across agencies
DEFAULT_NOUN = {"one": "audit", "many": "audits"}


@dataclass(frozen=True)
class QuestionFinding:
    sentence: str
    kind: str
    weight: float
    template: str
    question: str
    value: str | None = None
    group: str | None = None
    block: str | None = None

    def cell(self) -> dict[str, str]:
        """The drill-down arguments for the audits behind this finding."""
        out = {"template": self.template, "question": self.question}
        for name in ("value", "group", "block"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "kind": self.kind,
            "weight": round(self.weight, 4),
            "cell": self.cell(),
        }


def label_in_sentence(label: str) -> str:
    """A block or option label inside a sentence: "Health visitor" -> "health visitor", but
    "GP" stays "GP"."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _articles(text: str) -> str:
    return re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", text)


def quoted(text: str) -> str:
    return f"“{text.strip()}”"


def noun_of(template: dict[str, Any]) -> dict[str, Any]:
    noun = template.get("noun") or {}
    return noun if noun.get("one") and noun.get("many") else DEFAULT_NOUN


def count_of(x: int, n: int, noun: dict[str, Any], relevant: bool = False) -> str:
    """ "4 of the 12 assessments", "all 12 assessments", "both assessments", "the 1 assessment"."""
    many = ("relevant " if relevant else "") + noun["many"]
    if n == 1:
        return f"the {'relevant ' if relevant else ''}{noun['one']}"
    if x == n:
        return f"both {many}" if n == 2 else f"all {n:,} {many}"
    return f"{x:,} of the {n:,} {many}"


def _yes_partly_no(counts: dict[str, Any]) -> tuple[int, int, int] | None:
    values = [counts.get(k, 0) for k in ("yes", "partly", "no")]
    return None if any(v is None for v in values) else tuple(values)


def _number(value: float) -> str:
    return present.number(value)


def _unit(value: float, unit: str) -> str:
    if not unit:
        return ""
    return " " + (unit[:-1] if value == 1 and unit.endswith("s") else unit)


# ---- questions outside repeat groups ---------------------------------------------------------


def _answer_findings(
    t: dict[str, Any], q: dict[str, Any], noun: dict[str, Any]
) -> list[QuestionFinding]:
    counts = _yes_partly_no(q.get("counts") or {})
    if counts is None:
        return []
    yes, partly, no = counts
    n = yes + partly + no
    if n < MIN_ANSWERS:
        return []
    phrase = q.get("finding") or {}
    base = {"template": t["key"], "question": q["key"]}
    out = []
    if no and no / n >= CONCERN_SHARE:
        out.append(
            QuestionFinding(
                _weak_sentence(q, noun, n, no, partly, phrase, lead="no"),
                CONCERN,
                no / n + 0.25 * partly / n,
                value="no",
                **base,
            )
        )
    elif (no + partly) and (no + partly) / n >= DEVELOPMENT_SHARE:
        lead = "partly" if partly >= no else "no"
        out.append(
            QuestionFinding(
                _weak_sentence(q, noun, n, no, partly, phrase, lead=lead),
                DEVELOPMENT,
                0.5 * (no + partly) / n,
                value=lead,
                **base,
            )
        )
    elif no == 0 and yes / n >= STRENGTH_SHARE:
        if phrase.get("yes"):
            sentence = f"{capital(count_of(yes, n, noun))} {phrase['yes']}."
        else:
            sentence = f"In {count_of(yes, n, noun)} the answer to {quoted(q['text'])} was yes."
        out.append(QuestionFinding(sentence, STRENGTH, yes / n, value="yes", **base))
    return out


def _weak_sentence(
    q: dict[str, Any],
    noun: dict[str, Any],
    n: int,
    no: int,
    partly: int,
    phrase: dict[str, Any],
    lead: str,
) -> str:
    """ "4 of the 12 assessments had no evidence of agency checks and 3 more had agency checks
    for only some of the family." (the larger or leading answer first)."""
    parts = [("no", no), ("partly", partly)]
    if lead == "partly":
        parts.reverse()
    parts = [(value, c) for value, c in parts if c]
    if all(phrase.get(value) for value, _ in parts):
        first_value, first = parts[0]
        sentence = f"{capital(count_of(first, n, noun))} {phrase[first_value]}"
        if len(parts) > 1:
            value, c = parts[1]
            sentence += f" and {c:,} more {phrase[value]}"
        return sentence + "."
    if phrase.get(lead) and len(parts) > 1:
        value, c = parts[1]
        return (
            f"{capital(count_of(parts[0][1], n, noun))} {phrase[lead]} "
            f"({c:,} more {'only partly' if value == 'partly' else 'not at all'})."
        )
    first_value, first = parts[0]
    sentence = f"In {count_of(first, n, noun)} the answer to {quoted(q['text'])} was {first_value}"
    if len(parts) > 1:
        value, c = parts[1]
        sentence += f", and in {c:,} more it was {value}"
    return sentence + "."


def _choice_findings(
    t: dict[str, Any], q: dict[str, Any], noun: dict[str, Any]
) -> list[QuestionFinding]:
    phrase = q.get("finding") or {}
    counts, n = q.get("counts") or {}, q.get("n")
    if not n or n < MIN_ANSWERS:
        return []
    verb = "included" if q["type"] == "multiple_choice" else "was"
    out = []
    for kind in (CONCERN, DEVELOPMENT, STRENGTH):
        for key in phrase.get(kind, []):
            c = counts.get(key)
            if not c or c / n < CHOICE_SHARES[kind]:
                continue
            label = q.get("labels", {}).get(key, key)
            out.append(
                QuestionFinding(
                    f"In {count_of(c, n, noun)} the answer to {quoted(q['text'])} {verb} "
                    f"{quoted(label)}.",
                    kind,
                    (0.9 if kind == CONCERN else 0.6) * c / n,
                    template=t["key"],
                    question=q["key"],
                    value=key,
                )
            )
    return out


def _number_findings(
    t: dict[str, Any], q: dict[str, Any], noun: dict[str, Any]
) -> list[QuestionFinding]:
    phrase = q.get("finding") or {}
    median, n, unit = q.get("median"), q.get("n"), q.get("unit") or ""
    if median is None or not n or n < MIN_ANSWERS or not (unit or phrase.get("median")):
        return []
    value = f"{_number(median)}{_unit(median, unit)}"
    spread = ""
    if q.get("min") is not None and q.get("max") is not None and q["min"] != q["max"]:
        spread = f", from {_number(q['min'])} to {_number(q['max'])}"
    over = f"{n:,} {noun['one'] if n == 1 else noun['many']}"
    if phrase.get("median"):
        sentence = f"The median {phrase['median']} was {value} ({over}{spread})."
    else:
        sentence = f"The median answer to {quoted(q['text'])} was {value} ({over}{spread})."
    kind, weight = CONTEXT, 0.3
    target, better = phrase.get("target"), phrase.get("better")
    if target is not None and better in ("higher", "lower"):
        met = median <= target if better == "lower" else median >= target
        kind = STRENGTH if met else CONCERN
        gap = abs(median - target) / target if target else 1.0
        weight = 0.5 + min(gap, 1.0) / 2
        sentence = sentence[:-2] + f"; the target is {_number(target)}{_unit(target, unit)})."
    return [QuestionFinding(sentence, kind, weight, template=t["key"], question=q["key"])]


# ---- repeat groups (e.g. one block per agency) -----------------------------------------------


def _block_sentence(
    q: dict[str, Any], block: dict[str, Any], noun: dict[str, Any], no: int, n: int, relevant: bool
) -> str:
    phrase = q.get("finding") or {}
    name = label_in_sentence(block["label"])
    many = ("relevant " if relevant else "") + noun["many"]
    if no == n and phrase.get("all_no"):
        return _articles(phrase["all_no"].format(block=name, n=f"{n:,}", noun=many)) + "."
    if phrase.get("no"):
        return _articles(
            f"{capital(count_of(no, n, noun, relevant))} {phrase['no'].format(block=name)}."
        )
    return (
        f"For the {name}, the answer to {quoted(q['text'])} was no in "
        f"{count_of(no, n, noun, relevant)}."
    )


def _repeat_findings(
    t: dict[str, Any], repeat: dict[str, Any], noun: dict[str, Any]
) -> list[QuestionFinding]:
    completed = t.get("completed")
    by_question: dict[str, list[tuple[dict[str, Any], dict[str, Any], int, int, int]]] = {}
    texts: dict[str, dict[str, Any]] = {}
    for block in repeat["blocks"]:
        for q in block["questions"]:
            if q["type"] != "yes_partly_no" or (q.get("finding") or {}).get("practice") is False:
                continue
            counts = _yes_partly_no(q.get("counts") or {})
            if counts is None:
                continue
            yes, partly, no = counts
            n = yes + partly + no
            if n >= MIN_BLOCKS:
                by_question.setdefault(q["key"], []).append((block, q, yes, no, n))
                texts.setdefault(q["key"], q)
    out = []
    base = {"template": t["key"], "group": repeat["key"]}
    for key, rows in by_question.items():
        weak = [r for r in rows if r[3] and r[3] / r[4] >= BLOCK_SHARE]
        gap = (texts[key].get("finding") or {}).get("same_gap")
        pooled = bool(gap) and len(weak) >= SAME_GAP_BLOCKS
        if pooled:
            no = sum(r[3] for r in weak)
            n = sum(r[4] for r in weak)
            parts = [f"{label_in_sentence(b['label'])} {c:,} of {m:,}" for b, _, _, c, m in weak]
            out.append(
                QuestionFinding(
                    f"The same gap across {len(weak)} agencies: {no:,} of their {n:,} reports "
                    f"{gap} ({', '.join(parts)}).",
                    CONCERN if no / n >= 0.5 else DEVELOPMENT,
                    0.95 * no / n + 0.05,
                    question=key,
                    value="no",
                    **base,
                )
            )
        for block, q, yes, no, n in rows:
            relevant = completed is not None and n < completed
            cell = {"question": key, "block": block["key"], **base}
            if no and no / n >= BLOCK_SHARE and not (pooled and no < n):
                share = no / n
                out.append(
                    QuestionFinding(
                        _block_sentence(q, block, noun, no, n, relevant),
                        CONCERN if share >= 0.5 else DEVELOPMENT,
                        0.9 * share + (0.1 if no == n else 0),
                        value="no",
                        **cell,
                    )
                )
            elif yes == n and n >= MIN_ANSWERS and (q.get("finding") or {}).get("yes"):
                name = label_in_sentence(block["label"])
                out.append(
                    QuestionFinding(
                        _articles(
                            f"{capital(count_of(yes, n, noun, relevant))} "
                            f"{q['finding']['yes'].format(block=name)}."
                        ),
                        STRENGTH,
                        0.8,
                        value="yes",
                        **cell,
                    )
                )
    return out


# ---- all together ----------------------------------------------------------------------------


def template_findings(t: dict[str, Any]) -> list[QuestionFinding]:
    """One template's findings, heaviest first."""
    noun = noun_of(t)
    out: list[QuestionFinding] = []
    for q in t.get("questions", []):
        if (q.get("finding") or {}).get("practice") is False:
            continue  # about the audit, not about practice (catalogue._about_the_audit)
        if q["type"] == "yes_partly_no":
            out += _answer_findings(t, q, noun)
        elif q["type"] in ("single_choice", "multiple_choice"):
            out += _choice_findings(t, q, noun)
        elif q["type"] == "number":
            out += _number_findings(t, q, noun)
    for repeat in t.get("repeats", []):
        out += _repeat_findings(t, repeat, noun)
    return sorted(out, key=lambda f: (-f.weight, f.question, f.block or ""))


def question_findings(figures: dict[str, Any]) -> list[QuestionFinding]:
    """Every template's findings, heaviest first."""
    out: list[QuestionFinding] = []
    for t in figures.get("templates", []):
        if t.get("completed"):
            out += template_findings(t)
    return sorted(out, key=lambda f: (-f.weight, f.template, f.question, f.block or ""))


def of_kind(findings: list[QuestionFinding], kind: str, limit: int) -> list[QuestionFinding]:
    return [f for f in findings if f.kind == kind][:limit]
