"""Building WTForms forms from a stored template version.

One form class per section, with GOV.UK widgets: the same builder serves the read-only preview
a QA lead sees and the audit form an auditor fills in. Field names are stable and derive from
the template's keys: `q__<question>` outside repeat groups, `r__<group>__<block>__<question>`
inside one, and `section_grade` / `section_rationale` for a graded section."""

from dataclasses import dataclass, field
from typing import Any

from wtforms import (
    DecimalField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import Field
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from qa_app.models import TemplateVersion
from qa_app.web.forms_base import QAForm, WholeNumberField
from qa_app.web.widgets import (
    CheckboxesInput,
    DateInputField,
    RadioInput,
    TextArea,
    TextInput,
)

YES_PARTLY_NO = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]
NOT_APPLICABLE = ("not_applicable", "Not applicable")


@dataclass
class QuestionField:
    """A question placed in a form: its field name and the template's definition of it."""

    name: str
    question: dict[str, Any]
    theme_names: list[str] = field(default_factory=list)


@dataclass
class RepeatBlock:
    label: str
    fields: list[QuestionField]
    index: int = 0


# A section's item: a question's field, or a repeat group (its question, its blocks).
LayoutItem = QuestionField | tuple[dict[str, Any], list[RepeatBlock]]


@dataclass
class SectionLayout:
    """The order in which a section's fields render, repeat groups kept together."""

    section: dict[str, Any]
    items: list[LayoutItem]
    graded: bool


def scale_choices(content: dict[str, Any], scale_key: str) -> list[tuple[str, str]]:
    return [(lvl["key"], lvl["label"]) for lvl in content["scales"][scale_key]["levels"]]


def question_field(content: dict[str, Any], q: dict[str, Any]) -> Field:
    """An unbound WTForms field for one question (never a repeat); the stubs type a field
    made outside a form as the field."""
    label = q["text"] if q["required"] else f"{q['text']} (optional)"
    description = q.get("help", "")
    required = [InputRequired("Answer this question")] if q["required"] else [Optional()]
    kind = q["type"]
    if kind == "grade":
        return RadioField(
            label,
            choices=scale_choices(content, q["scale"]),
            widget=RadioInput(),
            description=description,
            validators=[InputRequired("Choose a grade")] if q["required"] else [Optional()],
            validate_choice=True,
        )
    if kind == "yes_partly_no":
        choices = YES_PARTLY_NO + ([NOT_APPLICABLE] if q["not_applicable"] else [])
        return RadioField(
            label,
            choices=choices,
            widget=RadioInput(),
            description=description,
            validators=[InputRequired("Choose an answer")] if q["required"] else [Optional()],
        )
    if kind == "single_choice":
        return RadioField(
            label,
            choices=[(o["key"], o["label"]) for o in q["options"]],
            widget=RadioInput(),
            description=description,
            validators=[InputRequired("Choose an option")] if q["required"] else [Optional()],
        )
    if kind == "multiple_choice":
        return SelectMultipleField(
            label,
            choices=[(o["key"], o["label"]) for o in q["options"]],
            widget=CheckboxesInput(),
            description=description,
            validators=[InputRequired("Choose at least one option")]
            if q["required"]
            else [Optional()],
        )
    if kind == "number":
        limits = []
        if q["min"] is not None or q["max"] is not None:
            limits.append(NumberRange(q["min"], q["max"]))
        cls = WholeNumberField if q["integer"] else DecimalField
        return cls(
            label, widget=TextInput(), description=description, validators=[*required, *limits]
        )
    if kind == "date":
        # the app's one date field: three boxes, any other number of parts a field error
        return DateInputField(label, description, required=q["required"])
    if kind == "text":
        length = [Length(max=q["max_length"])] if q["max_length"] else []
        if q["long"]:
            return TextAreaField(
                label,
                widget=TextArea(),
                description=description,
                validators=[*required, *length],
            )
        return StringField(
            label, widget=TextInput(), description=description, validators=[*required, *length]
        )
    raise ValueError(f"question type {kind!r} has no field")


def _theme_names(content: dict[str, Any], q: dict[str, Any]) -> list[str]:
    return [content["themes"][k]["name"] for k in q.get("themes", []) if k in content["themes"]]


