"""The drafted text of the single-agency report to the safeguarding board.

From a frozen figures snapshot: a first draft of each section's text and the key findings
(strengths, concerns, areas for development) that the QA lead then edits, and the prompts
offered beside the key developments box (the period's facts, never drafted as the text: a
development is the service's news, written by the QA lead). The evidence from case-file
audits leads with the question findings that matter (qa_app.findings.question_findings).
Every count agrees with its verb ("1 was", "6 were"); a count of nothing is left out rather
than stated as a development. Pure: no database."""

from typing import Any

from qa_app.documents.board_form import (
    ICPC_TEMPLATE,
    SECTIONS,
    graded_templates,
    month_words,
)
from qa_app.documents.sentences import (
    audited,
    finding_line,
    grades_sentence,
    mixed_line,
)
from qa_app.findings import present
from qa_app.findings.present import capital, join_and, was_were
from qa_app.findings.question_findings import (
    CONCERN,
    CONTEXT,
    DEVELOPMENT,
    STRENGTH,
    QuestionFinding,
    count_of,
    noun_of,
    of_kind,
    question_findings,
    template_findings,
)
from qa_app.models import ActionStatus
from qa_app.templates_engine.answers import clean_text

# A template's share of audits judged at its lowest grade that is worth a concern, in percent.
NOTABLE_WORST_SHARE = 20
TOP = 3  # themes pre-filled as strengths and areas for development
PER_KIND = 8  # question findings per list of key findings
PER_TEMPLATE = 5  # question findings per template in the evidence section
PER_ICPC = 10  # findings per agency in the ICPC section


def _plural(value: int | None, one: str, many: str) -> str:
    """A count and its noun: "1 audit", "6 audits", "a hidden number of audits"."""
    return present.count_text(value, many, one)


def count_words(value: int | None) -> str:
    return present.count_text(value)


def _themes_of(figures: dict[str, Any], template_key: str) -> list[dict[str, Any]]:
    return next(
        (
            t["themes"]
            for t in figures["findings"]["themes_by_template"]
            if t["template"] == template_key
        ),
        [],
    )


def _template_key_findings(figures: dict[str, Any], template_key: str) -> list[str]:
    """The template's theme most often a strength and most often an area for development,
    taken only from the overall top lists, and only where the theme leans that way (more
    often a strength than an area for development, or the other way round: never both)."""
    rows = {r["key"]: r for r in _themes_of(figures, template_key)}
    tops = {
        "strength": figures["findings"].get("top_strengths", []),
        "development": figures["findings"].get("top_development", []),
    }
    out = []
    for mark, other, words in (
        ("strength", "development", "a strength"),
        ("development", "strength", "an area for development"),
    ):
        ranked = sorted(
            (
                rows[k]
                for k in tops[mark]
                if k in rows
                and rows[k]["n"]
                and rows[k][mark] is not None
                and rows[k][other] is not None
                and rows[k][mark] > rows[k][other]
            ),
            key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]),
        )
        if ranked:
            r = ranked[0]
            out.append(
                f"{r['name']} was most often {words} "
                f"({count_words(r[mark])} of {count_words(r['n'])})."
            )
    mixed = [rows[k] for k in figures["findings"].get("top_mixed", []) if k in rows]
    tied = [r for r in mixed if r["strength"] is not None and r["strength"] == r["development"]]
    if tied:
        out.append(mixed_line(tied[0]))
    return out


def development_prompts(figures: dict[str, Any]) -> list[str]:
    """The period's facts offered beside the key developments box, for the QA lead to draw
    on: only what happened (a count of nothing is not a development)."""
    prompts = []
    audited = [f"{t['name']} {t['completed']:,}" for t in graded_templates(figures)]
    if audited:
        prompts.append("Case-file audits completed: " + join_and(audited) + ".")
    act = figures["activity"]
    if act["practice_weeks"]:
        prompts.append(
            f"{capital(_plural(act['practice_weeks'], 'practice week', 'practice weeks'))} "
            f"{was_were(act['practice_weeks'])} held."
        )
    if act["actions_completed"]:
        prompts.append(
            f"{capital(_plural(act['actions_completed'], 'improvement action', 'improvement actions'))} "  # noqa: E501
            f"{was_were(act['actions_completed'])} completed."
        )
    reviews = figures.get("reviews") or []
    if reviews:
        prompts.append(
            f"{capital(_plural(len(reviews), 'review', 'reviews'))} recorded for learning: "
            + join_and([r["name"] for r in reviews])
            + "."
        )
    red = [r["name"] for r in figures["indicators"]["rows"] if r.get("rag") == "red"]
    if red:
        prompts.append("Outside target tolerance: " + join_and(red) + ".")
    return prompts


INDICATOR = {"one": "indicator", "many": "indicators"}
RAG_TEXT = {
    "green": "on or better than its target",
    "amber": "within tolerance of its target",
    "red": "outside its target tolerance",
}


