"""Concern pages. Anyone doing audits who can see an audit can raise a concern on it; the QA
lead and the case's team respond; the QA lead signs off."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa_app.data import audit_access, concern_lists, concerns
from qa_app.data import audits as audit_data
from qa_app.data.concerns import ConcernError
from qa_app.models import utcnow
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_datetime
from qa_app.web.calendar import council_calendar
from qa_app.web.forms_base import QAForm, current_actor
from qa_app.web.listing import Listing, list_state
from qa_app.web.security import refuse, requires
from qa_app.web.widgets import SubmitInput, TextArea

bp = Blueprint("concerns", __name__, url_prefix="/concerns", template_folder="templates")


class RaiseForm(QAForm):
    description = TextAreaField(
        "What is the concern?",
        widget=TextArea(),
        description="What you found in the record, why it needs action now, and anything "
        "already done. Use the case reference, never the child's name.",
        validators=[InputRequired("Describe the concern"), Length(max=10000)],
    )
    submit = SubmitField("Raise the concern", widget=SubmitInput())


class RespondForm(QAForm):
    response = TextAreaField(
        "Response",
        widget=TextArea(),
        description="What has been done to keep the child safe, by whom and when",
        validators=[InputRequired("Say what has been done"), Length(max=10000)],
    )
    submit = SubmitField("Record the response", widget=SubmitInput())


class SignOffForm(QAForm):
    seen = HiddenField()  # the response the person read (see concerns.response_stamp)
    submit = SubmitField("Sign off the concern", widget=SubmitInput())


@bp.route("/")
@requires("do_audits")
def index():
    me, now = current_actor(), utcnow()
    page = concern_lists.concern_page(me, list_state(concern_lists.CONCERNS), now)
    filters = [
        ("state", "Status", concern_lists.STATE_CHOICES),
        ("team", "Team", concern_lists.team_choices(me)),
    ]
    return render_template(
        "concerns/index.html",
        listing=Listing(page, "concern"),
        filters=filters,
        now=now,
        title="Urgent safeguarding concerns",
    )


@bp.route("/raise/<int:audit_id>", methods=["GET", "POST"])
@requires("do_audits")
def raise_concern(audit_id: int):
    audit = audit_data.get_audit(audit_id) or abort(404)
    if not audit_access.can_view(current_actor(), audit):
        refuse()
    form = RaiseForm()
    if form.validate_on_submit():
        try:
            concern = concerns.raise_concern(
                audit,
                form.description.data,
                actor=current_actor(),
                working_days=current_app.config["QA_CONCERN_WORKING_DAYS"],
                calendar=council_calendar(current_app),
            )
        except ConcernError as error:
            form.description.errors = [str(error)]
        else:
            flash(
                "The concern has been raised. The QA lead and the case's team can see it now "
                f"and must respond by {uk_datetime(concern.respond_by)}.",
                "success",
            )
            return redirect(url_for(".show", concern_id=concern.id))
    return render_template(
        "concerns/raise.html",
        form=form,
        audit=audit,
        title=f"Raise an urgent concern – case {audit.case.case_reference}",
    )


def _concern(concern_id: int):
    concern = concerns.get(concern_id) or abort(404)
    me = current_actor()
    if not (concerns.can_respond(me, concern) or concern.raised_by_id == me.id):
        refuse()
    return concern


@bp.route("/<int:concern_id>")
@requires("do_audits")
def show(concern_id: int):
    concern = _concern(concern_id)
    return _page(concern, RespondForm(), SignOffForm(seen=concerns.response_stamp(concern)))


def _page(concern, respond_form, sign_off_form, status=200):
    return render_template(
        "concerns/show.html",
        concern=concern,
        respond_form=respond_form,
        sign_off_form=sign_off_form,
        overdue=concerns.is_overdue(concern),
        can_respond=concerns.can_respond(current_actor(), concern),
        can_sign_off=may(current_actor(), "sign_off_concerns"),
        title=f"Urgent concern – case {concern.audit.case.case_reference}",
    ), status


@bp.route("/<int:concern_id>/respond", methods=["POST"])
@requires("do_audits")
def respond(concern_id: int):
    concern = _concern(concern_id)
    if not concerns.can_respond(current_actor(), concern):
        refuse()
    form = RespondForm()
    if form.validate_on_submit():
        try:
            concerns.respond(concern, form.response.data, actor=current_actor())
        except ConcernError as error:
            form.response.errors = [str(error)]
        else:
            flash("Response recorded.", "success")
            return redirect(url_for(".show", concern_id=concern.id))
    return _page(concern, form, SignOffForm(), 400)


@bp.route("/<int:concern_id>/sign-off", methods=["POST"])
@requires("sign_off_concerns")
def sign_off(concern_id: int):
    concern = concerns.get(concern_id) or abort(404)
    form = SignOffForm()
    if form.validate_on_submit():
        try:
            concerns.sign_off(concern, actor=current_actor(), seen=form.seen.data)
        except ConcernError as error:
            form.form_errors.append(str(error))
            return _page(concern, RespondForm(), form, 400)
        flash("The concern is signed off.", "success")
        return redirect(url_for(".show", concern_id=concern.id))
    abort(400)
