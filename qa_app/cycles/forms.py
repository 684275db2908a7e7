"""Forms for audit cycles: the cycle, adding a case, uploading a case list, sampling and
assigning auditors."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from qa_app.data.cycles import KIND_LABELS
from qa_app.data.sampling import DEFAULT_EXCLUDE_MONTHS, MAX_SEED
from qa_app.web.forms_base import (
    IdChoiceField,
    NamedChoicesField,
    NamedRadioField,
    QAForm,
    WholeNumberField,
)
from qa_app.web.widgets import (
    CheckboxesInput,
    CheckboxInput,
    DateInputField,
    FileInput,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)


def DayMonthYearField(label: str, description: str = "", **kwargs):  # noqa: N802
    """A required GOV.UK date input (see qa_app.web.widgets.DateInputField)."""
    return DateInputField(label, description, required=True, **kwargs)


def shown_count(field) -> int | None:
    """The number of undrawn cases the page showed (a hidden field), or None if not posted."""
    text = (field.data or "").strip()
    return int(text) if text.isdecimal() and len(text) < 10 else None


def _date(label: str, description: str) -> DayMonthYearField:
    return DayMonthYearField(label, description)


class CycleForm(QAForm):
    name = StringField(
        "Name",
        widget=TextInput(),
        validators=[InputRequired("Enter a name for the cycle"), Length(max=200)],
        description="For example: CIN plans, Q3 2026",
    )
    kind = RadioField(
        "Kind of cycle",
        widget=RadioInput(),
        choices=[  # a follow-up is made from the cycle it follows (follow_up_routes)
            (k.value, label) for k, label in KIND_LABELS.items() if k != "follow_up"
        ],
        validators=[InputRequired("Choose what kind of cycle this is")],
    )
    description = TextAreaField(
        "Description (optional)",
        widget=TextArea(),
        validators=[Length(max=5000)],
        description="The purpose of the cycle: what it looks at and why",
    )
    period_start = _date("Start of the period", "For example, 1 10 2026")
    period_end = _date("End of the period", "On or after the start")
    due_date = _date("Due date", "When the audits should be submitted")
    templates = SelectMultipleField(
        "Templates",
        widget=CheckboxesInput(),
        coerce=int,
        validators=[InputRequired("Choose at least one template")],
        description="The audit templates cases in this cycle are audited with",
    )
    theme_focus = SelectField(
        "Theme focus (optional)",
        widget=Select(),
        default="",
        description="For a themed audit, the theme it looks at",
    )
    moderation_share = WholeNumberField(
        "Share of audits moderated (%)",
        "Enter the share as a whole number from 0 to 100, like 10",
        default=10,
        validators=[
            InputRequired("Enter the share of audits to moderate, a whole number from 0 to 100"),
            NumberRange(0, 100, "Enter a whole number from 0 to 100"),
        ],
    )
    submit = SubmitField("Save cycle", widget=SubmitInput())

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("The end of the period must be on or after its start")


class AddCaseForm(QAForm):
    case_reference = StringField(
        "Case reference",
        widget=TextInput(),
        validators=[InputRequired("Enter the case reference"), Length(max=60)],
    )
    team_id = IdChoiceField("Team", "Choose the case's team")
    worker = StringField(
        "Worker (optional)",
        widget=TextInput(),
        validators=[Length(max=120)],
        description="The allocated worker's role or staff ID. Never a child's or family's name.",
    )
    template_id = IdChoiceField("Template", "Choose a template")
    submit = SubmitField("Add case", widget=SubmitInput())


class UploadForm(QAForm):
    file = FileField(
        "Case list file",
        widget=FileInput(),
        description="A CSV or XLSX file with the columns case_reference and team, and "
        "optionally worker, legal_status, age_band and date_opened (YYYY-MM-DD or DD/MM/YYYY).",
    )
    submit = SubmitField("Upload case list", widget=SubmitInput())


class AuditAllForm(QAForm):
    template_id = IdChoiceField("Template", "Choose a template")
    undrawn = HiddenField()  # the undrawn cases the page showed: see shown_count
    submit = SubmitField("Audit every case on the list", widget=SubmitInput())


class SampleForm(QAForm):
    template_id = IdChoiceField("Template", "Choose a template")
    undrawn = HiddenField()  # the undrawn cases the page showed: see shown_count
    mode = RadioField(
        "How many cases from each team",
        widget=RadioInput(),
        choices=[
            ("count", "A number of cases from each team"),
            ("percent", "A percentage of each team's cases"),
        ],
        validators=[InputRequired("Choose a number or a percentage of each team's cases")],
    )
    amount = WholeNumberField(
        "Number or percentage",
        "Enter a whole number, like 5",
        validators=[
            InputRequired("Enter how many cases (or what percentage) to draw from each team"),
            NumberRange(1, 1000, "Enter a whole number from 1 to 1000"),
        ],
        description="A percentage is of the team's cases on the list not yet drawn, rounded "
        "half up, and at least 1 from every team with cases.",
    )
    exclude_months = WholeNumberField(
        "Leave out cases audited in the last (months)",
        "Enter a whole number of months, like 12",
        default=DEFAULT_EXCLUDE_MONTHS,
        validators=[
            InputRequired("Enter a number of months, 0 to draw from every case"),
            NumberRange(0, 120, "Enter a whole number of months from 0 to 120"),
        ],
        description="Cases with an audit (in any cycle) done in this many months are not "
        "drawn: submitted then, or started then if not yet submitted. 0 leaves none out.",
    )
    seed = WholeNumberField(
        "Seed (optional)",
        "Enter the seed as a whole number, like 482913, or leave it blank",
        validators=[
            Optional(),
            NumberRange(0, MAX_SEED, f"Enter a whole number from 0 to {MAX_SEED}"),
        ],
        description="Leave blank for a random draw. Type the seed of an earlier draw to "
        "reproduce it from the same case list.",
    )
    submit = SubmitField("Draw sample", widget=SubmitInput())

    def validate_amount(self, field):
        if self.mode.data == "percent" and field.data is not None and field.data > 100:
            raise ValidationError("Enter a percentage from 1 to 100")


class AssignForm(QAForm):
    auditor_id = NamedRadioField(
        "Auditor",
        widget=RadioInput(),
        coerce=int,
        validators=[InputRequired("Choose an auditor")],
    )
    override = BooleanField(
        "Assign even though the auditor is in the case's team (own-team audit)",
        widget=CheckboxInput(),
    )
    submit = SubmitField("Assign", widget=SubmitInput())


def _ids(label: str, message: str | None = None, description: str = ""):
    """Checkboxes of record ids; `message` makes at least one required."""
    return NamedChoicesField(
        label,
        widget=CheckboxesInput(),
        coerce=int,
        validators=[InputRequired(message)] if message else [Optional()],
        description=description,
    )


class AuditorFilterForm(QAForm):
    """Narrowing the list of auditors (a GET form: no CSRF, nothing stored)."""

    class Meta:
        csrf = False

    auditor_name = StringField("Name contains", widget=TextInput(), validators=[Length(max=120)])
    auditor_team = IdChoiceField("In team")
    filter = SubmitField("Filter auditors", widget=SubmitInput())


class BulkAssignForm(QAForm):
    """Assign a cycle's unassigned audits in bulk: preview, then confirm."""

    team_ids = _ids(
        "Case teams (optional)",
        description="Leave every box empty to assign the unassigned audits of every team.",
    )
    how = RadioField(
        "How to share them",
        widget=RadioInput(),
        choices=[
            ("even", "Spread evenly among the chosen auditors"),
            ("capacity", "Top each chosen auditor up to a number of open audits"),
        ],
        default="even",
        validators=[InputRequired("Choose how to share the audits")],
    )
    capacity = WholeNumberField(
        "Open audits each (for topping up)",
        "Enter the number of open audits as a whole number, like 8",
        validators=[Optional(), NumberRange(1, 500, "Enter a whole number from 1 to 500")],
        description="Fewest-loaded first; nobody is given an audit that takes them above it.",
    )
    auditor_ids = _ids(
        "Auditors",
        "Choose at least one auditor",
        "Each audit goes to the chosen auditor with the fewest open audits (across every "
        "cycle) who is not in the case's team.",
    )
    plan = HiddenField()  # the preview's fingerprint, posted back with the confirmation
    submit = SubmitField("Preview", widget=SubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.how.data == "capacity" and self.capacity.data is None and not self.capacity.errors:
            self.capacity.errors = ["Enter the number of open audits to top each auditor up to"]
            valid = False
        return valid


class ReassignForm(QAForm):
    """One auditor's open audits: reassign the chosen ones, or unassign them."""

    audit_ids = _ids("Audits", "Choose at least one audit")
    auditor_ids = _ids(
        "Give them to",
        description="One auditor takes them all; several share them, fewest open audits first. "
        "Nobody is given an audit of their own team.",
    )
    plan = HiddenField()
    reassign = SubmitField("Preview reassigning", widget=SubmitInput())
    unassign = SubmitField("Preview unassigning", widget=SubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Without the unassign button it is a reassignment (a post with neither button too):
        # nobody chosen is its own error, on the field, not a reason given for every audit.
        if not self.unassign.data and not self.auditor_ids.data and not self.auditor_ids.errors:
            self.auditor_ids.errors = ["Give them to: choose at least one auditor"]
            valid = False
        return valid


class ConfirmForm(QAForm):
    """Only the CSRF token and the plan's fingerprint: the plan is recomputed from the post."""

    plan = HiddenField()
    submit = SubmitField("Confirm", widget=SubmitInput())