def _statistics(figures: dict[str, Any]) -> str:
    rows = figures["indicators"]["rows"]
    reported = [r for r in rows if r["reported"]]
    if not reported:
        return "No indicator values were reported for this period."
    month = month_words(figures["indicators"]["month"])
    n = len(reported)
    text = f"{capital(count_of(n, len(rows), INDICATOR))} {was_were(n)} reported for {month}."
    rated = [r for r in reported if r["rag"] in RAG_TEXT]
    if len(rated) == 1:
        r = rated[0]
        subject = "It" if n == 1 else r["name"]
        return text + f" {subject} was {RAG_TEXT[r['rag']]}."
    rags = {c: sum(1 for r in rated if r["rag"] == c) for c in RAG_TEXT}
    parts = []
    if rags["green"]:
        parts.append(f"{rags['green']:,} {was_were(rags['green'])} on or better than target")
    if rags["amber"]:
        parts.append(f"{rags['amber']:,} {was_were(rags['amber'])} within tolerance")
    if rags["red"]:
        parts.append(f"{rags['red']:,} {was_were(rags['red'])} outside it")
    if rated:
        text += f" Of the {len(rated):,} with a target, {join_and(parts)}."
    return text


def _template_evidence(figures: dict[str, Any], t: dict[str, Any]) -> list[str]:
    """A template's lines: how many were audited and how they were judged, then its heaviest
    question findings, then its themes."""
    overall = t["overall"]
    first = f"{t['name']}: {audited(t)}."
    if overall["n"] != 0:
        first += " " + grades_sentence(overall, t["scale"]["levels"])
    found = [
        f.sentence
        for f in template_findings(t)
        if not (t["key"] == ICPC_TEMPLATE and f.group)  # those lead the ICPC section
    ][:PER_TEMPLATE]
    themes = _template_key_findings(figures, t["key"])
    return [first, *found, *([" ".join(themes)] if themes else [])]


def _icpc(figures: dict[str, Any]) -> str:
    icpc = figures["icpc"]
    if not (icpc and icpc["audits"] != 0 and icpc["rows"]):
        return (
            "No audits of reports to initial child protection conferences were completed in "
            "this period."
        )
    lines = [
        f"{capital(_plural(icpc['audits'], 'conference', 'conferences'))} "
        f"{was_were(icpc['audits'])} audited."
    ]
    template = next(
        (t for t in figures["findings"]["templates"] if t["key"] == ICPC_TEMPLATE), None
    )
    if template is not None:
        lines += [f.sentence for f in template_findings(template) if f.group][:PER_ICPC]
    parts = []
    for row in icpc["rows"]:
        p = row["provided"]
        parts.append(f"{row['label']} {count_words(p['yes'])} of {count_words(p['of'])}")
    lines.append("Written reports provided, by agency: " + ", ".join(parts) + ".")
    return "\n".join(lines)


def _conversations(figures: dict[str, Any]) -> tuple[str, str]:
    conv = figures["conversations"]["counts"]
    staff = conv["staff"]
    if staff == 0:
        frontline = "No practice-week conversations with staff were recorded in this period."
    else:
        frontline = (
            f"Senior managers held {_plural(staff, 'conversation', 'conversations')} with "
            "staff during practice weeks in this period."
        )
    heard = [
        _plural(conv["child"], "child", "children") if conv["child"] != 0 else "",
        _plural(conv["parent_carer"], "parent or carer", "parents or carers")
        if conv["parent_carer"] != 0
        else "",
    ]
    heard = [h for h in heard if h]
    if heard:
        families = (
            f"Senior managers heard from {join_and(heard)} in practice-week conversations held "
            "with their consent."
        )
    else:
        families = "No practice-week conversations with children or families were recorded."
    icpc = figures["icpc"]
    if icpc and icpc["rows"]:
        views = [row["child"] for row in icpc["rows"]]
        if views and all(v["yes"] is not None and v["of"] is not None for v in views):
            yes, of = sum(v["yes"] for v in views), sum(v["of"] for v in views)
            if of:
                report = {"one": "report", "many": "reports"}
                families += (
                    " In the audit of reports to child protection conferences, agencies' "
                    f"reports gave the child's views in {count_of(yes, of, report)} where it "
                    f"applied ({present.percent(yes, of)})."
                )
    return frontline, families


def _action_plan(figures: dict[str, Any]) -> str:
    a = figures["actions"]
    if a["open"] == 0 and a["completed_in_period"] == 0:
        return "The improvement plan has no open actions and none was completed in the period."
    parts = []
    if a["open"]:
        overdue = (
            f", {a['overdue']:,} of them overdue"
            if a["overdue"] and a["open"] > 1
            else (", and it is overdue" if a["overdue"] else "")
        )
        parts.append(
            f"The improvement plan has {_plural(a['open'], 'open action', 'open actions')}"
            + overdue
        )
    else:
        parts.append("The improvement plan has no open actions")
    done = a["completed_in_period"]
    if done:
        parts.append(
            f"{_plural(done, 'action', 'actions')} {was_were(done)} completed in the period"
        )
    return "; ".join(parts) + "."


