"""The drafted text of the single-agency report to the safeguarding board.

From a frozen figures snapshot: a first draft of each section's text and the key findings
(strengths, concerns, areas for development) that the QA lead then edits. Pure: no database."""

from qa_app.findings import present
from qa_app.models import ActionStatus
from qa_app.reports.board_form import (
    SECTIONS,
    graded_templates,
    month_words,
    period_words,
)
from qa_app.reports.narrative import grade_split
from qa_app.templates_engine.answers import clean_text

ACTIONS_WERE = "improvement actions were"
# A template's share of audits judged at its lowest grade that is worth a concern, in percent.
NOTABLE_WORST_SHARE = 20
TOP = 3  # strengths and areas for development pre-filled from the themes


def _plural(value, one: str, many: str, limit: int) -> str:
    """A count and its noun in a sentence: "a hidden number of <many>" where it was hidden
    (never "fewer than N": a count hidden secondarily may be large)."""
    return present.count_text(value, many, one)


def count_words(value, limit: int) -> str:
    """A bare count in a sentence: "a hidden number" where it was hidden."""
    return present.count_text(value)


def _were(value) -> str:
    return "was" if value == 1 else "were"


def _template_key_findings(figures: dict, template_key: str, limit: int) -> list[str]:
    """The template's strongest and weakest themes, as two short sentences."""
    rows = next(
        (
            t["themes"]
            for t in figures["findings"]["themes_by_template"]
            if t["template"] == template_key
        ),
        [],
    )
    out = []
    for mark, words in (("strength", "a strength"), ("development", "an area for development")):
        ranked = sorted(
            (r for r in rows if r[mark] and r["n"]),
            key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]),
        )
        if ranked:
            r = ranked[0]
            out.append(
                f"{r['name']} was most often {words} "
                f"({count_words(r[mark], limit)} of {count_words(r['n'], limit)})."
            )
    return out


def draft_sections(figures: dict) -> list[dict]:
    limit = figures["suppression"]["threshold"]
    act = figures["activity"]
    period = period_words(figures)
    texts: dict[str, str] = {}
    texts["key_developments"] = (
        f"From {period}, {_plural(act['audits_completed'], 'case audit', 'case audits', limit)} "
        f"{_were(act['audits_completed'])} completed, "
        f"{_plural(act['practice_weeks'], 'practice week was', 'practice weeks were', limit)} held "
        f"and {_plural(act['actions_completed'], 'improvement action was', ACTIONS_WERE, limit)} "
        "completed."
    )
    rows = figures["indicators"]["rows"]
    reported = [r for r in rows if r["reported"]]
    if reported:
        rags = {c: sum(1 for r in reported if r["rag"] == c) for c in ("green", "amber", "red")}
        rated = sum(rags.values())
        texts["statistics"] = (
            f"{len(reported)} of {len(rows)} indicators were reported for "
            f"{month_words(figures['indicators']['month'])}."
        )
        if rated:
            texts["statistics"] += (
                f" Of the {rated} with a target, {rags['green']} {_were(rags['green'])} on or "
                f"better than target, {rags['amber']} within tolerance and {rags['red']} "
                "outside it."
            )
    else:
        texts["statistics"] = "No indicator values were reported for this period."
    sentences = []
    for t in graded_templates(figures):
        overall = t["overall"]
        s = f"{t['name']}: {_plural(t['completed'], 'audit', 'audits', limit)} completed."
        if overall["n"] != 0:
            split = grade_split(overall, t["scale"]["levels"], limit)
            s += f" Of {count_words(overall['n'], limit)} with an overall grade, {split}."
        s += "".join(" " + x for x in _template_key_findings(figures, t["key"], limit))
        sentences.append(s)
    texts["audit_evidence"] = (
        "\n".join(sentences) or "No case-file audits were completed in this period."
    )
    icpc = figures["icpc"]
    if icpc and icpc["audits"] != 0 and icpc["rows"]:
        parts = []
        for row in icpc["rows"]:
            p = row["provided"]
            parts.append(
                f"{row['label']} {count_words(p['yes'], limit)} of {count_words(p['of'], limit)}"
            )
        texts["icpc"] = (
            f"{_plural(icpc['audits'], 'conference', 'conferences', limit).capitalize()} "
            f"{_were(icpc['audits'])} audited. Written reports provided, by agency: "
            + ", ".join(parts)
            + "."
        )
    else:
        texts["icpc"] = (
            "No audits of reports to initial child protection conferences were completed in "
            "this period."
        )
    conv = figures["conversations"]["counts"]
    texts["frontline_staff"] = (
        f"Senior managers held {_plural(conv['staff'], 'conversation', 'conversations', limit)} "
        "with staff during practice weeks in this period."
    )
    texts["children_families"] = (
        f"Senior managers heard from {_plural(conv['child'], 'child', 'children', limit)} and "
        f"{_plural(conv['parent_carer'], 'parent or carer', 'parents or carers', limit)} in "
        "practice-week conversations held with their consent."
    )
    if icpc and icpc["rows"]:
        views = [row["child"] for row in icpc["rows"]]
        if views and all(v["yes"] is not None and v["of"] is not None for v in views):
            yes, of = sum(v["yes"] for v in views), sum(v["of"] for v in views)
            if of:
                texts["children_families"] += (
                    f" In the audit of reports to child protection conferences, agencies' "
                    f"reports gave the child's views in {yes:,} of {of:,} reports where it "
                    f"applied ({present.percent(yes, of)})."
                )
    texts["learning_reviews"] = ""
    a = figures["actions"]
    texts["action_plan"] = (
        f"The improvement plan has {_plural(a['open'], 'open action', 'open actions', 0)}, "
        f"{a['overdue']:,} of them overdue; "
        f"{_plural(a['completed_in_period'], 'action was', 'actions were', 0)} completed in the "
        "period."
    )
    outcomes = []
    for row in a["rows"]:
        text = clean_text(row["expected_outcome"] or "").strip()
        if row["status"] != ActionStatus.COMPLETE and text and text not in outcomes:
            outcomes.append(text)
    texts["expected_outcomes"] = "\n".join(outcomes)
    return [{"key": key, "title": title, "text": texts[key]} for key, title, _ in SECTIONS]


