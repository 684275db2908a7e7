"""Performance indicator pages: the monthly scorecard (with a chart per indicator and its XLSX
export), the month's commentary, the definitions and the upload of monthly values."""

import re
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.charts.indicator_trend import trend_chart
from qa_app.charts.svg import line_chart
from qa_app.data import indicator_periods as periods
from qa_app.data import indicator_scorecard as calc
from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_areas import area_title
from qa_app.data.indicator_values import StaleCommentary
from qa_app.data.indicators import IndicatorError
from qa_app.data.organisation import get_settings
from qa_app.documents import indicators_xlsx as xlsx
from qa_app.findings.audiences import Audience, rules_for
from qa_app.findings.present import counted
from qa_app.imports.indicators import check_indicator_file, store_indicator_values
from qa_app.indicators.forms import CommentaryForm, IndicatorForm, UploadForm
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_today
from qa_app.web.downloads import download
from qa_app.web.file_problems import file_error_summary, uploaded_file
from qa_app.web.forms_base import attach_problems, current_actor, posted_version
from qa_app.web.security import requires

bp = Blueprint("indicators", __name__, url_prefix="/indicators", template_folder="templates")

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month_arg(text: str | None) -> date | None:
    match = MONTH_RE.match(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1) if 1 <= month <= 12 and 1900 <= year <= 2999 else None


def _chosen_month() -> tuple[date, list[date]]:
    """The month asked for (?month=2026-04), else the latest with values, else this month."""
    months = indicator_values.months_with_values()
    asked = _month_arg(request.args.get("month"))
    default = months[0] if months else calc.first_of_month(uk_today())
    return asked or default, months


def _chart(row) -> str | None:
    """The 18-month chart of a scorecard row (qa_app.charts.indicator_trend), None with fewer
    than two values."""
    chart = trend_chart(row.indicator.name, row.indicator.unit, row.chart, row.indicator.target)
    if chart is None:
        return None
    return line_chart(chart, id_prefix=f"indicator-{row.indicator.id}", width=560)


@bp.context_processor
def _helpers():
    return {
        "units": calc.UNITS,
        "directions": calc.DIRECTIONS,
        "rag_labels": calc.RAG_LABELS,
        "rag_classes": calc.RAG_TAG_CLASSES,
        "fmt_change": calc.format_change,
        "fmt_value": calc.format_value,
        "month_label": calc.month_label,
        "short_month": calc.short_month,
        "describe": periods.describe,
        "area_title": area_title,
    }


def _reader_threshold() -> int:
    """0 for a reader who may see case records; for one in the partnership tier (a board
    viewer), the partnership threshold the council sets (0 unless it sets one): counts of
    children under it are left out of their scorecard, as out of the pack they read."""
    if may(current_user, "view_all_audits"):
        return 0
    return rules_for(Audience.PARTNERSHIP, get_settings()).threshold


@bp.route("/")
@requires("view_indicators")
def scorecard():
    month, months = _chosen_month()
    rows = indicator_values.scorecard_rows(month, threshold=_reader_threshold())
    charts = {row.indicator.id: svg for row in rows if (svg := _chart(row)) is not None}
    return render_template(
        "indicators/scorecard.html",
        rows=rows,
        areas=calc.by_area(rows),
        charts=charts,
        month=month,
        year_before=calc.add_months(month, -12),
        months=months,
        month_key=month.strftime("%Y-%m"),
        all_columns=request.args.get("columns") == "all",
        title=f"Performance scorecard, {calc.month_label(month)}",
    )


@bp.route("/scorecard.xlsx")
@requires("view_indicators")
def scorecard_xlsx():
    month, _ = _chosen_month()
    rows = indicator_values.scorecard_rows(month, threshold=_reader_threshold())
    data = xlsx.scorecard_xlsx(rows, month, f"Performance scorecard, {calc.month_label(month)}")
    return download(data, f"scorecard-{month.strftime('%Y-%m')}.xlsx")