def learning_text(figures: dict[str, Any]) -> str:
    """Each review recorded for the period: its name, date, recommendations and the
    improvement actions answering each (from figures["reviews"], when there are any)."""
    lines = []
    for review in figures.get("reviews") or []:
        head = review["name"]
        if review.get("reference"):
            head += f" ({review['reference']})"
        if review.get("published_on_text"):
            head += f", {review['published_on_text']}"
        lines.append(head + ".")
        for i, rec in enumerate(review.get("recommendations", []), start=1):
            line = f"Recommendation {i}: {rec['text'].rstrip('.')}."
            actions = rec.get("actions") or []
            if actions:
                line += (
                    " Answered by "
                    + join_and(
                        [f"action {a['number']} ({a['status_label'].lower()})" for a in actions]
                    )
                    + "."
                )
            else:
                line += " No improvement action answers it yet."
            lines.append(line)
    return "\n".join(lines)


def draft_sections(figures: dict[str, Any]) -> list[dict[str, Any]]:
    texts: dict[str, str] = {"key_developments": ""}  # the QA lead's, with prompts beside it
    texts["statistics"] = _statistics(figures)
    lines = []
    for t in graded_templates(figures):
        lines += _template_evidence(figures, t)
    texts["audit_evidence"] = (
        "\n".join(lines) or "No case-file audits were completed in this period."
    )
    texts["icpc"] = _icpc(figures)
    texts["frontline_staff"], texts["children_families"] = _conversations(figures)
    texts["learning_reviews"] = learning_text(figures)
    texts["action_plan"] = _action_plan(figures)
    outcomes = []
    for row in figures["actions"]["rows"]:
        text = clean_text(row["expected_outcome"] or "").strip()
        if row["status"] != ActionStatus.COMPLETE and text and text not in outcomes:
            outcomes.append(text)
    texts["expected_outcomes"] = "\n".join(outcomes)
    return [{"key": key, "title": title, "text": texts[key]} for key, title, _ in SECTIONS]


def board_question_findings(figures: dict[str, Any]) -> list[QuestionFinding]:
    """The question findings of the snapshot, heaviest first (medians without a target are
    context, stated in the evidence but not listed as key findings)."""
    return [f for f in question_findings(figures["findings"]) if f.kind != CONTEXT]


def draft_key_findings(figures: dict[str, Any]) -> dict[str, Any]:
    """Strengths, concerns and areas for development, each led by the heaviest question
    findings; concerns also from grade splits where the lowest grade's share is notable and
    from indicators outside their target tolerance; strengths and areas for development then
    from the themes (only those that lean that way)."""
    findings = figures["findings"]
    by_key = {t["key"]: t for t in findings["themes"]}
    found = board_question_findings(figures)

    def questions(kind: str) -> list[str]:
        return [finding_line(f, findings) for f in of_kind(found, kind, PER_KIND)]

    def line(key: str, mark: str, words: str) -> str:
        t = by_key[key]
        audits = _plural(t["n"], "audit", "audits")
        return f"{t['name']}: {words} in {count_words(t[mark])} of {audits}."

    concerns = questions(CONCERN)
    for t in graded_templates(figures):
        levels = t["scale"]["levels"]
        worst = levels[-1] if levels else None
        n = t["overall"]["n"]
        bad = t["overall"]["counts"].get(worst["key"]) if worst else None
        share = present.percent_value(bad, n)
        if worst is not None and share is not None and share >= NOTABLE_WORST_SHARE:
            noun = noun_of(t)
            concerns.append(
                f"{t['name']}: {count_words(bad)} of the {_plural(n, noun['one'], noun['many'])} "
                f"with an overall grade ({share}%) {was_were(bad)} judged "
                f"{worst['label'].lower()}."
            )
    for r in figures["indicators"]["rows"]:
        if r["rag"] == "red":
            unit = "%" if r["unit"] == "percentage" else ""
            concerns.append(
                f"{r['name']} is outside its target tolerance ({present.number(r['value'])}"
                f"{unit} against a target of {present.number(r['target'])}{unit})."
            )

    def leaning(key: str, mark: str, other: str) -> bool:
        t = by_key.get(key)
        if not t:
            return False
        return t[mark] is not None and t[other] is not None and t[mark] > t[other]

    strengths = (
        questions(STRENGTH)
        + [
            line(k, "strength", "a strength")
            for k in findings["top_strengths"]
            if leaning(k, "strength", "development")
        ][:TOP]
    )
    development = (
        questions(DEVELOPMENT)
        + [
            line(k, "development", "an area for development")
            for k in findings["top_development"]
            if leaning(k, "development", "strength")
        ][:TOP]
        + [mixed_line(by_key[k]) for k in findings.get("top_mixed", []) if k in by_key][:TOP]
    )
    return {"strengths": strengths, "concerns": concerns, "development": development}
