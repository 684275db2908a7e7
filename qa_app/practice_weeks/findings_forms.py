"""Forms for a practice week's findings: the headline findings per focus area and the key
findings, quick wins, turning a quick win into an action, and the buttons that act on the
whole draft (fill from the data, publish, redraft)."""

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length

from qa_app.web.forms_base import QAForm, int_or_none
from qa_app.web.widgets import (
    CheckboxesInput,
    DateInputField,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
)


def findings_form(week, formdata=None):
    """A text box of headline findings per focus area, then the key findings of the themes."""

    class FindingsForm(QAForm):
        lock_version = HiddenField()
        themes_summary = TextAreaField(
            "Key findings from the audit themes",
            widget=TextArea(),
            description="One finding per line. Pre-filled from the strongest and weakest themes.",
            validators=[Length(max=4000, message="Keep the key findings under 4,000 characters")],
        )
        submit = SubmitField("Save the draft", widget=SubmitInput())

    for area in week.focus_areas:
        setattr(
            FindingsForm,
            f"area_{area.id}",
            TextAreaField(
                f"{area.number}. {area.title}",
                widget=TextArea(),
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


class DraftForm(QAForm):
    """Fill the drafts from the data: empty boxes only, unless 'replace' is ticked."""

    lock_version = HiddenField()
    replace = BooleanField("Replace what is already written with a fresh draft from the data")
    submit = SubmitField("Fill from the data", widget=SubmitInput())


PUBLISH_TO = [
    ("internal", "The service only (QA leads, senior managers and moderators)"),
    (
        "partnership",
        "The partnership: board viewers read it too, with exact counts, owners by role and "
        "no case free text",
    ),
    (
        "public",
        "The public: as the partnership, and a version with small numbers hidden for the "
        "council's website",
    ),
]


class PublishForm(QAForm):
    lock_version = HiddenField()
    audience = RadioField(
        "Publish to",
        widget=RadioInput(),
        choices=PUBLISH_TO,
        default="partnership",
        validators=[InputRequired("Choose who to publish the findings to")],
    )
    submit = SubmitField("Publish the findings", widget=SubmitInput())


class RedraftForm(QAForm):
    lock_version = HiddenField()
    submit = SubmitField("Redraft the findings", widget=SubmitInput())


class QuickWinForm(QAForm):
    version = HiddenField()
    description = TextAreaField(
        "Quick win",
        widget=TextArea(),
        validators=[
            InputRequired("Enter the quick win"),
            Length(max=4000, message="Keep the quick win under 4,000 characters"),
        ],
    )
    owner = SelectField("Owner", widget=Select(), coerce=int_or_none)
    due_date = DateInputField("Due date", "For example 31 3 2027", required=False)
    focus_area = SelectField("Focus area", widget=Select(), coerce=int_or_none)
    submit = SubmitField("Save the quick win", widget=SubmitInput())


class DeleteQuickWinForm(QAForm):
    version = HiddenField()
    submit = SubmitField("Delete this quick win", widget=SubmitInput())


class QuickWinActionForm(QAForm):
    plan = SelectField(
        "Improvement plan",
        widget=Select(),
        coerce=int_or_none,
        validators=[InputRequired("Choose an improvement plan")],
    )
    themes = SelectMultipleField(
        "Themes the action targets (optional)",
        widget=CheckboxesInput(),
        description="The plan's impact figures follow these themes in later audits",
    )
    submit = SubmitField("Add to the improvement plan", widget=SubmitInput())