def draft_key_findings(figures: dict) -> dict:
    """Strengths from the strongest themes, areas for development from the weakest, concerns
    from grade splits where the lowest grade's share is notable and from red indicators."""
    limit = figures["suppression"]["threshold"]
    findings = figures["findings"]
    by_key = {t["key"]: t for t in findings["themes"]}

    def line(key: str, mark: str, words: str) -> str:
        t = by_key[key]
        audits = _plural(t["n"], "audit", "audits", limit)
        return f"{t['name']}: {words} in {count_words(t[mark], limit)} of {audits}."

    concerns = []
    for t in graded_templates(figures):
        levels = t["scale"]["levels"]
        worst = levels[-1] if levels else None
        n = t["overall"]["n"]
        bad = t["overall"]["counts"].get(worst["key"]) if worst else None
        share = present.percent_value(bad, n)
        if share is not None and share >= NOTABLE_WORST_SHARE:
            concerns.append(
                f"{t['name']}: {count_words(bad, limit)} of {_plural(n, 'audit', 'audits', limit)} "
                f"({share}%) judged {worst['label'].lower()}."
            )
    for r in figures["indicators"]["rows"]:
        if r["rag"] == "red":
            concerns.append(f"{r['name']} is outside its target tolerance.")

    def leaning(key: str, mark: str, other: str) -> bool:
        """A theme counts as a strength when it was more often a strength than an area for
        development, and the other way round (hidden counts: listed where ranked)."""
        t = by_key[key]
        return t[mark] is None or t[other] is None or t[mark] >= t[other]

    strengths = [k for k in findings["top_strengths"] if leaning(k, "strength", "development")]
    development = [k for k in findings["top_development"] if leaning(k, "development", "strength")]
    return {
        "strengths": [line(k, "strength", "a strength") for k in strengths[:TOP]],
        "concerns": concerns,
        "development": [
            line(k, "development", "an area for development") for k in development[:TOP]
        ],
    }
