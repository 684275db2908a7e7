"""The parts of an audit page beyond the template: actions for the case and the practitioner's
or manager's response. Registered on the audits blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa_app.audits.routes import bp
from qa_app.data import audit_access, audit_extras
from qa_app.data import audits as audit_data
from qa_app.web.forms_base import QAForm, current_actor
from qa_app.web.security import refuse, requires
from qa_app.web.widgets import DateInputField, RadioInput, SubmitInput, TextArea, TextInput


class ActionForm(QAForm):
    description = TextAreaField(
        "What needs to happen",
        widget=TextArea(),
        validators=[InputRequired("Describe the action"), Length(max=4000)],
    )
    owner = StringField(
        "Who will do it",
        widget=TextInput(),
        description="A role or name of a member of staff, e.g. team manager",
        validators=[InputRequired("Say who owns the action"), Length(max=120)],
    )
    due_date = DateInputField("Due by", "For example, 27 3 2027", required=False)
    submit = SubmitField("Add the action", widget=SubmitInput())


class ResponseForm(QAForm):
    respondent = RadioField(
        "Whose response is this?",
        widget=RadioInput(),
        choices=[("practitioner", "The practitioner"), ("manager", "The practitioner's manager")],
        validators=[InputRequired("Choose whose response this is")],
    )
    agreement = RadioField(
        "Do they agree with the audit's findings?",
        widget=RadioInput(),
        choices=[("agree", "Agree"), ("partly", "Partly agree"), ("disagree", "Disagree")],
        validators=[InputRequired("Choose whether they agree")],
    )
    reflection = TextAreaField(
        "Their reflection", widget=TextArea(), validators=[Length(max=10000)]
    )
    next_steps = TextAreaField(
        "What they will do", widget=TextArea(), validators=[Length(max=10000)]
    )
    submit = SubmitField("Record the response", widget=SubmitInput())


def _visible(audit_id: int):
    """The audit, if the person may read it; on a POST, only if they may also add to it."""
    audit = audit_data.get_audit(audit_id) or abort(404)
    if not audit_access.can_view(current_actor(), audit):
        refuse()
    if request.method == "POST" and not audit_access.can_annotate(current_actor(), audit):
        refuse()
    return audit


@bp.route("/<int:audit_id>/actions", methods=["GET", "POST"])
@requires("do_audits")
def actions(audit_id: int):
    audit = _visible(audit_id)
    form = ActionForm()
    if form.validate_on_submit():
        audit_extras.add_action(
            audit, form.description.data, form.owner.data, form.due_date.data, actor=current_actor()
        )
        flash("Action added.", "success")
        return redirect(url_for(".actions", audit_id=audit.id))
    return render_template(
        "audits/actions.html",
        audit=audit,
        form=form,
        items=audit_extras.actions_for(audit),
        title=f"Actions for case {audit.case.case_reference}",
    )


@bp.route("/<int:audit_id>/responses", methods=["GET", "POST"])
@requires("do_audits")
def responses(audit_id: int):
    audit = _visible(audit_id)
    form = ResponseForm()
    if form.validate_on_submit():
        audit_extras.add_response(
            audit,
            respondent=form.respondent.data,
            agreement=form.agreement.data,
            reflection=form.reflection.data,
            next_steps=form.next_steps.data,
            actor=current_actor(),
        )
        flash("The response has been recorded on the audit.", "success")
        return redirect(url_for(".show", audit_id=audit.id))
    return render_template(
        "audits/response.html",
        audit=audit,
        form=form,
        items=audit_extras.responses_for(audit),
        title=f"Practitioner response – case {audit.case.case_reference}",
    )
