"""Forms for the improvement plan: a plan, a priority, an action and a progress update. Choices
(owners, priorities, cycles, practice weeks, themes) are filled in by the routes."""

from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from qa_app.data.improvement import NOTE_MAX, TEXT_MAX, TITLE_MAX
from qa_app.models import ActionSource, ActionStatus
from qa_app.web.forms_base import QAForm
from qa_app.web.widgets import (
    CheckboxesInput,
    DateInputField,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)

RAG_WORDS = {"red": "red", "amber": "amber", "green": "green", "blue": "blue", "grey": "grey"}
STATUS_CHOICES = [(s.value, f"{s.label} ({RAG_WORDS[s.rag]})") for s in ActionStatus]
SOURCE_CHOICES = [(s.value, s.label) for s in ActionSource]
PLAN_STATUS_CHOICES = [("active", "Active"), ("closed", "Closed")]


def _int_or_none(value):
    if value in ("", None):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not one of the choices: the field says so


class ChoiceOfIds(SelectField):
    """A select of ids whose first option is "none"; an id not on the list gets `message`, and
    so does choosing nothing when `required`."""

    def __init__(self, label: str, message: str, *, required: bool = False, **kwargs):
        super().__init__(label, widget=Select(), coerce=_int_or_none, **kwargs)
        self.message = message
        self.required = required

    def pre_validate(self, form):
        if self.data is None:
            if self.required:
                raise StopValidation(self.message)
            return
        if self.data not in {value for value, _ in self.choices}:
            raise StopValidation(self.message)


class ThemesField(SelectMultipleField):
    """Checkboxes of theme keys, with a plain message for a key not on the list."""

    def pre_validate(self, form):
        known = {value for value, _ in self.choices}
        if any(value not in known for value in self.data or []):
            raise StopValidation("Choose themes from the list")


def _title(what: str, example: str) -> StringField:
    """The title of a plan or a priority: required, at most TITLE_MAX characters."""
    return StringField(
        "Title",
        widget=TextInput(),
        validators=[
            InputRequired(f"Enter a title for the {what}"),
            Length(max=TITLE_MAX, message=f"Keep the title to {TITLE_MAX} characters or fewer"),
        ],
        description=f"For example: {example}",
    )


def _optional_text(label: str, description: str = "") -> TextAreaField:
    """A text box that may be left empty, at most TEXT_MAX characters."""
    return TextAreaField(
        label, widget=TextArea(), validators=[Length(max=TEXT_MAX)], description=description
    )


class PlanForm(QAForm):
    title = _title("plan", "Children's services improvement plan 2026 to 2027")
    description = _optional_text(
        "Description (optional)", "What the plan is for and where it comes from"
    )
    starts_on = DateInputField("Start date", "For example 1 4 2026", required=False)
    ends_on = DateInputField("End date", "On or after the start date", required=False)
    status = RadioField(
        "Status", widget=RadioInput(), choices=PLAN_STATUS_CHOICES, default="active"
    )
    submit = SubmitField("Save the plan", widget=SubmitInput())

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be on or after the start date")


class PriorityForm(QAForm):
    title = _title("priority", "Quality of assessments")
    description = _optional_text("Description (optional)")
    submit = SubmitField("Save the priority", widget=SubmitInput())


class ActionForm(QAForm):
    lock_version = HiddenField()
    description = TextAreaField(
        "Description",
        widget=TextArea(),
        validators=[
            InputRequired("Enter a description of the action"),
            Length(max=TEXT_MAX, message=f"Keep the description to {TEXT_MAX} characters"),
        ],
        description="What will be done, in a sentence or two",
    )
    priority = ChoiceOfIds("Priority", "Choose one of this plan's priorities")
    owner = ChoiceOfIds("Owner", "Choose an owner from the list of active accounts", required=True)
    due_date = DateInputField("Due date", "For example 31 3 2027")
    status = RadioField(
        "Status",
        widget=RadioInput(),
        choices=STATUS_CHOICES,
        default=ActionStatus.NOT_STARTED.value,
        validators=[InputRequired("Choose a status")],
    )
    started_on = DateInputField(
        "Started on (optional)",
        "The day work began: impact is measured from it. Left blank, it is set when the "
        "status first moves on from not started.",
        required=False,
    )
    source_kind = RadioField(
        "What does the action answer?",
        widget=RadioInput(),
        choices=SOURCE_CHOICES,
        default=ActionSource.OTHER.value,
        validators=[InputRequired("Choose what the action answers")],
    )
    source_cycle = ChoiceOfIds(
        "Audit cycle (if it answers an audit cycle)", "Choose an audit cycle from the list"
    )
    source_week = ChoiceOfIds(
        "Practice week (if it answers a practice week)", "Choose a practice week from the list"
    )
    source_note = StringField(
        "Source note (optional)",
        widget=TextInput(),
        validators=[Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX} characters")],
        description="For example: Ofsted ILACS 2026, recommendation 3",
    )
    themes = ThemesField(
        "Themes targeted",
        widget=CheckboxesInput(),
        description="The themes this action must move: the impact figures follow them",
    )
    expected_outcome = _optional_text(
        "Expected outcome (optional)", "What will be different for children and families"
    )
    submit = SubmitField("Save the action", widget=SubmitInput())

    def validate_source_cycle(self, field):
        if self.source_kind.data == ActionSource.AUDIT_CYCLE and field.data is None:
            raise ValidationError("Choose the audit cycle the action answers")

    def validate_source_week(self, field):
        if self.source_kind.data == ActionSource.PRACTICE_WEEK and field.data is None:
            raise ValidationError("Choose the practice week the action answers")


class ProgressForm(QAForm):
    lock_version = HiddenField()
    note = TextAreaField(
        "Progress note",
        widget=TextArea(),
        validators=[
            InputRequired("Enter a progress note"),
            Length(max=TEXT_MAX, message=f"Keep the note to {TEXT_MAX} characters"),
        ],
        description="What has been done since the last update, and what is next",
    )
    status = RadioField(
        "Status", widget=RadioInput(), choices=STATUS_CHOICES, validators=[InputRequired()]
    )
    submit = SubmitField("Add the update", widget=SubmitInput())
