"""Findings dashboards: the overview, one template, themes, teams and localities, and the
drill-down from any number to the audits behind it.

Every page reads its filters from the URL, computes the figures once, and for a reader who
may not see case records (a board viewer) shows the suppressed copy: small counts (and any
count one could be worked out from) as "hidden", no links to audits, no per-auditor figures.

This module holds the blueprint and the page views; what every findings page shares
(`FindingsView`, rendering) is in `qa_app.dashboards.view`, the drill-down's helpers in
`qa_app.dashboards.drilldown`."""

from datetime import date
from math import ceil

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from qa_app.charts import findings as charts
from qa_app.dashboards.drilldown import _audit_row, _cell_problems, _describe, _pagination
from qa_app.dashboards.forms import FilterForm
from qa_app.dashboards.view import (
    TWO_THIRDS,
    FindingsView,
    _applicable,
    _questions_by_section,
    _render,
    _yes_no_columns,
)
from qa_app.data.audit_access import visible_filter
from qa_app.data.templates import get_template
from qa_app.findings import Filters, queries
from qa_app.findings.audits_behind import Cell, audits_behind
from qa_app.findings.catalogue import Catalogue
from qa_app.findings.suppression import hide_count
from qa_app.web.security import requires

bp = Blueprint("dashboards", __name__, url_prefix="/findings", template_folder="templates")
PAGE_SIZE = 50
GRADED_CHOICES = ("single_choice", "multiple_choice", "grade")


# ---- overview -------------------------------------------------------------------------------


@bp.route("/")
@requires("view_findings")
def overview():
    view = FindingsView.from_request(compare_previous=True)
    figures = view.figures
    # good or better per scale, never one figure over two scales
    scales = charts.good_or_better_by_scale(figures)
    if not view.case_level:  # a total of visible counts can still be small
        for s in scales:
            s["good_or_better"] = hide_count(s["good_or_better"], view.threshold)
            s["graded"] = hide_count(s["graded"], view.threshold)
    grade_charts = {
        (t["key"], t["scale"]["key"]): charts.grade_chart(
            f"{t['name']}: overall grades", t["overall"], t["scale"]["levels"], view.threshold
        )
        for t in figures["templates"]
    }
    previous = figures["previous"]
    comparison = None
    if previous:
        # good or better compared scale by scale, where the previous period graded on it
        before = {c["scale"]: c for c in previous.get("by_scale", [])}
        comparison = {
            "period": previous["period"],
            "completed": previous["completed"],
            "scales": [
                {
                    "name": s["name"] if len(scales) > 1 else "",
                    "now": (s["good_or_better"], s["graded"]),
                    "then": (before[s["scale"]]["good_or_better"], before[s["scale"]]["completed"]),
                }
                for s in scales
                if s["scale"] in before
            ],
            "moved": charts.moved_themes(figures["themes"], previous["themes"]),
        }
    return _render(
        "overview",
        view,
        "overview",
        title="Findings",
        scales=scales,
        scale_cells=charts.scale_cells,
        scale_names={s["scale"]: s["name"] for s in figures.get("by_scale", [])},
        month_chart=charts.good_or_better_by_month(
            figures["by_month"], "Audits judged good or better, by month", figures.get("by_scale")
        ),
        grade_charts=grade_charts,
        top_strengths=charts.top_themes(figures, "strength"),
        top_development=charts.top_themes(figures, "development"),
        top_mixed=charts.top_themes(figures, "mixed"),
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
    entries = [t for t in view.figures["templates"] if t["key"] == key]  # one per scale
    mine, others = (entries[0], entries[1:]) if entries else (None, [])
    levels = mine["scale"]["levels"] if mine else []
    grade_charts = {
        f"__overall__{t['scale']['key']}": charts.grade_chart(
            f"{t['name']}: overall grades on the {t['scale']['name']} scale",
            t["overall"],
            t["scale"]["levels"],
            view.threshold,
        )
        for t in others
    }
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
        others=others,
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
        top_mixed=charts.top_themes(figures, "mixed"),
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
        for t in view.figures["templates"]
        if t["scale"]["levels"]
    }
    scales = figures.get("by_scale", [])
    on = {s["scale"]: f", {s['name']} scale" for s in scales} if len(scales) > 1 else {}
    return _render(
        "teams",
        view,
        "teams",
        title="Findings: teams and localities",
        scale_names={s["scale"]: s["name"] for s in scales},
        scale_cells=charts.scale_cells,
        team_charts=[
            charts.share_chart(
                figures["by_team"],
                "team",
                f"Audits judged good or better, by team{on.get(s['scale'], '')}",
                view.threshold,
                s["scale"],
            )
            for s in scales or [{"scale": None}]
        ],
        locality_charts=[
            charts.share_chart(
                figures["by_locality"],
                "locality",
                f"Audits judged good or better, by locality{on.get(s['scale'], '')}",
                view.threshold,
                s["scale"],
            )
            for s in scales or [{"scale": None}]
        ],
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
