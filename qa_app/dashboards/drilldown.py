"""The drill-down's helpers: checking the cell a drill-down address asks for, describing it in
words, one row of the list of audits, and the page links. The page itself is
`qa_app.dashboards.routes.audits`."""

from flask import url_for

from qa_app.charts import findings as charts
from qa_app.dashboards.forms import FilterForm
from qa_app.data.cycles import STATUS_LABELS
from qa_app.findings import Filters
from qa_app.findings.audits_behind import GOOD_OR_BETTER, Cell
from qa_app.findings.catalogue import Catalogue
from qa_app.findings.summaries import month_label
from qa_app.rules.uk_time import uk_date


def _cell_problems(cell: Cell) -> list[str]:
    problems = []
    if cell.status and cell.status not in STATUS_LABELS:
        problems.append("'status' must be one of " + ", ".join(sorted(STATUS_LABELS)))
    if cell.mark and cell.mark not in charts.MARKS:
        problems.append("'mark' must be strength, development or not_seen")
    if cell.mark and not cell.theme:
        problems.append("'mark' needs a 'theme'")
    for name in ("value", "group", "block"):
        if getattr(cell, name) and not cell.question:
            problems.append(f"'{name}' needs a 'question'")
    if cell.block and not cell.group:
        problems.append("'block' needs a 'group'")
    return problems


def _labels(catalogue: Catalogue, template_key: str | None):
    """Templates to look names up in: the filtered template first, then the rest."""
    infos = catalogue.ordered()
    return sorted(infos, key=lambda t: t.key != template_key)


def _grade_label(infos, key: str) -> str:
    if key == GOOD_OR_BETTER:
        return "good or better"
    for t in infos:
        for level in t.levels:
            if level["key"] == key:
                return level["label"]
    return key


def _describe(f: Filters, cell: Cell, catalogue: Catalogue, form: FilterForm) -> str:
    """What was asked for, in words: 'Single assessment audits judged Good, completed
    1 Dec 2025 – 30 Nov 2026'."""
    infos = _labels(catalogue, f.template)
    if f.template:
        name = next((t.name for t in infos if t.key == f.template), None)
        subject = f"{name or form.name_of('template', f.template)} audits"
    else:
        subject = "Audits"
    parts = []
    if cell.status:
        parts.append(f"with the status '{STATUS_LABELS[cell.status]}'")
    if cell.section:
        title = next(
            (title for t in infos for key, title in t.sections if key == cell.section),
            cell.section,
        )
        if cell.grade:
            parts.append(f"whose section '{title}' was judged {_grade_label(infos, cell.grade)}")
        else:
            parts.append(f"with a grade for the section '{title}'")
    elif cell.grade:
        parts.append(f"judged {_grade_label(infos, cell.grade)}")
    if cell.theme:
        theme = catalogue.theme_names().get(cell.theme, cell.theme)
        marks = {
            "strength": "as a strength",
            "development": "as an area for development",
            "not_seen": "as not seen",
        }
        parts.append(f"with the theme '{theme}' marked " + marks.get(cell.mark or "", "at all"))
    if cell.question:
        q = next((t.questions[cell.question] for t in infos if cell.question in t.questions), None)
        text = q.text if q else cell.question
        words = f"answering '{text}'"
        if cell.value:
            words += f" with '{q.labels.get(cell.value, cell.value) if q else cell.value}'"
        if cell.group and cell.block:
            repeat = next((t.repeats[cell.group] for t in infos if cell.group in t.repeats), None)
            label = repeat["options"].get(cell.block, cell.block) if repeat else cell.block
            words += f" for {label}"
        parts.append(words)
    if cell.month:
        parts.append(f"completed in {month_label(cell.month)}")
    if cell.moderation == "completed":
        parts.append("that have been moderated")
    elif cell.moderation:
        parts.append("waiting for moderation")
    dated = "created or completed" if cell.status else "completed"
    parts.append(form.describe(f, dated=dated))
    return subject + " " + ", ".join(parts)


def _audit_row(audit, catalogue: Catalogue) -> dict:
    info = catalogue.templates.get(catalogue.template_of.get(audit.template_version_id))
    labels = {lvl["key"]: lvl["label"] for lvl in info.levels} if info else {}
    case = audit.case
    return {
        "id": audit.id,
        "reference": case.case_reference,
        "template": info.name if info else "",
        "auditor": audit.auditor.display_name if audit.auditor else "Not assigned",
        "team": case.team.name if case.team else "No team recorded",
        "completed": uk_date(audit.submitted_at) or "Not completed",
        "grade": labels.get(audit.overall_grade, audit.overall_grade or "Not graded"),
        "status": STATUS_LABELS.get(audit.status, audit.status),
    }


def _pagination(page: int, pages: int, args: dict) -> dict | None:
    """govukPagination parameters: first, last and the pages either side of this one."""
    if pages <= 1:
        return None

    def href(n: int) -> str:
        return url_for("dashboards.audits", **args, page=n)

    items: list[dict[str, object]] = []
    last = 0
    for n in range(1, pages + 1):
        if n in (1, pages) or abs(n - page) <= 1:
            if last and n - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": n, "href": href(n), "current": n == page})
            last = n
    out: dict[str, object] = {"items": items}
    if page > 1:
        out["previous"] = {"href": href(page - 1)}
    if page < pages:
        out["next"] = {"href": href(page + 1)}
    return out
