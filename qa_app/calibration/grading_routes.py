"""Grading in a calibration round: a participant's page per case (every item with its scale's
labels; a draft may leave items blank, submitting needs every one: "not sure" is not an answer,
since a blank would leave the auditor out of that item's figures), submitting the round, and,
after the round is closed, the QA lead's form for the grades agreed at the meeting."""

from flask import abort, flash, redirect, render_template, url_for

from qa_app.calibration.forms import SubmitGradesForm, field_name, grades_form
from qa_app.calibration.routes import bp, manages
from qa_app.data import calibration as data
from qa_app.models import CalibrationParticipant
from qa_app.web.forms_base import current_actor
from qa_app.web.security import refuse, requires


def _me_in(round_) -> CalibrationParticipant:
    """The signed-in person's place in the round; 403 (logged) if they have none."""
    person = data.participant(round_, current_actor())
    if person is None:
        refuse()
        abort(403)
    return person


def _case(round_, case_id: int):
    return data.round_case(round_, case_id) or abort(404)


@bp.route("/<int:round_id>/cases/<int:case_id>", methods=["GET", "POST"])
@requires("do_audits")
def grade(round_id: int, case_id: int):
    round_ = data.get_round(round_id) or abort(404)
    person = _me_in(round_)
    case = _case(round_, case_id)
    if not round_.is_open or person.submitted_at is not None:
        flash("Your grades for this round are in; they can no longer be changed.", "info")
        return redirect(url_for(".show", round_id=round_.id))
    items = data.items_of(round_)
    form_class = grades_form(items)
    stored = data.ratings_of(person, case_id)
    form = form_class(data={field_name(i): stored.get(i.key) for i in items})
    if form.validate_on_submit():
        values = {i.key: form[field_name(i)].data or None for i in items}
        data.save_ratings(round_, person, case_id, values, actor=current_actor())
        flash(f"Your grades for case {case.case.case_reference} are saved.", "success")
        return redirect(url_for(".show", round_id=round_.id))
    return render_template(
        "calibration/grade.html",
        round=round_,
        case=case.case,
        items=items,
        form=form,
        field_name=field_name,
        title=f"Grade case {case.case.case_reference} blind",
    ), (400 if form.errors else 200)


@bp.route("/<int:round_id>/submit", methods=["POST"])
@requires("do_audits")
def submit(round_id: int):
    round_ = data.get_round(round_id) or abort(404)
    person = _me_in(round_)
    if not SubmitGradesForm().validate_on_submit():
        abort(400)
    try:
        data.submit(round_, person, actor=current_actor())
    except data.CalibrationError as error:
        flash(str(error), "error")
    else:
        flash(
            "Your grades are submitted. You will see the results when the round closes.", "success"
        )
    return redirect(url_for(".show", round_id=round_.id))


@bp.route("/<int:round_id>/agreed/<int:case_id>", methods=["GET", "POST"])
@requires("manage_calibration")
def agreed(round_id: int, case_id: int):
    round_ = data.get_round(round_id) or abort(404)
    case = _case(round_, case_id)
    if round_.is_open:
        flash("Close the round before recording the agreed grades.", "info")
        return redirect(url_for(".show", round_id=round_.id))
    items = data.items_of(round_)
    stored = {k: row for (c, k), row in data.agreed_answers(round_).items() if c == case_id}
    note = next((row.note for row in stored.values() if row.note), "")
    form = grades_form(items)(
        data={field_name(i): stored[i.key].value if i.key in stored else None for i in items}
        | {"note": note}
    )
    if form.validate_on_submit():
        values = {i.key: form[field_name(i)].data or None for i in items}
        data.save_agreed(round_, case_id, values, form["note"].data or "", actor=current_actor())
        flash(f"The agreed grades for case {case.case.case_reference} are saved.", "success")
        return redirect(url_for(".results_page", round_id=round_.id))
    return render_template(
        "calibration/agreed.html",
        round=round_,
        case=case.case,
        items=items,
        form=form,
        field_name=field_name,
        manages=manages(),
        title=f"Agreed grades: case {case.case.case_reference}",
    ), (400 if form.errors else 200)
