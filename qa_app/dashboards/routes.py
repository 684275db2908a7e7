"""Findings dashboards: the overview, one template, themes, teams and localities, and the
drill-down from any number to the audits behind it.

Every page reads its filters from the URL, computes the figures once, and for a reader who
may not see case records (a board viewer) shows the suppressed copy: small counts as
"fewer than N", no links to audits, no per-auditor figures."""

from dataclasses import dataclass, replace
from datetime import date
from math import ceil

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from qa_app.charts import layout
from qa_app.charts.svg import FONT_SIZE, scene_svg
from qa_app.dashboards import charts
from qa_app.dashboards.forms import FIELD_IDS, FilterForm, day, period_words
from qa_app.data.audit_access import visible_filter
from qa_app.data.cycles import STATUS_LABELS
from qa_app.data.organisation import get_settings
from qa_app.data.templates import get_template
from qa_app.findings import Filters, compute_findings, present, queries
from qa_app.findings.catalogue import Catalogue
from qa_app.findings.drilldown import Cell, audits_behind
from qa_app.findings.filters import last_twelve_months
from qa_app.findings.suppression import suppress
from qa_app.security import may, requires

bp = Blueprint("dashboards", __name__, url_prefix="/findings", template_folder="templates")
PAGE_SIZE = 50
# Chart widths in CSS pixels at the widest layout, so chart text reads at the page's size:
# half of the 960px page (the table beside it), and two thirds of it.
HALF, TWO_THIRDS = 440, 600
GRADED_CHOICES = ("single_choice", "multiple_choice", "grade")


@dataclass
class FindingsView:
    """What every findings page shares: who is reading, the filters, the figures."""

    case_level: bool  # may see case records: numbers link to audits, nothing suppressed
    threshold: int
    filters: Filters  # from the URL, with the default period filled in
    scope: Filters  # what the figures cover (the template page adds its template)
    form: FilterForm
    raw: dict
    figures: dict

    @classmethod
    def from_request(
        cls, *, template_key: str | None = None, compare_previous: bool = False
    ) -> "FindingsView":
        """The view for this request; `compare_previous` also computes the period before
        (only the overview shows it)."""
        case_level = may(current_user, "view_all_audits")
        args = {k: v for k, v in request.args.items() if k in FIELD_IDS}
        filters, errors = Filters.from_args(args)
        if not case_level:  # no per-auditor figures outside the case-level tier
            filters = replace(filters, auditor_id=None)
            errors.pop("auditor", None)
            args.pop("auditor", None)
        if filters.date_from is None and filters.date_to is None:
            filters = filters.with_period(*last_twelve_months(date.today()))
            if "from" not in errors and "to" not in errors:
                args["from"], args["to"] = (
                    filters.date_from.isoformat(),
                    filters.date_to.isoformat(),
                )
        scope = replace(filters, template=template_key) if template_key else filters
        threshold = get_settings().small_number_threshold
        raw = compute_findings(
            scope, compare_previous=compare_previous, include_answers=template_key is not None
        )
        return cls(
            case_level=case_level,
            threshold=threshold,
            filters=filters,
            scope=scope,
            form=FilterForm.load(args, errors, with_auditor=case_level),
            raw=raw,
            figures=raw if case_level else suppress(raw, threshold),
        )

    def drill(self, cell: dict) -> str | None:
        """The drill-down address for a figure, or None where numbers are not links."""
        if not self.case_level:
            return None
        return url_for("dashboards.audits", **{**self.scope.to_args(), **cell})

    def query(self, *without: str) -> dict:
        """The filters as URL arguments, for links between the findings pages."""
        return {k: v for k, v in self.filters.to_args().items() if k not in without}

    def tabs(self, current: str) -> list[dict]:
        in_scope = [t["key"] for t in self.figures["templates"]]
        template_key = (
            self.scope.template
            or (in_scope[0] if in_scope else None)
            or (self.form.templates[0][0] if self.form.templates else None)
        )
        query = self.query("template")
        out = [("overview", "Overview", url_for("dashboards.overview", **self.query()))]
        if template_key:
            out.append(
                (
                    "template",
                    "By template",
                    url_for("dashboards.template", key=template_key, **query),
                )
            )
        out.append(("themes", "Themes", url_for("dashboards.themes", **self.query())))
        out.append(("teams", "Teams and localities", url_for("dashboards.teams", **self.query())))
        return [{"key": k, "text": t, "href": h, "current": k == current} for k, t, h in out]


