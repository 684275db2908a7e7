"""Forms for drafting and editing reports."""

from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from qa_app.documents.board_form import FINDING_KINDS, SECTION_HINTS
from qa_app.models import ReportAudience
from qa_app.rules.uk_time import EARLIEST, LATEST
from qa_app.web.forms_base import QAForm, int_or_none
from qa_app.web.widgets import (
    CheckboxesInput,
    DateInputField,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)

AUDIENCES = [
    (
        ReportAudience.INTERNAL.value,
        "For the service (OFFICIAL-SENSITIVE): every figure, and the list of actions raised "
        "for children's cases",
    ),
    (
        ReportAudience.PARTNERSHIP.value,
        "For the partnership: the safeguarding board and the scrutiny committee (OFFICIAL): "
        "aggregates with exact counts, no case references, no case free text",
    ),
    (
        ReportAudience.PUBLIC.value,
        "For the public, published on the council's website (OFFICIAL): aggregates, small "
        "numbers hidden, no case references",
    ),
]


def _optional_title(made_from: str) -> StringField:
    return StringField(
        "Title (optional)",
        widget=TextInput(),
        validators=[Optional(), Length(max=200, message="Keep the title under 200 characters")],
        description=f"Left blank, the title is made from {made_from}",
    )


def _dates_in_range(form) -> bool:
    """Each date of the period typed has a year from 1900 to 2999."""
    ok = True
    for field in (form.period_start, form.period_end):
        if field.data and not EARLIEST <= field.data <= LATEST:
            field.errors.append("Enter a date between 1900 and 2999")
            ok = False
    return ok


def _end_after_start(form) -> bool:
    start, end = form.period_start.data, form.period_end.data
    if start and end and end < start:
        form.period_end.errors.append("The end of the period must be after its start")
        return False
    return True


