"""Plain sentences drafted from the figures, for the QA lead to edit before publishing.

Every number in a sentence is read from the figures dictionary (a suppressed count reads
"a hidden number", never "fewer than N": a count hidden so that another cannot be worked out
from a total may be large), so the draft says only what the data says. Sentences are short
and in the order a reader asks: how many, how good, what was found, what agrees, what was done.
The sentence pieces it shares with the board report's text are in qa_app.documents.sentences."""

from datetime import date
from typing import Any

from qa_app.documents.sentences import (
    audited,
    audits_phrase,
    count_phrase,
    finding_line,
    grades_sentence,
    lower_first,
    mixed_line,
)
from qa_app.findings import present
from qa_app.findings.present import capital, join_and, was_were
from qa_app.findings.question_findings import (
    CONCERN,
    DEVELOPMENT,
    STRENGTH,
    label_in_sentence,
    of_kind,
    question_findings,
    template_findings,
)
from qa_app.findings.themes import leaning

MIN_FOR_FINDING = 3  # a question is worth a sentence when at least this many audits answered it
QUESTIONS_PER_TEMPLATE = 3


def period_text(figures: dict[str, Any]) -> str:
    period = figures["period"]
    cycle = figures.get("cycle")
    if period["from"] and period["to"]:
        start, end = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    elif cycle:
        start = date.fromisoformat(cycle["period_start"])
        end = date.fromisoformat(cycle["period_end"])
        return f"the cycle {cycle['name']}, {present.period_text(start, end)}"
    else:
        return "all dates"
    return present.period_text(start, end)