def section_form(
    content: dict[str, Any],
    section_key: str,
    blocks: dict[str, list[tuple[int, str]]] | None = None,
    base: type[QAForm] = QAForm,
) -> tuple[type[QAForm], SectionLayout]:
    """(form class, layout) for one section. `blocks` maps a repeat group's key to the blocks
    to show as (block index, option key), e.g. {"agency_reports": [(0, "police"), (2, "gp")]};
    the index is the stored block's, so field names stay stable when a block is removed.
    By default one block per option is shown, as in the preview."""
    template = content["template"]
    section = next(s for s in template["sections"] if s["key"] == section_key)
    attrs: dict[str, Any] = {}
    items: list[LayoutItem] = []
    for q in section["questions"]:
        if q["type"] != "repeat":
            name = f"q__{q['key']}"
            attrs[name] = question_field(content, q)
            items.append(QuestionField(name, q, _theme_names(content, q)))
            continue
        labels = {o["key"]: o["label"] for o in q["options"]}
        default = list(enumerate(labels))
        chosen = default if blocks is None else blocks.get(q["key"], [])
        repeat_blocks = []
        for index, option in chosen:
            fields = []
            for inner in q["questions"]:
                name = f"r__{q['key']}__{index}__{inner['key']}"
                attrs[name] = question_field(content, inner)
                fields.append(QuestionField(name, inner, _theme_names(content, inner)))
            repeat_blocks.append(RepeatBlock(labels.get(option, option), fields, index))
        items.append((q, repeat_blocks))
    if section["graded"]:
        attrs["section_grade"] = RadioField(
            f"Grade for {section['title'].lower()}",
            choices=scale_choices(content, template["scale"]),
            widget=RadioInput(),
            validators=[InputRequired("Choose a grade for this section")],
        )
        attrs["section_rationale"] = TextAreaField(
            "Why this grade",
            widget=TextArea(),
            description="A short rationale: what in the record led you to this grade",
            validators=[InputRequired("Give a short reason for the grade"), Length(max=4000)],
        )
    form_class = type(f"SectionForm_{section_key}", (base,), attrs)
    return form_class, SectionLayout(section, items, section["graded"])


# (version id, section, blocks, base) -> (form class, layout)
_SectionKey = tuple[
    int, str, tuple[tuple[str, tuple[tuple[int, str], ...]], ...] | None, type[QAForm]
]
_SECTION_FORMS: dict[_SectionKey, tuple[type[QAForm], SectionLayout]] = {}
_SECTION_FORMS_KEPT = 512


def version_section_form(
    version: TemplateVersion,
    section_key: str,
    blocks: dict[str, list[tuple[int, str]]] | None = None,
    base: type[QAForm] = QAForm,
) -> tuple[type[QAForm], SectionLayout]:
    """section_form for a stored template version, built once per process: a version's content
    never changes, so the form class and layout for a section and its blocks are reused by
    every request (each request still makes its own form instance)."""
    frozen = None if blocks is None else tuple(sorted((k, tuple(v)) for k, v in blocks.items()))
    key: _SectionKey = (version.id, section_key, frozen, base)
    built = _SECTION_FORMS.get(key)
    if built is None:
        if len(_SECTION_FORMS) >= _SECTION_FORMS_KEPT:
            _SECTION_FORMS.clear()
        built = _SECTION_FORMS[key] = section_form(version.content, section_key, blocks, base)
    return built


def overall_form(content: dict[str, Any]) -> type[QAForm]:
    """The overall-grade form, when the template has an overall grade."""
    template = content["template"]
    attrs = {
        "overall_grade": RadioField(
            "Overall grade",
            choices=scale_choices(content, template["scale"]),
            widget=RadioInput(),
            description=template["overall_grade"]["help"],
            validators=[InputRequired("Choose an overall grade")],
        ),
        "overall_rationale": TextAreaField(
            "Why this overall grade",
            widget=TextArea(),
            validators=[InputRequired("Give a short reason for the overall grade")],
        ),
    }
    return type("OverallForm", (QAForm,), attrs)