class NewReportForm(QAForm):
    cycle = SelectField(
        "Audit cycle",
        widget=Select(),
        coerce=int_or_none,
        description="Leave as 'No cycle' to report on a period instead",
    )
    period_start = DateInputField("Start of the period", "For example 1 4 2026", required=False)
    period_end = DateInputField("End of the period", "For example 30 6 2026", required=False)
    template = SelectField("Template", widget=Select(), validators=[Optional()])
    audience = RadioField(
        "Who is the report for?",
        widget=RadioInput(),
        choices=AUDIENCES,
        default=ReportAudience.INTERNAL.value,
    )
    title = _optional_title("the cycle or the period")
    submit = SubmitField("Draft the report", widget=SubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = _dates_in_range(self) and ok
        if self.cycle.data is None:
            if self.period_start.data is None and not self.period_start.errors:
                self.period_start.errors.append("Choose a cycle, or enter the start of the period")
                ok = False
            if self.period_end.data is None and not self.period_end.errors:
                self.period_end.errors.append("Enter the end of the period")
                ok = False
            ok = _end_after_start(self) and ok
        return ok


class VersionForm(QAForm):
    """A button acting on a draft version (publish), carrying the version it was based on."""

    lock_version = HiddenField()
    submit = SubmitField("Publish this version", widget=SubmitInput())


class RedraftForm(QAForm):
    submit = SubmitField("Draft again from today's data", widget=SubmitInput())


def edit_form(report, formdata=None):
    """A form with a text box per narrative section, then the key findings."""

    class EditReportForm(QAForm):
        lock_version = HiddenField()
        strengths = TextAreaField(
            "Key findings: strengths", widget=TextArea(), description="One finding per line"
        )
        concerns = TextAreaField(
            "Key findings: concerns", widget=TextArea(), description="One finding per line"
        )
        development = TextAreaField(
            "Key findings: areas for development",
            widget=TextArea(),
            description="One finding per line",
        )
        submit = SubmitField("Save the draft", widget=SubmitInput())

    for i, section in enumerate(report.sections):
        setattr(
            EditReportForm,
            f"section__{i}",
            TextAreaField(section["title"], widget=TextArea()),
        )
    form = EditReportForm(formdata=formdata)
    if formdata is None:
        form.lock_version.data = str(report.lock_version)
        form.strengths.data = "\n".join(report.key_findings.get("strengths", []))
        form.concerns.data = "\n".join(report.key_findings.get("concerns", []))
        form.development.data = "\n".join(report.key_findings.get("development", []))
        for i, section in enumerate(report.sections):
            getattr(form, f"section__{i}").data = section["text"]
    form.section_fields = [getattr(form, f"section__{i}") for i in range(len(report.sections))]
    return form


# ---- the single-agency report to the safeguarding board ---------------------------------------


class NewBoardReportForm(QAForm):
    agency = StringField(
        "Agency",
        widget=TextInput(),
        validators=[
            InputRequired("Enter the agency the report is for"),
            Length(max=120, message="Keep the agency's name under 120 characters"),
        ],
        description="For example Children's Services",
    )
    period_start = DateInputField("Start of the period", "For example 1 4 2026")
    period_end = DateInputField("End of the period", "For example 31 3 2027")
    indicators = SelectMultipleField(
        "Performance indicators to show",
        widget=CheckboxesInput(),
        coerce=int,
        validators=[Optional()],
        description="Shown for the period's last month, against target and comparators",
    )
    title = _optional_title("the agency and the period")
    submit = SubmitField("Draft the board report", widget=SubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = _dates_in_range(self) and ok
        return _end_after_start(self) and ok


def board_edit_form(report, formdata=None):
    """A text box per section of the board's form, then the three lists of key findings."""

    class EditBoardReportForm(QAForm):
        lock_version = HiddenField()
        submit = SubmitField("Save the draft", widget=SubmitInput())

    for name, label in FINDING_KINDS:
        setattr(
            EditBoardReportForm,
            name,
            TextAreaField(
                f"Key findings: {label.lower()}",
                widget=TextArea(),
                description="One finding per line",
            ),
        )
    for i, section in enumerate(report.sections):
        setattr(
            EditBoardReportForm,
            f"section__{i}",
            TextAreaField(
                section["title"],
                widget=TextArea(),
                description=SECTION_HINTS.get(section["key"], ""),
            ),
        )
    form = EditBoardReportForm(formdata=formdata)
    if formdata is None:
        form.lock_version.data = str(report.lock_version)
        for name, _ in FINDING_KINDS:
            getattr(form, name).data = "\n".join(report.key_findings.get(name, []))
        for i, section in enumerate(report.sections):
            getattr(form, f"section__{i}").data = section["text"]
    form.section_fields = [getattr(form, f"section__{i}") for i in range(len(report.sections))]
    form.finding_fields = [getattr(form, name) for name, _ in FINDING_KINDS]
    return form


# ---- the performance pack for the scrutiny committee ------------------------------------------


class NewScrutinyReportForm(QAForm):
    month = SelectField(
        "Month",
        widget=Select(),
        validators=[InputRequired("Choose the month the pack is for")],
        description="The figures are to the end of this month; the audits, the practice week "
        "and the actions are those of the financial year to its end",
    )
    title = _optional_title("the month")
    submit = SubmitField("Draft the scrutiny pack", widget=SubmitInput())


def scrutiny_edit_form(report, formdata=None):
    """A text box per section of the pack: each area, then demand, the practice week, the
    audit themes and the actions."""

    class EditScrutinyReportForm(QAForm):
        lock_version = HiddenField()
        submit = SubmitField("Save the draft", widget=SubmitInput())

    for i, section in enumerate(report.sections):
        setattr(
            EditScrutinyReportForm,
            f"section__{i}",
            TextAreaField(
                section["title"],
                widget=TextArea(),
                description="One point per line: each line is a bullet in the pack",
            ),
        )
    form = EditScrutinyReportForm(formdata=formdata)
    if formdata is None:
        form.lock_version.data = str(report.lock_version)
        for i, section in enumerate(report.sections):
            getattr(form, f"section__{i}").data = section["text"]
    form.section_fields = [getattr(form, f"section__{i}") for i in range(len(report.sections))]
    return form


# ---- reviews the service learns from (serious case and practice reviews) ---------------------


class ReviewForm(QAForm):
    name = StringField(
        "Name of the review",
        widget=TextInput(),
        validators=[
            InputRequired("Enter the review's name"),
            Length(max=200, message="Keep the name under 200 characters"),
        ],
        description="For example: Child safeguarding practice review, Child F",
    )
    reference = StringField(
        "Reference (optional)",
        widget=TextInput(),
        validators=[Optional(), Length(max=60, message="Keep the reference under 60 characters")],
        description="The safeguarding partnership's reference for the review",
    )
    published_on = DateInputField(
        "Date of the review's report", "For example 10 2 2014", required=False
    )
    submit = SubmitField("Save the review", widget=SubmitInput())


class RecommendationForm(QAForm):
    text = TextAreaField(
        "Recommendation",
        widget=TextArea(),
        validators=[
            InputRequired("Enter the recommendation"),
            Length(max=2000, message="Keep the recommendation under 2,000 characters"),
        ],
    )
    actions = SelectMultipleField(
        "Improvement actions answering it",
        widget=CheckboxesInput(),
        coerce=int,
        validators=[Optional()],
        description="Tick each action in the improvement plan that answers this recommendation",
    )
    submit = SubmitField("Save the recommendation", widget=SubmitInput())


class RemoveForm(QAForm):
    submit = SubmitField("Remove this recommendation", widget=SubmitInput())
