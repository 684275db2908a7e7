"""Forms for the annual self-evaluation: the period to draft it for, and a text box per
judgement area and heading."""

from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from qa_app.web.forms_base import QAForm
from qa_app.web.widgets import DateInputField, SubmitInput, TextArea, TextInput


class NewSelfEvaluationForm(QAForm):
    period_start = DateInputField("Start of the period", "For example 1 12 2025")
    period_end = DateInputField("End of the period", "For example 30 11 2026")
    title = StringField(
        "Title (optional)",
        widget=TextInput(),
        validators=[Optional(), Length(max=200, message="Keep the title under 200 characters")],
        description="Left blank, the title is made from the period",
    )
    submit = SubmitField("Draft the self-evaluation", widget=SubmitInput())


def self_evaluation_edit_form(report, formdata=None):
    """A text box per area and heading ("What we know", "How we know", "What we are doing
    about it"), holding the drafted statements to start with."""

    class EditSelfEvaluationForm(QAForm):
        lock_version = HiddenField()
        submit = SubmitField("Save the draft", widget=SubmitInput())

    for i, section in enumerate(report.sections):
        setattr(
            EditSelfEvaluationForm,
            f"section__{i}",
            TextAreaField(
                section["title"],
                widget=TextArea(),
                description="One statement a paragraph; the evidence stays listed beside",
            ),
        )
    form = EditSelfEvaluationForm(formdata=formdata)
    if formdata is None:
        form.lock_version.data = str(report.lock_version)
        for i, section in enumerate(report.sections):
            getattr(form, f"section__{i}").data = section["text"]
    form.section_fields = [getattr(form, f"section__{i}") for i in range(len(report.sections))]
    return form
