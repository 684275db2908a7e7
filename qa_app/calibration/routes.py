"""Calibration pages: the rounds, opening one, a round's page (who has submitted, never what,
while it is open), closing it, its results once closed, the spreadsheet of them, and the rounds
over time beside the moderation kappa.

Blind: while a round is open nobody sees anyone's grades, not even counts; the QA lead and
moderators see who has submitted. Once closed, everyone in the round sees the figures; auditors
are named against their answers only for the QA lead and moderators, and an auditor sees their
own distance from the agreed grades only."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from qa_app.calibration.forms import CloseRoundForm, OpenRoundForm, SubmitGradesForm
from qa_app.data import calibration as data
from qa_app.data import calibration_lists
from qa_app.data.cycle_assignment import list_auditors
from qa_app.data.templates import list_templates
from qa_app.documents.calibration_xlsx import round_workbook
from qa_app.findings import calibration_results as results
from qa_app.models import CalibrationRound, TemplateVersion
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_today
from qa_app.web.downloads import download
from qa_app.web.forms_base import attach_problem, current_actor
from qa_app.web.listing import Listing, list_state
from qa_app.web.security import refuse, requires

bp = Blueprint("calibration", __name__, url_prefix="/calibration", template_folder="templates")


def manages() -> bool:
    return may(current_actor(), "manage_calibration")


def readable_round(round_id: int) -> CalibrationRound:
    """The round, for the QA lead and moderators or someone taking part in it."""
    round_ = data.get_round(round_id) or abort(404)
    if not (manages() or data.participant(round_, current_actor())):
        refuse()
    return round_


@bp.route("/")
@requires("do_audits")
def index():
    me = current_actor()
    page = calibration_lists.round_page(
        None if manages() else me, list_state(calibration_lists.ROUNDS)
    )
    return render_template(
        "calibration/index.html",
        listing=Listing(page, "round"),
        filters=[("status", "Status", calibration_lists.STATUS_CHOICES)],
        manages=manages(),
        title="Calibration rounds",
    )


def _template_choices() -> list[tuple[str, str]]:
    return [(s.template.key, s.template.name) for s in list_templates() if s.template.active]


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_calibration")
def open_round():
    form = OpenRoundForm()
    form.template.choices = [("", "Choose a template")] + _template_choices()
    form.auditors.choices = [(u.id, u.display_name) for u in list_auditors()]
    if form.validate_on_submit():
        from_key = {s.template.key: s for s in list_templates()}
        summary = from_key.get(form.template.data)
        version = summary.template.versions[-1] if summary else None
        if not isinstance(version, TemplateVersion):
            attach_problem(form, "template", "Choose the template the auditors grade with")
        else:
            try:
                round_ = data.open_round(
                    name=form.name.data,
                    version=version,
                    case_references=(form.case_references.data or "").splitlines(),
                    auditor_ids=form.auditors.data or [],
                    due_date=form.due_date.data,
                    actor=current_actor(),
                )
            except data.CalibrationError as error:
                attach_problem(form, error.field, str(error))
            else:
                flash(
                    "The round is open. The auditors in it see it on their home page and grade "
                    "the cases blind.",
                    "success",
                )
                return redirect(url_for(".show", round_id=round_.id))
    return render_template(
        "calibration/open.html",
        form=form,
        title="Open a calibration round",
    ), (400 if form.errors else 200)


@bp.route("/<int:round_id>")
@requires("do_audits")
def show(round_id: int):
    round_ = readable_round(round_id)
    me = current_actor()
    person = data.participant(round_, me)
    progress = {
        c.case_id: (
            sum(1 for key in data.ratings_of(person, c.case_id) if key) if person is not None else 0
        )
        for c in round_.cases
    }
    return render_template(
        "calibration/round.html",
        round=round_,
        person=person,
        manages=manages(),
        items=data.items_of(round_),
        progress=progress,
        missing=data.missing_answers(round_, person) if person else 0,
        submit_form=SubmitGradesForm(),
        close_form=CloseRoundForm(),
        overdue=bool(round_.due_date and round_.is_open and round_.due_date < uk_today()),
        title=round_.name,
    )


@bp.route("/<int:round_id>/close", methods=["POST"])
@requires("manage_calibration")
def close(round_id: int):
    round_ = data.get_round(round_id) or abort(404)
    form = CloseRoundForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data.close(round_, form.notes.data or "", actor=current_actor())
    except data.CalibrationError as error:
        flash(str(error), "error")
        return redirect(url_for(".show", round_id=round_.id))
    flash("The round is closed. Everyone in it can now see the results.", "success")
    return redirect(url_for(".results_page", round_id=round_.id))


def _closed_results(round_id: int):
    round_ = readable_round(round_id)
    if round_.is_open:
        flash("The results show once the round is closed, so that nobody is steered.", "info")
        return round_, None
    return round_, results.round_results(round_)


@bp.route("/<int:round_id>/results")
@requires("do_audits")
def results_page(round_id: int):
    round_, figures = _closed_results(round_id)
    if figures is None:
        return redirect(url_for(".show", round_id=round_.id))
    me = current_actor()
    internal = manages()
    return render_template(
        "calibration/results.html",
        round=round_,
        figures=figures,
        internal=internal,
        me=me,
        distances=[d for d in figures.distances if internal or d.auditor_id == me.id],
        alpha_in_words=results.ALPHA_IN_WORDS,
        title=f"Results: {round_.name}",
    )


@bp.route("/<int:round_id>/results.xlsx")
@requires("do_audits")
def results_xlsx(round_id: int):
    round_, figures = _closed_results(round_id)
    if figures is None:
        return redirect(url_for(".show", round_id=round_.id))
    internal = manages()
    me = current_actor()
    names = figures.names if internal else {me.id: "You"}
    body = round_workbook(
        figures,
        names=names,
        distances=[d for d in figures.distances if internal or d.auditor_id == me.id],
        alpha_in_words=results.ALPHA_IN_WORDS,
    )
    return download(body, f"calibration-round-{round_.id}.xlsx")


@bp.route("/over-time")
@requires("manage_calibration")
def over_time():
    return render_template(
        "calibration/over_time.html",
        rows=results.over_time(data.list_rounds()),
        title="Agreement across calibration rounds",
    )
