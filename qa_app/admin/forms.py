"""Forms for accounts, teams, localities and organisation settings."""

from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, Regexp

from qa_app.auth.forms import new_password_validators
from qa_app.data.sign_in_throttle import KINDS
from qa_app.models import ROLE_LABELS
from qa_app.web.forms_base import QAForm, WholeNumberField
from qa_app.web.widgets import (
    CheckboxesInput,
    CheckboxInput,
    PasswordInput,
    Select,
    SubmitInput,
    TextInput,
)


class UserForm(QAForm):
    display_name = StringField(
        "Full name",
        widget=TextInput(),
        validators=[InputRequired("Enter the person's name"), Length(max=120)],
    )
    email = StringField(
        "Email address (optional)",
        widget=TextInput(),
        validators=[
            Optional(),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message="Enter an email address like name@example.gov.uk",
            ),
            Length(max=200),
        ],
    )
    roles = SelectMultipleField(
        "Roles",
        widget=CheckboxesInput(),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[InputRequired("Choose at least one role")],
        description="What this person may do. Board viewers see published aggregate reports only.",
    )
    teams = SelectMultipleField(
        "Teams",
        widget=CheckboxesInput(),
        coerce=int,
        description="Auditors are not assigned cases from their own teams.",
    )
    submit = SubmitField("Save", widget=SubmitInput())


class NewUserForm(UserForm):
    username = StringField(
        "Username",
        widget=TextInput(),
        validators=[InputRequired("Enter a username"), Length(max=80)],
        description="What the person types to sign in, for example j.smith",
    )
    password = PasswordField(
        "Initial password",
        widget=PasswordInput(),
        validators=new_password_validators(),
        description="At least 12 characters. Give it to the person securely; "
        "they can change it under Your account.",
    )
    submit = SubmitField("Create account", widget=SubmitInput())


class SetPasswordForm(QAForm):
    password = PasswordField(
        "New password",
        widget=PasswordInput(),
        validators=new_password_validators(),
        description="At least 12 characters. Every session of this account will be signed out.",
    )
    submit = SubmitField("Set password", widget=SubmitInput())


class ActionForm(QAForm):
    """An empty form: a POST button with its CSRF token."""


class ClearLockForm(QAForm):
    """The Clear button of one sign-in lock: which lock (kind and scope, as listed), and the
    account page to go back to when pressed there."""

    kind = HiddenField(validators=[AnyOf(KINDS)])
    account = HiddenField(validators=[Optional(), Length(max=80)])
    address = HiddenField(validators=[Optional(), Length(max=64)])
    device = HiddenField(validators=[Optional(), Length(max=32)])
    user_id = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,9}$")])


class SettingsForm(QAForm):
    council_name = StringField(
        "Council name",
        widget=TextInput(),
        validators=[InputRequired("Enter the council's name"), Length(max=120)],
    )
    service_name = StringField(
        "Service name",
        widget=TextInput(),
        validators=[InputRequired("Enter the service name"), Length(max=120)],
        description="Shown in the header of every page",
    )
    case_reference_pattern = StringField(
        "Case reference pattern",
        widget=TextInput(),
        validators=[InputRequired("Enter a case reference pattern"), Length(max=200)],
        description="A regular expression the whole case reference must match, for example "
        "[0-9]{6,10} for 6 to 10 digits (common patterns are listed below). Cases are never "
        "identified by name.",
    )
    case_reference_hint = StringField(
        "Case reference description",
        widget=TextInput(),
        validators=[
            InputRequired("Describe the case reference for people entering one"),
            Length(max=200),
        ],
        description="Shown to people when a case reference is refused",
    )
    small_number_threshold = WholeNumberField(
        "Suppress counts below",
        "Enter a whole number between 0 and 20",
        validators=[
            InputRequired("Enter a whole number between 0 and 20"),
            NumberRange(0, 20, "Enter a whole number between 0 and 20"),
        ],
        description="In what is published to the public, counts below this are hidden, and "
        "so is the next smallest count wherever a hidden count could otherwise be worked out "
        "from a total. 0 turns suppression off.",
    )
    partnership_threshold = WholeNumberField(
        "Suppress counts below, for the partnership (optional)",
        "Enter a whole number between 0 and 20, or leave it blank",
        validators=[
            Optional(),
            NumberRange(0, 20, "Enter a whole number between 0 and 20, or leave it blank"),
        ],
        description='The safeguarding board and the scrutiny committee read exact counts ("2 '
        'judged inadequate"). Leave blank or 0 for that; a number hides counts below it from '
        "them too, month by month: with few audits a month, most of a year's counts are then "
        "hidden.",
    )
    min_group_size = WholeNumberField(
        "Smallest team or locality shown on its own",
        "Enter a whole number between 1 and 100",
        validators=[
            # left out of a form (a script, an older page): the setting stays as it is
            Optional(),
            NumberRange(1, 100, "Enter a whole number between 1 and 100"),
        ],
        description="Outside the QA team, a team or locality is shown on its own only with at "
        "least this many completed audits in the period; smaller ones are counted together.",
    )
    mfa_required_roles = SelectMultipleField(
        "Roles that must use two-step sign-in",
        widget=CheckboxesInput(),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        description="People with any of these roles enter a code from an authenticator app "
        "after their password. Anyone not yet set up is asked to set it up when they next sign "
        "in. Anyone may turn it on for themselves under Your account.",
    )
    submit = SubmitField("Save settings", widget=SubmitInput())


class CaseReferenceCheckForm(QAForm):
    case_reference = StringField(
        "Check a case reference",
        widget=TextInput(),
        validators=[InputRequired("Enter a case reference to check")],
    )
    submit = SubmitField("Check", widget=SubmitInput())


class LocalityForm(QAForm):
    name = StringField(
        "Locality name",
        widget=TextInput(),
        validators=[InputRequired("Enter the locality's name"), Length(max=120)],
    )
    submit = SubmitField("Save", widget=SubmitInput())


class TeamForm(QAForm):
    name = StringField(
        "Team name",
        widget=TextInput(),
        validators=[InputRequired("Enter the team's name"), Length(max=120)],
    )
    locality_id = SelectField("Locality", widget=Select(), coerce=int)
    active = BooleanField("The team is active", widget=CheckboxInput(), default=True)
    submit = SubmitField("Save", widget=SubmitInput())
