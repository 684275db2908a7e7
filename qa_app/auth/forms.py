"""Forms for signing in and changing one's own password."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from qa_app.data.users import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    username = StringField(
        "Username",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your username"), Length(max=80)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=256)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def new_password_validators():
    return [
        InputRequired("Enter a new password"),
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=256,
            message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters",
        ),
    ]


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=new_password_validators(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a "
        "good password.",
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired("Confirm the new password"),
            EqualTo("new_password", "The passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SecondStepForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the code from your authenticator app"), Length(max=64)],
        description="The 6-digit code your authenticator app shows now, or one of your "
        "recovery codes.",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ConfirmTotpForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the 6-digit code from your app"), Length(max=16)],
        description="Add the account to your app, then enter the 6-digit code it shows.",
    )
    submit = SubmitField("Turn on two-step sign-in", widget=GovSubmitInput())


class PasswordConfirmForm(FlaskForm):
    """An action that needs the person's password again (turning two-step sign-in off,
    replacing recovery codes)."""

    password = PasswordField(
        "Your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=256)],
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())
