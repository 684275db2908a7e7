"""Forms for accounts, teams, localities and organisation settings."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from qa_app.auth.forms import new_password_validators
from qa_app.models import ROLE_LABELS
from qa_app.widgets import CheckboxesInput


class UserForm(FlaskForm):
    display_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the person's name"), Length(max=120)],
    )
    email = StringField(
        "Email address (optional)",
        widget=GovTextInput(),
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
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewUserForm(UserForm):
    username = StringField(
        "Username",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a username"), Length(max=80)],
        description="What the person types to sign in, for example j.smith",
    )
    password = PasswordField(
        "Initial password",
        widget=GovPasswordInput(),
        validators=new_password_validators(),
        description="At least 12 characters. Give it to the person securely; "
        "they can change it under Your account.",
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=new_password_validators(),
        description="At least 12 characters. Every session of this account will be signed out.",
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """An empty form: a POST button with its CSRF token."""


class SettingsForm(FlaskForm):
    council_name = StringField(
        "Council name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the council's name"), Length(max=120)],
    )
    service_name = StringField(
        "Service name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the service name"), Length(max=120)],
        description="Shown in the header of every page",
    )
    case_reference_pattern = StringField(
        "Case reference pattern",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a case reference pattern"), Length(max=200)],
        description="A regular expression the whole case reference must match, for example "
        "[0-9]{6,10} for 6 to 10 digits. Cases are never identified by name.",
    )
    case_reference_hint = StringField(
        "Case reference description",
        widget=GovTextInput(),
        validators=[
            InputRequired("Describe the case reference for people entering one"),
            Length(max=200),
        ],
        description="Shown to people when a case reference is refused",
    )
    small_number_threshold = IntegerField(
        "Suppress counts below",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a whole number between 0 and 20"),
            NumberRange(0, 20, "Enter a whole number between 0 and 20"),
        ],
        description="In outputs for the safeguarding board, counts below this are hidden, and "
        "so is the next smallest count wherever a hidden count could otherwise be worked out "
        "from a total. 0 turns suppression off.",
    )
    mfa_required_roles = SelectMultipleField(
        "Roles that must use two-step sign-in",
        widget=CheckboxesInput(),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        description="People with any of these roles enter a code from an authenticator app "
        "after their password. Anyone not yet set up is asked to set it up when they next sign "
        "in. Anyone may turn it on for themselves under Your account.",
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


class CaseReferenceCheckForm(FlaskForm):
    case_reference = StringField(
        "Check a case reference",
        widget=GovTextInput(),
        validators=[InputRequired("Enter a case reference to check")],
    )
    submit = SubmitField("Check", widget=GovSubmitInput())


class LocalityForm(FlaskForm):
    name = StringField(
        "Locality name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the locality's name"), Length(max=120)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    name = StringField(
        "Team name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the team's name"), Length(max=120)],
    )
    locality_id = SelectField("Locality", widget=GovSelect(), coerce=int)
    active = BooleanField("The team is active", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save", widget=GovSubmitInput())
