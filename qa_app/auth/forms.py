"""Forms for signing in and changing one's own password."""

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from qa_app.data.users import MIN_PASSWORD_LENGTH
from qa_app.web.forms_base import ExistingPasswordField, QAForm
from qa_app.web.widgets import PasswordInput, SubmitInput, TextInput


class SignInForm(QAForm):
    username = StringField(
        "Username",
        widget=TextInput(),
        validators=[InputRequired("Enter your username"), Length(max=80)],
    )
    password = ExistingPasswordField(
        "Password",
        widget=PasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=256)],
    )
    submit = SubmitField("Sign in", widget=SubmitInput())


def new_password_validators():
    return [
        InputRequired("Enter a new password"),
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=256,
            message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters",
        ),
    ]


class ChangePasswordForm(QAForm):
    current_password = ExistingPasswordField(
        "Current password",
        widget=PasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    new_password = PasswordField(
        "New password",
        widget=PasswordInput(),
        validators=new_password_validators(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a "
        "good password.",
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=PasswordInput(),
        validators=[
            InputRequired("Confirm the new password"),
            EqualTo("new_password", "The passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=SubmitInput())


class SecondStepForm(QAForm):
    code = StringField(
        "Code",
        widget=TextInput(),
        validators=[InputRequired("Enter the code from your authenticator app"), Length(max=64)],
        description="The 6-digit code your authenticator app shows now, or one of your "
        "recovery codes.",
    )
    submit = SubmitField("Continue", widget=SubmitInput())


class ConfirmTotpForm(QAForm):
    code = StringField(
        "Code from your authenticator app",
        widget=TextInput(),
        validators=[InputRequired("Enter the 6-digit code from your app"), Length(max=16)],
        description="Add the account to your app, then enter the 6-digit code it shows.",
    )
    submit = SubmitField("Turn on two-step sign-in", widget=SubmitInput())


class PasswordConfirmForm(QAForm):
    """An action that needs the person's password again (turning two-step sign-in off,
    replacing recovery codes)."""

    password = ExistingPasswordField(
        "Your password",
        widget=PasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=256)],
    )
    submit = SubmitField("Confirm", widget=SubmitInput())