def grade_scales(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The overall grades per scale: the templates' distributions added up only within each
    scale. A total over a hidden count is hidden (None), so that it and the other templates'
    counts cannot give the hidden one away; this also reads figures frozen before by_scale."""
    out: dict[str, dict[str, Any]] = {}
    for t in figures["templates"]:
        scale = t["scale"]
        entry = out.setdefault(
            scale["key"],
            {
                "scale": scale["key"],
                "name": scale["name"],
                "levels": scale["levels"],
                "good_or_better_levels": scale["good_or_better"],
                "n": 0,
                "good_or_better": 0,
            },
        )
        for field in ("n", "good_or_better"):
            value = t["overall"][field]
            entry[field] = None if value is None or entry[field] is None else entry[field] + value
    return list(out.values())


def good_or_better_text(scale: dict[str, Any], threshold: int) -> str:
    """'Of the 12 audits graded on the Good / adequate / inadequate scale, 5 (42%) were judged
    good or better (good).' Good or better is each scale's own: never added across scales."""
    labels = {lvl["key"]: lower_first(lvl["label"]) for lvl in scale["levels"]}
    meaning = " or ".join(labels.get(k, k) for k in scale["good_or_better_levels"])
    gob, n = scale["good_or_better"], scale["n"]
    share = f" ({present.percent(gob, n)})" if gob is not None and n is not None else ""
    return (
        f"Of {'the ' if n is not None else ''}{audits_phrase(n, threshold)} graded on the "
        f"{scale['name']} scale, "
        f"{count_phrase(gob, threshold)}{share} {was_were(gob)} judged good or better ({meaning})."
    )


def summary(figures: dict[str, Any], threshold: int) -> str:
    done = figures["totals"]["completed"]
    templates = list(dict.fromkeys(t["key"] for t in figures["templates"] if t["completed"] != 0))
    sentences = [
        f"{capital(audits_phrase(done, threshold))} {was_were(done)} completed "
        f"({period_text(figures)}) across {len(templates)} audit "
        f"template{'' if len(templates) == 1 else 's'}."
    ]
    scales = [s for s in grade_scales(figures) if s["n"] != 0]
    sentences += [good_or_better_text(s, threshold) for s in scales]
    previous = figures.get("previous")
    if previous and previous.get("completed"):
        sentence = (
            "In the previous period of the same length, "
            f"{audits_phrase(previous['completed'], threshold)} "
            f"{was_were(previous['completed'])} completed"
        )
        names = {s["scale"]: s["name"] for s in grade_scales(figures)}
        earlier = [s for s in previous.get("by_scale", []) if s["completed"]]
        same = [s["scale"] for s in earlier] in ([], [s["scale"] for s in scales])
        if "good_or_better" in previous and len(scales) <= 1 and same:
            # the one scale now, and then (figures frozen before by_scale: one assumed)
            sentence += (
                f" and {present.percent(previous['good_or_better'], previous['completed'])} "
                "were judged good or better"
            )
        elif earlier:
            sentence += ": judged good or better, " + join_and(
                [
                    f"{present.percent(s['good_or_better'], s['completed'])} of those graded "
                    f"on the {names.get(s['scale'], s['scale'])} scale"
                    for s in earlier
                ]
            )
        sentences.append(sentence + ".")
    totals = figures["totals"]
    if totals.get("in_progress") or totals.get("not_started"):
        sentences.append(
            f"{capital(present.count_text(totals['in_progress'], 'audits', 'audit'))} "
            f"{'is' if totals['in_progress'] == 1 else 'are'} in progress and "
            f"{count_phrase(totals['not_started'], threshold)} not yet started."
        )
    return " ".join(sentences)


def _answer_sentences(template: dict[str, Any], threshold: int) -> list[str]:
    """The heaviest findings from the questions outside repeat groups: answers that are "no"
    or "partly" in a large share, options marked as a concern, medians with their units."""
    found = [f for f in template_findings(template) if not f.group]
    return [f.sentence for f in found[:QUESTIONS_PER_TEMPLATE]]


def _repeat_sentences(template: dict[str, Any], threshold: int) -> list[str]:
    """The heaviest findings per repeat block (e.g. "No GP report was received for any of the
    9 conferences"), then, per repeat group, its first yes/partly/no question by block label
    (e.g. per agency: report provided)."""
    out = [f.sentence for f in template_findings(template) if f.group][:QUESTIONS_PER_TEMPLATE]
    for repeat in template["repeats"]:
        parts, asked = [], None
        for block in repeat["blocks"]:
            first = next((q for q in block["questions"] if q["type"] == "yes_partly_no"), None)
            if first is None or first["n"] == 0:
                continue
            asked = asked or first["text"]
            yes = count_phrase(first["counts"].get("yes"), threshold)
            of = count_phrase(first["n"], threshold)
            parts.append(f"{label_in_sentence(block['label'])} {yes} of {of}")
        if parts:
            out.append(
                f"Answered yes to “{asked}”, by {lower_first(repeat['repeat_label'])}: "
                f"{join_and(parts)}."
            )
    return out


def template_text(template: dict[str, Any], threshold: int) -> str:
    n = template["completed"]
    if n == 0:
        return "No audits of this kind were completed in this period."
    overall = template["overall"]
    sentences = [f"{capital(audited(template))}."]
    if overall["n"] != 0:
        sentences.append(grades_sentence(overall, template["scale"]["levels"]))
    sentences += _answer_sentences(template, threshold)
    sentences += _repeat_sentences(template, threshold)
    return " ".join(sentences)


def _theme_phrase(theme: dict[str, Any], mark: str, threshold: int) -> str:
    return (
        f"{lower_first(theme['name'])} ({count_phrase(theme[mark], threshold)} of "
        f"{count_phrase(theme['n'], threshold)})"
    )


def _mixed_phrase(theme: dict[str, Any], threshold: int) -> str:
    return (
        f"{lower_first(theme['name'])} ({count_phrase(theme['strength'], threshold)} a strength "
        f"and {count_phrase(theme['development'], threshold)} an area for development, of "
        f"{count_phrase(theme['n'], threshold)})"
    )


def themes_text(figures: dict[str, Any], threshold: int) -> str:
    """The themes that lean most to strength, to development, and those mixed (marked each
    way as often): a theme is named in one list only. Counts are of the audits that
    assessed the theme."""
    by_key = {t["key"]: t for t in figures["themes"]}
    # figures frozen before the tie rule may list a theme in both: keep each where it leans
    strengths = [
        _theme_phrase(by_key[k], "strength", threshold)
        for k in figures["top_strengths"]
        if leaning(by_key[k]) in ("strength", None)
    ]
    areas = [
        _theme_phrase(by_key[k], "development", threshold)
        for k in figures["top_development"]
        if leaning(by_key[k]) in ("development", None)
    ]
    mixed = [_mixed_phrase(by_key[k], threshold) for k in figures.get("top_mixed", [])]
    sentences = []
    if strengths:
        sentences.append(f"Strengths most often recorded: {join_and(strengths)}.")
    if areas:
        sentences.append(f"Areas for development most often recorded: {join_and(areas)}.")
    if mixed:
        sentences.append(
            f"Mixed, as often a strength as an area for development: {join_and(mixed)}."
        )
    return " ".join(sentences) or "No themes were assessed in this period."


def moderation_text(figures: dict[str, Any], threshold: int) -> str:
    m = figures["moderation"]
    if m["moderated"] == 0:
        return "No audits in this period have been moderated yet."
    sentences = [
        f"Moderated: {count_phrase(m['moderated'], threshold)} of "
        f"{audits_phrase(m['completed_audits'], threshold)} "
        f"({present.percent(m['moderated'], m['completed_audits'])})."
    ]
    if m["pairs"] != 0:
        sentences.append(
            f"Moderators agreed with the auditor on {present.percent(m['agreed'], m['pairs'])} "
            f"of {present.count_text(m['pairs'], 'graded judgements', 'graded judgement')}."
        )
    for k in m["kappa"]:
        if k["kappa"] is not None:
            sentences.append(
                f"Weighted kappa on the {k['name']} scale was {present.kappa(k['kappa'])} "
                f"({k['words']} agreement, "
                f"{present.count_text(k['n'], 'judgements', 'judgement')})."
            )
    if m["changed_up"] != 0 or m["changed_down"] != 0:
        sentences.append(
            f"The overall grade was raised in {count_phrase(m['changed_up'], threshold)} and "
            f"lowered in {count_phrase(m['changed_down'], threshold)} of the moderated audits."
        )
    return " ".join(sentences)


def actions_text(figures: dict[str, Any], threshold: int) -> str:
    a, c = figures["actions"], figures["concerns"]
    sentences = []
    if any(v != 0 for v in a.values()):
        sentences.append(
            "Auditors raised actions for children's cases: "
            f"{count_phrase(a['completed'], threshold)} completed, "
            f"{count_phrase(a['open'], threshold)} open and "
            f"{count_phrase(a['overdue'], threshold)} overdue."
        )
    else:
        sentences.append("No actions for children's cases were raised.")
    if any(v != 0 for v in c.values()):
        sentences.append(
            f"Urgent concerns escalated: {count_phrase(c['signed_off'], threshold)} signed off, "
            f"{count_phrase(c['responded'], threshold)} answered and awaiting sign-off, "
            f"{count_phrase(c['open'], threshold)} awaiting a response and "
            f"{count_phrase(c['overdue'], threshold)} overdue."
        )
    return " ".join(sentences)


def template_section_key(template: dict[str, Any], figures: dict[str, Any]) -> str:
    """The key of a template's section of a cycle report: "template:<key>", with the scale
    where the template has an entry on two scales (history is never pooled across scales)."""
    same = [t for t in figures["templates"] if t["key"] == template["key"]]
    if len(same) > 1 and same[0] is not template:
        return f"template:{template['key']}:{template['scale']['key']}"
    return f"template:{template['key']}"


def draft_sections(figures: dict[str, Any], threshold: int) -> list[dict[str, Any]]:
    """The narrative sections of a cycle report, drafted."""
    sections = [{"key": "summary", "title": "Summary", "text": summary(figures, threshold)}]
    for t in figures["templates"]:
        sections.append(
            {
                "key": template_section_key(t, figures),
                "title": t["name"],
                "text": template_text(t, threshold),
            }
        )
    return sections + [
        {"key": "themes", "title": "Themes", "text": themes_text(figures, threshold)},
        {"key": "moderation", "title": "Moderation", "text": moderation_text(figures, threshold)},
        {
            "key": "actions",
            "title": "Actions and escalations",
            "text": actions_text(figures, threshold),
        },
    ]


KEY_FINDINGS_PER_KIND = 8  # question findings per list of key findings


def _leaning(theme: dict[str, Any], mark: str, other: str) -> bool:
    """A theme is listed as a strength only when it was more often a strength than an area
    for development, and the other way round: never both."""
    return theme[mark] is not None and theme[other] is not None and theme[mark] > theme[other]


def draft_key_findings(figures: dict[str, Any], threshold: int) -> dict[str, Any]:
    """Strengths, concerns and areas for development: the heaviest question findings first
    ("4 of the 12 assessments had no evidence of agency checks"), then the themes most often
    marked a strength or an area for development."""
    by_key = {t["key"]: t for t in figures["themes"]}
    found = question_findings(figures)

    def line(key: str, mark: str, words: str) -> str:
        theme = by_key[key]
        return (
            f"{theme['name']}: {words} in {count_phrase(theme[mark], threshold)} of "
            f"{audits_phrase(theme['n'], threshold)}."
        )

    def questions(kind: str) -> list[str]:
        return [finding_line(f, figures) for f in of_kind(found, kind, KEY_FINDINGS_PER_KIND)]

    strengths = questions(STRENGTH) + [
        line(k, "strength", "a strength")
        for k in figures["top_strengths"]
        if k in by_key and _leaning(by_key[k], "strength", "development")
    ]
    development = (
        questions(DEVELOPMENT)
        + [
            line(k, "development", "an area for development")
            for k in figures["top_development"]
            if k in by_key and _leaning(by_key[k], "development", "strength")
        ]
        + [mixed_line(by_key[k]) for k in figures.get("top_mixed", []) if k in by_key]
    )
    return {
        "strengths": strengths[:KEY_FINDINGS_PER_KIND],
        "concerns": questions(CONCERN),
        "development": development[:KEY_FINDINGS_PER_KIND],
    }