def _render(page: str, view: FindingsView, current: str, **context):
    heading = context.pop("title")
    context.setdefault("open_filters", False)
    context.setdefault("hide_template_filter", False)
    context.setdefault("marks", charts.MARKS)
    return render_template(
        f"dashboards/{page}.html",
        view=view,
        figures=view.figures,
        tabs=view.tabs(current),
        threshold=view.threshold,
        drill=view.drill if view.case_level else None,
        chart=_chart_svg,
        count=lambda n: present.count(n, view.threshold),
        percent=charts.share,
        percent_value=present.percent_value,
        kappa=present.kappa,
        number=present.number,
        month_label=present.month_label,
        day=day,
        plural=lambda n: "" if n == 1 else "s",
        period=period_words(view.filters),
        heading=heading,
        title=("Error: " if view.form.errors else "") + heading,
        **context,
    )


def _chart_svg(chart, id_prefix: str, width: int = HALF) -> Markup:
    """A chart as inline SVG laid out for the column it sits in (it still scales down with
    the column on a narrow screen). The wrapper gives its text the page's font."""
    svg = scene_svg(layout(chart, width, FONT_SIZE), id_prefix)
    return Markup('<div class="govuk-body">') + svg + Markup("</div>")


# ---- overview -------------------------------------------------------------------------------


@bp.route("/")
@requires("view_findings")
def overview():
    view = FindingsView.from_request(compare_previous=True)
    figures = view.figures
    gob, graded = charts.good_or_better_total(view.raw)
    if not view.case_level:
        gob, graded = charts.hide(gob, view.threshold), charts.hide(graded, view.threshold)
    grade_charts = {
        t["key"]: charts.grade_chart(
            f"{t['name']}: overall grades", t["overall"], t["scale"]["levels"], view.threshold
        )
        for t in figures["templates"]
    }
    previous = figures["previous"]
    comparison = None
    if previous:
        comparison = {
            "period": previous["period"],
            "completed": previous["completed"],
            "good_or_better": previous["good_or_better"],
            "moved": charts.moved_themes(figures["themes"], previous["themes"]),
        }
    return _render(
        "overview",
        view,
        "overview",
        title="Findings",
        gob=gob,
        graded=graded,
        month_chart=charts.good_or_better_by_month(
            figures["by_month"], "Audits judged good or better, by month"
        ),
        grade_charts=grade_charts,
        top_strengths=charts.top_themes(figures, "strength"),
        top_development=charts.top_themes(figures, "development"),
        comparison=comparison,
        date_of=date.fromisoformat,
    )


# ---- one template ---------------------------------------------------------------------------


@bp.route("/templates/<key>")
@requires("view_findings")
def template(key: str):
    found = get_template(key)
    if found is None:
        abort(404)
    view = FindingsView.from_request(template_key=key)
    mine = next((t for t in view.figures["templates"] if t["key"] == key), None)
    levels = mine["scale"]["levels"] if mine else []
    grade_charts = {}
    if mine:
        grade_charts["__overall__"] = charts.grade_chart(
            f"{mine['name']}: overall grades", mine["overall"], levels, view.threshold
        )
        for s in mine["sections"]:
            grade_charts[s["key"]] = charts.grade_chart(
                f"{s['title']}: grades", s, levels, view.threshold
            )
    return _render(
        "template",
        view,
        "template",
        title=f"Findings: {found.name}",
        template_name=found.name,
        template_key=key,
        mine=mine,
        grade_charts=grade_charts,
        sections=_questions_by_section(mine["questions"]) if mine else [],
        hide_template_filter=True,
        sections_chart=charts.sections_chart(mine, f"{found.name}: grades by section")
        if mine
        else None,
        wide=TWO_THIRDS,
        yes_no_columns=_yes_no_columns,
        applicable=_applicable,
        choice_types=GRADED_CHOICES,
    )


def _questions_by_section(questions: list[dict]) -> list[dict]:
    """Questions grouped by their section, in template order: yes/partly/no questions in one
    table, choices each in their own, numbers in one."""
    sections: dict[str, dict] = {}
    for q in questions:
        s = sections.setdefault(
            q["section"], {"title": q["section"], "yes_no": [], "choices": [], "numbers": []}
        )
        if q["type"] == "yes_partly_no":
            s["yes_no"].append(q)
        elif q["type"] == "number":
            s["numbers"].append(q)
        else:
            s["choices"].append(q)
    return list(sections.values())