@bp.route("/<int:indicator_id>/commentary/<month>", methods=["GET", "POST"])
@requires("comment_on_indicators")
def commentary(indicator_id: int, month: str):
    indicator = indicator_data.get_indicator(indicator_id) or abort(404)
    chosen = _month_arg(month) or abort(404)
    current = indicator_values.get_commentary(indicator, chosen)
    form = CommentaryForm()
    status, theirs = 200, None
    if request.method == "GET":
        form.text.data = current.text if current else ""
        form.lock_version.data = str(current.lock_version if current else 0)
    elif form.validate_on_submit():
        try:
            indicator_values.save_commentary(
                indicator,
                chosen,
                form.text.data,
                based_on=posted_version(),
                actor=current_actor(),
            )
        except StaleCommentary as error:
            # nothing saved: show what was typed beside what is stored now, and let the person
            # save their text over the latest version
            theirs = error.current.text if error.current else ""
            form.lock_version.data = str(error.current.lock_version if error.current else 0)
            form.form_errors.append(
                "Someone else saved a commentary for this month after you opened the page. "
                "Yours has not been saved: compare the two, then save again to keep yours."
            )
            status = 409
        except IndicatorError as error:
            form.text.errors = [message for _, message in error.problems]
            status = 400
        else:
            flash("Commentary saved.", "success")
            return redirect(
                url_for("indicators.scorecard", month=month) + f"#indicator-{indicator.id}"
            )
    else:
        status = 400
    return render_template(
        "indicators/commentary.html",
        form=form,
        indicator=indicator,
        month=chosen,
        month_key=month,
        theirs=theirs,
        title=f"Commentary: {indicator.name}, {calc.month_label(chosen)}",
    ), status


@bp.route("/definitions")
@requires("view_indicators")
def definitions():
    return render_template(
        "indicators/definitions.html",
        indicators=indicator_data.list_indicators(),
        title="Indicator definitions",
    )


def _definition_page(form: IndicatorForm, indicator=None):
    status = 200
    if form.validate_on_submit():
        try:
            if indicator is None:
                saved = indicator_data.create_indicator(form.data_for_save(), current_actor())
                flash(f"Indicator {saved.code} added.", "success")
            else:
                saved = indicator_data.update_indicator(
                    indicator, form.data_for_save(), current_actor()
                )
                flash(f"Indicator {saved.code} saved.", "success")
        except IndicatorError as error:
            attach_problems(form, error.problems, str(error), rename=form.field_name)
            status = 400
        else:
            return redirect(url_for("indicators.definitions"))
    elif request.method == "POST":
        status = 400
    errors = [
        {"text": message, "href": f"#{field.id}"}
        for field in form
        for message in (field.errors or [])
        if field.name != "csrf_token"
    ] + [{"text": message} for message in form.form_errors]
    return render_template(
        "indicators/definition_form.html",
        form=form,
        indicator=indicator,
        errors=errors,
        title=f"Edit {indicator.code}" if indicator else "Add an indicator",
    ), status


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_indicators")
def new_indicator():
    return _definition_page(IndicatorForm())


@bp.route("/<int:indicator_id>/edit", methods=["GET", "POST"])
@requires("manage_indicators")
def edit_indicator(indicator_id: int):
    indicator = indicator_data.get_indicator(indicator_id) or abort(404)
    form = IndicatorForm()
    if request.method == "GET":
        form.fill_from(indicator)
    return _definition_page(form, indicator)


def _stored_summary(result: indicator_values.StoreResult, filename: str, blanks: int) -> str:
    """ "12 values for 3 indicators read from sept.csv (Apr 2026 to Sep 2026): 10 added,
    2 replaced, 0 unchanged; 8 breakdown values: 8 added, 0 replaced, 0 unchanged." """
    whole = (result.total, result.added, result.replaced, result.unchanged)
    parts = (
        result.breakdowns_total,
        result.breakdowns_added,
        result.breakdowns_replaced,
        result.breakdowns_unchanged,
    )
    counts = [("value", whole)] if result.total or not parts[0] else []
    counts += [("breakdown value", parts)] if parts[0] else []
    said = [
        f"{counted(total, word)}: {added} added, {replaced} replaced, {unchanged} unchanged"
        for word, (total, added, replaced, unchanged) in counts
    ]
    first, _, rest = "; ".join(said).partition(": ")
    months = f"{calc.month_label(result.first_month)} to {calc.month_label(result.last_month)}"
    skipped = f", {counted(blanks, 'blank cell')} skipped" if blanks else ""
    return (
        f"{first} for {counted(result.indicators, 'indicator')} read from {filename} "
        f"({months}): {rest}{skipped}."
    )


@bp.route("/upload", methods=["GET", "POST"])
@requires("manage_indicators")
def upload():
    form = UploadForm()
    problems, filename = [], None
    if form.validate_on_submit() and (sent := uploaded_file(form.file)):
        filename, content = sent
        checked = check_indicator_file(filename, content, today=uk_today())
        problems = checked.problems
        if not problems:
            result = store_indicator_values(checked, actor=current_actor())
            flash(_stored_summary(result, filename, checked.blanks), "success")
            return redirect(
                url_for("indicators.scorecard", month=result.last_month.strftime("%Y-%m"))
            )
    status = 400 if request.method == "POST" else 200  # a file stored goes to the scorecard
    errors = file_error_summary(problems, form.file.errors)
    prefix = "Error: " if errors else ""
    return render_template(
        "indicators/upload.html",
        upload_form=form,
        problems=problems,
        errors=errors,
        filename=filename,
        title=f"{prefix}Upload indicator values",
    ), status
