"""Sentence pieces shared by the cycle report's narrative (qa_app.documents.narrative) and the
board report's text (qa_app.documents.board_text): counts as they read in a sentence (a
suppressed count reads "a hidden number", never "fewer than N"), grades as they read after
"judged", how many of a template's audits were done, a question finding as a key finding, and
a theme marked as often one way as the other. Pure: reads only the figures dictionary."""

from typing import Any

from qa_app.findings import present
from qa_app.findings.present import join_and, was_were
from qa_app.findings.question_findings import QuestionFinding, label_in_sentence, noun_of


def count_phrase(n: int | None, threshold: int) -> str:
    """A count in a sentence: "a hidden number" where it was suppressed."""
    return present.count_text(n)


def audits_phrase(n: int | None, threshold: int) -> str:
    return present.count_text(n, "audits", "audit")


def lower_first(label: str) -> str:
    return label[:1].lower() + label[1:] if label else label


def judged(label: str) -> str:
    """A grade as it reads after "judged": "good", "inadequate", "to require improvement to
    be good" (never "judged requires improvement to be good")."""
    words = lower_first(label)
    if words.startswith("requires "):
        return "to require " + words.removeprefix("requires ")
    return words


def grade_split(distribution: dict[str, Any], levels: list[dict[str, Any]], threshold: int) -> str:
    """'5 were judged good, 5 were judged to require improvement to be good and 1 was judged
    inadequate' (levels with no audits left out)."""
    parts = []
    for level in levels:
        n = distribution["counts"].get(level["key"])
        if n == 0:
            continue
        parts.append(f"{count_phrase(n, threshold)} {was_were(n)} judged {judged(level['label'])}")
    return join_and(parts)


def audited(template: dict[str, Any]) -> str:
    """ "12 assessments were audited" where the template names what it audits, otherwise
    "12 audits were completed"."""
    n = template["completed"]
    noun = noun_of(template)
    verb = "completed" if noun["many"] == "audits" else "audited"
    return f"{present.count_text(n, noun['many'], noun['one'])} {was_were(n)} {verb}"


def finding_line(finding: QuestionFinding, figures: dict[str, Any]) -> str:
    """A question finding as a key finding: its sentence, led by the template's name where the
    template has no noun of its own ("4 of the 12 audits..." would not say which audits)."""
    template = next((t for t in figures["templates"] if t["key"] == finding.template), None)
    if template is not None and not (template.get("noun") or {}).get("many"):
        return f"{template['name']}: {label_in_sentence(finding.sentence)}"
    return finding.sentence


def grades_sentence(overall: dict[str, Any], levels: list[dict[str, Any]]) -> str:
    """How a template's audits were judged, as one sentence that reads right whatever is
    hidden: "Of the 12 with an overall grade, 5 were judged good…"; where the total is hidden,
    "Of those with an overall grade, …"; where every grade is, that the split is not published."""
    counts = [overall["counts"].get(level["key"]) for level in levels]
    if counts and all(c is None for c in counts):
        return "The split by grade is not published: its counts are too small."
    split = grade_split(overall, levels, 0)
    if overall["n"] is None:
        return f"Of those with an overall grade, {split}."
    return f"Of the {overall['n']:,} with an overall grade, {split}."


def mixed_line(theme: dict[str, Any]) -> str:
    """A theme as often a strength as an area for development: practice that varies, said
    once, never as both a strength and an area for development."""
    return (
        f"{theme['name']}: mixed, a strength in {count_phrase(theme['strength'], 0)} and an "
        f"area for development in {count_phrase(theme['development'], 0)} of the "
        f"{audits_phrase(theme['n'], 0)} that assessed it."
    )