def _yes_no_columns(questions: list[dict]) -> list[tuple[str, str]]:
    """The answer columns a table of yes/partly/no questions needs, in order."""
    columns: dict[str, str] = {}
    for q in questions:
        for key, label in q["labels"].items():
            if key != "not_applicable":  # counted beside the question, not a share
                columns.setdefault(key, label)
    return list(columns.items())


def _applicable(q: dict) -> int | None:
    """Answers other than 'not applicable': the base of a yes/partly/no question's shares.
    None when one of them is hidden."""
    values = [v for k, v in q["counts"].items() if k != "not_applicable"]
    return None if any(v is None for v in values) else sum(values)


# ---- themes ---------------------------------------------------------------------------------


@bp.route("/themes")
@requires("view_findings")
def themes():
    view = FindingsView.from_request()
    figures = view.figures
    return _render(
        "themes",
        view,
        "themes",
        title="Findings: themes",
        overall_chart=charts.themes_chart(figures["themes"], "Themes across all audits"),
        template_charts={
            t["template"]: charts.themes_chart(t["themes"], f"Themes in {t['name']} audits")
            for t in figures["themes_by_template"]
        },
        top_strengths=charts.top_themes(figures, "strength"),
        top_development=charts.top_themes(figures, "development"),
        wide=TWO_THIRDS,
    )


# ---- teams and localities -------------------------------------------------------------------


@bp.route("/teams")
@requires("view_findings")
def teams():
    view = FindingsView.from_request()
    figures = view.figures
    worst = {
        t["scale"]["levels"][-1]["key"]: t["scale"]["levels"][-1]["label"]
        for t in view.raw["templates"]
        if t["scale"]["levels"]
    }
    return _render(
        "teams",
        view,
        "teams",
        title="Findings: teams and localities",
        team_chart=charts.share_chart(
            figures["by_team"], "team", "Audits judged good or better, by team", view.threshold
        ),
        locality_chart=charts.share_chart(
            figures["by_locality"],
            "locality",
            "Audits judged good or better, by locality",
            view.threshold,
        ),
        # the worst grade links to its audits when every template in scope shares it
        worst_grade=next(iter(worst)) if len(worst) == 1 else None,
        worst_label=next(iter(worst.values())) if len(worst) == 1 else "the lowest grade",
    )


# ---- drill-down -----------------------------------------------------------------------------


@bp.route("/audits")
@requires("view_all_audits")
def audits():
    filters, errors = Filters.from_args(request.args)
    cell, problems = Cell.from_args(request.args)
    problems = [f"'{name}': {message}" for name, message in errors.items()] + problems
    problems += _cell_problems(cell)
    page_text = (request.args.get("page") or "1").strip()
    page = int(page_text) if page_text.isdecimal() and len(page_text) < 7 else 0
    if page < 1:
        problems.append("'page' must be a page number, 1 or more")
    if problems:
        return render_template(
            "dashboards/bad_drilldown.html",
            problems=problems,
            title="These audits cannot be listed",
        ), 400
    found, total = audits_behind(
        filters,
        cell,
        visible=visible_filter(current_user),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    pages = max(1, ceil(total / PAGE_SIZE))
    if page > pages:
        abort(404)
    catalogue = Catalogue(queries.versions_in_scope(filters))
    form = FilterForm.load({}, {}, with_auditor=True)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "dashboards/audits.html",
        audits=[_audit_row(a, catalogue) for a in found],
        total=total,
        page=page,
        pages=pages,
        pagination=_pagination(page, pages, args),
        asked_for=_describe(filters, cell, catalogue, form),
        back=url_for("dashboards.overview", **filters.to_args()),
        title="Audits behind a finding" + (f" (page {page} of {pages})" if pages > 1 else ""),
    )


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
        parts.append(f"completed in {present.month_label(cell.month)}")
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
        "completed": day(audit.submitted_at.date()) if audit.submitted_at else "Not completed",
        "grade": labels.get(audit.overall_grade, audit.overall_grade or "Not graded"),
        "status": STATUS_LABELS.get(audit.status, audit.status),
    }


def _pagination(page: int, pages: int, args: dict) -> dict | None:
    """govukPagination parameters: first, last and the pages either side of this one."""
    if pages <= 1:
        return None

    def href(n: int) -> str:
        return url_for("dashboards.audits", **args, page=n)

    items, last = [], 0
    for n in range(1, pages + 1):
        if n in (1, pages) or abs(n - page) <= 1:
            if last and n - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": n, "href": href(n), "current": n == page})
            last = n
    out = {"items": items}
    if page > 1:
        out["previous"] = {"href": href(page - 1)}
    if page < pages:
        out["next"] = {"href": href(page + 1)}
    return out
