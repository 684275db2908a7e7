"""What every findings page shares: `FindingsView` (who is reading, the filters from the URL,
the figures - suppressed for a reader who may not see case records), `_render` (the page
template with the context every findings page needs), `_chart_svg` (a chart as inline SVG sized
for its column), and the helpers that shape the one-template page's tables of questions.

The page routes themselves are in `qa_app.dashboards.routes`."""

from dataclasses import dataclass, replace
from datetime import date

from flask import render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from qa_app.charts import findings as charts
from qa_app.charts.layout import layout
from qa_app.charts.svg import FONT_SIZE, scene_svg
from qa_app.dashboards.forms import FIELD_IDS, FilterForm, day, period_words
from qa_app.data.organisation import get_settings
from qa_app.findings import Filters, compute_findings, present
from qa_app.findings.audiences import Audience, AudienceRules, rules_for
from qa_app.findings.disclosure import (
    for_audience,
    group_filter_problems,
    last_whole_months,
    month_end,
    period_problems,
)
from qa_app.findings.filters import last_twelve_months
from qa_app.findings.summaries import month_label
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_today

# Chart widths in CSS pixels at the widest layout, so chart text reads at the page's size:
# half of the 960px page (the table beside it), and two thirds of it.
HALF, TWO_THIRDS = 440, 600


@dataclass
class FindingsView:
    """What every findings page shares: who is reading, the filters, the figures."""

    filters: Filters  # from the URL, with the default period filled in
    scope: Filters  # what the figures cover (the template page adds its template)
    form: FilterForm
    figures: dict  # as this reader's audience may see them (qa_app.findings.disclosure)
    rules: AudienceRules

    @property
    def case_level(self) -> bool:
        """May see case records: numbers link to audits, nothing suppressed."""
        return self.rules.case_level

    @property
    def threshold(self) -> int:
        return self.rules.threshold

    @classmethod
    def from_request(
        cls, *, template_key: str | None = None, compare_previous: bool = False
    ) -> "FindingsView":
        """The view for this request; `compare_previous` also computes the period before
        (only the overview shows it)."""
        case_level = may(current_user, "view_all_audits")
        rules = rules_for(Audience.INTERNAL if case_level else Audience.PARTNERSHIP, get_settings())
        args = {k: v for k, v in request.args.items() if k in FIELD_IDS}
        if not case_level:
            args = whole_month_args(args)
        filters, errors = Filters.from_args(args)
        if not case_level:  # no per-auditor figures outside the case-level tier
            filters = replace(filters, auditor_id=None)
            errors.pop("auditor", None)
            args.pop("auditor", None)
        if filters.date_from is None and filters.date_to is None:
            default = last_twelve_months(uk_today())
            if not case_level:
                default = last_whole_months(uk_today())
            filters = filters.with_period(*default)
            if "from" not in errors and "to" not in errors:
                args["from"], args["to"] = (
                    filters.date_from.isoformat(),
                    filters.date_to.isoformat(),
                )
        if not case_level:
            filters, args = _whole_months_only(filters, args, errors)
        if rules.suppresses:
            filters = _period_only(filters, args, errors)
        scope = replace(filters, template=template_key) if template_key else filters

        def compute(f: Filters) -> dict:
            return compute_findings(
                f, compare_previous=compare_previous, include_answers=template_key is not None
            )

        if not case_level and (scope.team_id or scope.locality_id) and not rules.suppresses:
            unfiltered = compute_findings(
                replace(scope, team_id=None, locality_id=None),
                compare_previous=False,
                include_answers=False,
            )
            refused = group_filter_problems(unfiltered, scope, rules.min_group_size)
            if refused:
                errors.update(refused)
                for name in refused:
                    args.pop(name, None)
                scope = replace(
                    scope,
                    team_id=None if "team" in refused else scope.team_id,
                    locality_id=None if "locality" in refused else scope.locality_id,
                )
                filters = replace(filters, team_id=scope.team_id, locality_id=scope.locality_id)

        def compute_month(f: Filters) -> dict:
            return compute_findings(
                f,
                compare_previous=False,
                include_answers=template_key is not None,
                by_group=False,
            )

        figures = for_audience(scope, rules, compute, compute_month)
        return cls(
            filters=filters,
            scope=scope,
            form=FilterForm.load(
                args if case_level else month_args(args),
                errors,
                with_auditor=case_level,
                months=not case_level,
            ),
            figures=figures,
            rules=rules,
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


def whole_month_args(args: dict[str, str]) -> dict[str, str]:
    """A month typed as year-month ("2026-04") as the dates it covers: its first day as the
    start of a period, its last day as the end."""
    out = dict(args)
    for name in ("from", "to"):
        raw = (out.get(name) or "").strip()
        if len(raw) == 7 and raw[4] == "-" and raw[:4].isdigit() and raw[5:].isdigit():
            if 1 <= int(raw[5:]) <= 12 and int(raw[:4]) >= 1900:
                first = date(int(raw[:4]), int(raw[5:]), 1)
                out[name] = (first if name == "from" else month_end(first)).isoformat()
    return out


def month_args(args: dict[str, str]) -> dict[str, str]:
    """The period as the month inputs show it (year-month)."""
    out = dict(args)
    for name in ("from", "to"):
        raw = out.get(name) or ""
        if len(raw) == 10:
            out[name] = raw[:7]
    return out


def _whole_months_only(filters: Filters, args: dict, errors: dict) -> tuple[Filters, dict]:
    """Below the internal tier a period is a run of whole months that have ended: any other is
    refused with the reason, and the last twelve whole months are shown instead."""
    problems = period_problems(filters.date_from, filters.date_to, uk_today())
    if not problems:
        return filters, args
    for name, message in problems.items():
        errors.setdefault(name, message)
    filters = filters.with_period(*last_whole_months(uk_today()))
    return filters, args


SUPPRESSED_FILTERS = {"cycle_id": "cycle", "team_id": "team", "locality_id": "locality"}


def _period_only(filters: Filters, args: dict, errors: dict) -> Filters:
    """Where small numbers are hidden, figures are for a period only: a cycle, team or
    locality and its complement would give away what either hides."""
    for attr, name in SUPPRESSED_FILTERS.items():
        if getattr(filters, attr) is not None:
            errors[name] = (
                f"The {name} filter is not available where small numbers are hidden: "
                "the figures are for the whole period"
            )
            args.pop(name, None)
            filters = replace(filters, **{attr: None})
    return filters


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
        count_text=present.count_text,
        uneven_samples=present.uneven_samples,
        small_sample=present.SMALL_SAMPLE,
        suppression_note=present.suppression_note,
        percent=present.percent,
        percent_value=present.percent_value,
        kappa=present.kappa,
        number=present.number,
        month_label=month_label,
        day=day,
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


# ---- the one-template page's tables ---------------------------------------------------------


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
