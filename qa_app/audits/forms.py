"""Forms for the audit pages that are not built from the template: themes and overall."""

from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from qa_app.templates_engine.answers import THEME_MARK_LABELS
from qa_app.web.forms_base import QAForm
from qa_app.web.template_forms import scale_choices
from qa_app.web.widgets import CheckboxInput, RadioInput, TextArea

THEME_MARKS = list(THEME_MARK_LABELS.items())


class VersionedForm(QAForm):
    """Every audit form carries the version of the audit it was loaded at."""

    lock_version = HiddenField()


def themes_form(content: dict):
    attrs = {
        f"theme__{key}": RadioField(
            theme["name"],
            choices=THEME_MARKS,
            widget=RadioInput(),
            description=theme.get("description", ""),
            validators=[Optional()],
        )
        for key, theme in content["themes"].items()
    }
    return type("ThemesForm", (VersionedForm,), attrs)


def overall_form(content: dict, cap: str | None):
    """The overall judgement. Grades better than the limiting cap are not offered."""
    choices = scale_choices(content, content["template"]["scale"])
    if cap:
        keys = [k for k, _ in choices]
        choices = choices[keys.index(cap) :]
    attrs = {
        "evidence": TextAreaField(
            "Evidence and summary of the audit",
            widget=TextArea(),
            description="What the record shows, with examples. Refer to the child by case "
            "reference only.",
            validators=[Length(max=20000)],
        ),
        "practitioner_comments": TextAreaField(
            "What the practitioner said",
            widget=TextArea(),
            description="From talking the audit through with the worker",
            validators=[Length(max=20000)],
        ),
        "moderation_requested": BooleanField(
            "Ask for this audit to be moderated", widget=CheckboxInput()
        ),
    }
    if content["template"]["overall_grade"]["graded"]:
        attrs["overall_grade"] = RadioField(
            "Overall grade",
            choices=choices,
            widget=RadioInput(),
            description=content["template"]["overall_grade"]["help"],
            validators=[Optional()],
        )
        attrs["overall_rationale"] = TextAreaField(
            "Why this overall grade", widget=TextArea(), validators=[Length(max=4000)]
        )
    return type("OverallForm", (VersionedForm,), attrs)
