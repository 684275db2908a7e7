"""Forms for a practice week's findings: the headline findings per focus area and the key
findings, quick wins, turning a quick win into an action, and the buttons that act on the
whole draft (fill from the data, publish, redraft)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from qa_app.widgets import CheckboxesInput, DateInputField


def _int_or_none(value):
    return None if value in ("", None) else int(value)


def findings_form(week, formdata=None):
    """A text box of headline findings per focus area, then the key findings of the themes."""

    class FindingsForm(FlaskForm):
        lock_version = HiddenField()
        themes_summary = TextAreaField(
            "Key findings from the audit themes",
            widget=GovTextArea(),
            description="One finding per line. Pre-filled from the strongest and weakest themes.",
            validators=[Length(max=4000, message="Keep the key findings under 4,000 characters")],
        )
        submit = SubmitField("Save the draft", widget=GovSubmitInput())

    for area in week.focus_areas:
        setattr(
            FindingsForm,
            f"area_{area.id}",
            TextAreaField(
                f"{area.number}. {area.title}",
                widget=GovTextArea(),
                description="Headline findings, one a line. No names or case references.",
                validators=[Length(max=4000, message="Keep the findings under 4,000 characters")],
            ),
        )
    form = FindingsForm(formdata=formdata)
    if formdata is None:
        form.lock_version.data = str(week.lock_version)
        form.themes_summary.data = week.themes_summary
        for area in week.focus_areas:
            getattr(form, f"area_{area.id}").data = area.headlines
    form.area_fields = [(area, getattr(form, f"area_{area.id}")) for area in week.focus_areas]
    return form


class DraftForm(FlaskForm):
    """Fill the drafts from the data: empty boxes only, unless 'replace' is ticked."""

    lock_version = HiddenField()
    replace = BooleanField("Replace what is already written with a fresh draft from the data")
    submit = SubmitField("Fill from the data", widget=GovSubmitInput())


class PublishForm(FlaskForm):
    lock_version = HiddenField()
    submit = SubmitField("Publish the findings", widget=GovSubmitInput())


class RedraftForm(FlaskForm):
    lock_version = HiddenField()
    submit = SubmitField("Redraft the findings", widget=GovSubmitInput())


class QuickWinForm(FlaskForm):
    version = HiddenField()
    description = TextAreaField(
        "Quick win",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the quick win"),
            Length(max=4000, message="Keep the quick win under 4,000 characters"),
        ],
    )
    owner = SelectField("Owner", widget=GovSelect(), coerce=_int_or_none)
    due_date = DateInputField("Due date", "For example 31 3 2027", required=False)
    focus_area = SelectField("Focus area", widget=GovSelect(), coerce=_int_or_none)
    submit = SubmitField("Save the quick win", widget=GovSubmitInput())


class DeleteQuickWinForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField("Delete this quick win", widget=GovSubmitInput())


class QuickWinActionForm(FlaskForm):
    plan = SelectField(
        "Improvement plan",
        widget=GovSelect(),
        coerce=_int_or_none,
        validators=[InputRequired("Choose an improvement plan")],
    )
    themes = SelectMultipleField(
        "Themes the action targets (optional)",
        widget=CheckboxesInput(),
        description="The plan's impact figures follow these themes in later audits",
    )
    submit = SubmitField("Add to the improvement plan", widget=GovSubmitInput())
