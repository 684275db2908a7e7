"""Forms for planning a practice week, scheduling its activities and recording them. The
observation and shadowing questions come from the template (qa_app.web.template_forms)."""

from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from qa_app.data.practice_week_records import PARTICIPANTS, THEME_MARKS
from qa_app.data.practice_weeks import MAX_DAYS
from qa_app.models.practice_weeks import ACTIVITY_KIND_LABELS, MEETING_TYPE_LABELS
from qa_app.web.forms_base import QAForm
from qa_app.web.template_forms import section_form
from qa_app.web.widgets import (
    CheckboxesInput,
    DateInputField,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)

NO_NAMES = "Never a child's, family member's or worker's name: use roles and places."


def _int_or_none(value):
    return None if value in ("", None) else int(value)


class IdChoiceField(SelectField):
    """A select of ids with a prompt first; `message` when nothing is chosen (if required)."""

    def __init__(self, label: str, message: str | None = None, **kwargs):
        super().__init__(label, widget=Select(), coerce=_int_or_none, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if self.data is None:
            if self.message:
                raise StopValidation(self.message)
            return
        super().pre_validate(form)


class Versioned(QAForm):
    lock_version = HiddenField()


class WeekForm(Versioned):
    name = StringField(
        "Name",
        widget=TextInput(),
        validators=[InputRequired("Enter a name for the week"), Length(max=200)],
        description="For example: Practice week, October 2026",
    )
    starts_on = DateInputField("First day", "For example, 5 10 2026")
    ends_on = DateInputField("Last day", f"On or after the first day; at most {MAX_DAYS} days")
    purpose = TextAreaField(
        "Purpose and scope (optional)",
        widget=TextArea(),
        validators=[Length(max=5000)],
        description="What the week looks at and why. It opens the week's report.",
    )
    new_focus_areas = TextAreaField(
        "Focus areas",
        widget=TextArea(),
        validators=[Length(max=5000)],
        description='One a line. For example: "The front door: MASH and initial response".',
    )
    managers = SelectMultipleField(
        "Senior managers taking part",
        widget=CheckboxesInput(),
        coerce=int,
        validators=[Optional()],
    )
    submit = SubmitField("Save week", widget=SubmitInput())

    def validate_ends_on(self, field):
        start = self.starts_on.data
        if field.data and start and field.data < start:
            raise ValidationError("The last day must be on or after the first day")
        if field.data and start and (field.data - start).days + 1 > MAX_DAYS:
            raise ValidationError(f"A practice week can be at most {MAX_DAYS} days long")


def week_form(areas) -> type[WeekForm]:
    """The week form with one box per existing focus area (rename it; clear it to remove it),
    so areas keep their ids however they are reworded."""
    attrs = {
        f"area__{area.id}": StringField(
            f"Focus area {area.number}",
            widget=TextInput(),
            validators=[Length(max=200)],
            description="Clear the box to remove this area",
        )
        for area in areas
    }
    return type("EditWeekForm", (WeekForm,), attrs)


class ActivityForm(Versioned):
    kind = RadioField(
        "Activity",
        widget=RadioInput(),
        choices=[(k.value, label) for k, label in ACTIVITY_KIND_LABELS.items()],
        validators=[InputRequired("Choose what kind of activity this is")],
    )
    meeting_type = SelectField(
        "Meeting to observe",
        widget=Select(),
        choices=[("", "Choose a meeting")]
        + [(k.value, label) for k, label in MEETING_TYPE_LABELS.items()],
        description="Only for observing a meeting",
        default="",
    )
    day = SelectField(
        "Day", widget=Select(), validators=[InputRequired("Choose a day within the week")]
    )
    time = StringField(
        "Time (optional)",
        widget=TextInput(),
        validators=[Length(max=5)],
        description="24-hour clock, for example 09:30",
    )
    manager_id = IdChoiceField("Senior manager", "Choose one of the week's senior managers")
    team_id = IdChoiceField("Team (optional)")
    focus_area_id = IdChoiceField("Focus area (optional)")
    details = TextAreaField(
        "Where and what (optional)",
        widget=TextArea(),
        validators=[Length(max=300)],
        description=f'For example: "ICPC, Riverside office". {NO_NAMES}',
    )
    submit = SubmitField("Save activity", widget=SubmitInput())


class CancelForm(Versioned):
    reason = TextAreaField(
        "Why is it cancelled?",
        widget=TextArea(),
        validators=[InputRequired("Say why the activity is cancelled"), Length(max=1000)],
        description="Kept in the activity's history. " + NO_NAMES,
    )
    submit = SubmitField("Cancel activity", widget=SubmitInput())


def observation_form(content: dict) -> type[Versioned]:
    """Every question of the template on one form (no section grades: observations are not
    graded), then a theme mark per theme and a summary."""
    attrs: dict = {}
    layouts = []
    for section in content["template"]["sections"]:
        form_class, layout = section_form(content, section["key"], blocks={})
        for name in dir(form_class):
            field = getattr(form_class, name, None)
            if isinstance(field, UnboundField) and name.startswith("q__"):
                attrs[name] = field
        layouts.append(layout)
    for key, theme in content["themes"].items():
        attrs[f"theme__{key}"] = RadioField(
            theme["name"],
            choices=list(THEME_MARKS.items()),
            widget=RadioInput(),
            description=theme.get("description", ""),
            validators=[Optional()],
        )
    attrs["summary"] = TextAreaField(
        "Summary",
        widget=TextArea(),
        validators=[Length(max=10000)],
        description="What you saw, in a few lines, for the week's findings. " + NO_NAMES,
    )
    form_class = type("ObservationForm", (Versioned,), attrs)
    form_class.layouts = layouts
    return form_class


class ConversationForm(Versioned):
    participant = RadioField(
        "Who was the conversation with?",
        widget=RadioInput(),
        choices=list(PARTICIPANTS.items()),
        validators=[Optional()],
    )
    consent_given = RadioField(
        "Did they consent to what they said being recorded?",
        widget=RadioInput(),
        choices=[("yes", "Yes"), ("no", "No")],
        validators=[Optional()],
        description="Without consent, nothing of what was said is kept: only that the "
        "conversation took place.",
    )
    consent_how = TextAreaField(
        "How was consent recorded?",
        widget=TextArea(),
        validators=[Length(max=2000)],
        description='For example: "Verbal consent, recorded on the case file" or "Signed '
        'consent form". ' + NO_NAMES,
    )
    summary = TextAreaField(
        "What you heard",
        widget=TextArea(),
        validators=[Length(max=10000)],
        description="Only with consent. " + NO_NAMES,
    )


class AuditRecordForm(Versioned):
    case_reference = StringField(
        "Case reference",
        widget=TextInput(),
        validators=[InputRequired("Enter the case reference"), Length(max=60)],
    )
    team_id = IdChoiceField("Team", "Choose the case's team")
    template_id = IdChoiceField("Template", "Choose a template")
    submit = SubmitField("Start the audit", widget=SubmitInput())
