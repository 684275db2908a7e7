"""The calibration forms: opening a round, one case's grades (built per round from the
template version's items), closing a round, and the grades agreed at the meeting."""

from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from qa_app.templates_engine.calibration_items import Item
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


class OpenRoundForm(QAForm):
    name = StringField(
        "Name",
        widget=TextInput(),
        validators=[InputRequired("Enter a name for the round"), Length(max=200)],
        description="For example: Calibration, single assessments, December 2026",
    )
    template = SelectField(
        "Audit template",
        widget=Select(),
        validators=[InputRequired("Choose the template the auditors grade with")],
    )
    case_references = TextAreaField(
        "Case references",
        widget=TextArea(),
        validators=[InputRequired("Enter at least one case reference"), Length(max=2000)],
        description="One a line. The cases must already be known to the service.",
    )
    auditors = SelectMultipleField(
        "Auditors taking part",
        widget=CheckboxesInput(),
        coerce=int,
        validators=[Optional()],
        description="Three or more, so that the agreement figures mean something; two at least.",
    )
    due_date = DateInputField("Grades due by", "For example, 18 12 2026", required=False)
    submit = SubmitField("Open the round", widget=SubmitInput())


def field_name(item: Item) -> str:
    return "item__" + item.key.replace(":", "__")


def grades_form(items: list[Item]) -> type[QAForm]:
    """One set of radios per item; every one may be left blank in a draft."""
    attrs: dict[str, object] = {
        field_name(item): RadioField(
            item.label,
            widget=RadioInput(),
            choices=list(item.levels),
            validators=[Optional()],
        )
        for item in items
    }
    attrs["note"] = TextAreaField(
        "Note (optional)",
        widget=TextArea(),
        validators=[Length(max=5000)],
        description="What the meeting agreed and why",
    )
    attrs["save"] = SubmitField("Save", widget=SubmitInput())
    return type("GradesForm", (QAForm,), attrs)


class SubmitGradesForm(QAForm):
    submit = SubmitField("Submit your grades", widget=SubmitInput())


class CloseRoundForm(QAForm):
    notes = TextAreaField(
        "Meeting notes (optional)",
        widget=TextArea(),
        validators=[Length(max=5000)],
        description="Closing the round shows every submitted grade to everyone in it.",
    )
    submit = SubmitField("Close the round", widget=SubmitInput())
