"""The form that makes a follow-up cycle: how many months after the original, its name, and
(on the preview) the number of audits the preview showed, posted back with the confirmation."""

from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from qa_app.data.follow_up import MAX_MONTHS, MIN_MONTHS
from qa_app.web.forms_base import QAForm, WholeNumberField
from qa_app.web.widgets import SubmitInput, TextInput


class FollowUpForm(QAForm):
    months = WholeNumberField(
        "Months after the end of the original cycle's period",
        "Enter a whole number of months, like 6",
        default=6,
        validators=[
            InputRequired("Enter how many months after the original cycle to audit again"),
            NumberRange(
                MIN_MONTHS, MAX_MONTHS, f"Enter a whole number from {MIN_MONTHS} to {MAX_MONTHS}"
            ),
        ],
        description="The follow-up's period starts this many months after the original's "
        "ended and is as long as the original's.",
    )
    name = StringField(
        "Name of the follow-up cycle (optional)",
        widget=TextInput(),
        validators=[Optional(), Length(max=200)],
        description="Leave blank for the original's name with the number of months.",
    )
    expected = HiddenField()  # the audits the preview showed: see shown_count
    preview = SubmitField("Check what would be created", widget=SubmitInput())
    confirm = SubmitField("Create the follow-up cycle", widget=SubmitInput())
