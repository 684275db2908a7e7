"""Every web form is a QAForm (qa_app/web/forms_base.py), so every text field of every form refuses
control characters with a message naming the field, and whole numbers of any length are
refused plainly, never an OverflowError.

A form written straight on FlaskForm would miss the rule: the first test fails for one, by
reading the source (forms built at request time with type() included); the others check the
classes themselves, every text field of each."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import NumberRange

import qa_app
from qa_app.web.forms_base import (
    MAX_DIGITS,
    ExistingPasswordField,
    QAForm,
    WholeNumberField,
    control_character_message,
)

PACKAGE = Path(qa_app.__file__).parent


def _all_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(PACKAGE)], "qa_app.")]


def _subclasses(cls) -> set[type]:
    out, todo = set(), [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in out:
                out.add(sub)
                todo.append(sub)
    return out


def _form_classes() -> list[type]:
    for name in _all_modules():
        importlib.import_module(name)
    found = [c for c in _subclasses(FlaskForm) if c.__module__.startswith("qa_app.")]
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def test_no_module_builds_a_form_on_flaskform_itself():
    """Forms made at request time (type("ModerationForm", (base,), ...)) are only in the
    source, so the source is read: FlaskForm is named in qa_app/web/forms_base.py alone."""
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "forms_base.py"
        and re.search(
            r"\bFlaskForm\b|\bwtforms\.Form\b|^from wtforms import .*\bForm\b",
            path.read_text(),
            re.M,
        )
    ]
    assert offenders == [], f"forms not built on qa_app.web.forms_base.QAForm: {offenders}"


def test_every_form_class_is_a_qa_form(app):
    classes = _form_classes()
    assert len(classes) > 40  # every module was imported: the forms are really there
    assert [c for c in classes if not issubclass(c, QAForm)] == []


def _bound_text_fields(form) -> list:
    return [
        f
        for f in form
        if isinstance(f, StringField)
        and not isinstance(f, ExistingPasswordField)
        and f.name != "csrf_token"
    ]


def test_every_text_field_of_every_form_refuses_a_nul_naming_the_field(app):
    """Each text field posted with a NUL is refused: with the control-character message
    naming it, unless its own checks already refuse the value (an email address, a pattern),
    when that one message stands."""
    named, other = 0, []
    for cls in _form_classes():
        with app.test_request_context():
            names = [f.name for f in _bound_text_fields(cls(meta={"csrf": False}))]
        if not names:
            continue
        data = {name: "before\x00after" for name in names}
        with app.test_request_context("/", method="POST", data=data):
            form = cls(meta={"csrf": False})
            for field in form:
                if getattr(field, "choices", ()) is None:
                    field.choices = []  # filled in by the route
            assert not form.validate(), cls
            for field in _bound_text_fields(form):
                assert len(field.errors) == 1, (cls, field.name, field.errors)
                if field.errors == [control_character_message(str(field.label.text))]:
                    named += 1
                else:
                    other.append(f"{cls.__name__}.{field.name}: {field.errors[0]}")
    assert named > 60  # 79 when written
    assert len(other) < 12, other  # 6 when written: emails, years, a time


def test_a_password_typed_to_be_checked_is_never_refused_for_its_characters(app):
    """It is compared with a hash, never stored: a password set before the rule still works."""
    from qa_app.auth.forms import SignInForm

    data = {"username": "a.auditor", "password": "long\x07password"}
    with app.test_request_context("/", method="POST", data=data):
        form = SignInForm(meta={"csrf": False})
        assert form.validate(), form.errors


def test_tabs_and_line_breaks_are_text(app):
    from qa_app.indicators.forms import CommentaryForm

    with app.test_request_context("/", method="POST", data={"text": "One\r\n\tTwo\nThree"}):
        form = CommentaryForm(meta={"csrf": False})
        form.validate()
        assert form.text.errors == []


@pytest.mark.parametrize("character", ["\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
def test_other_control_characters_are_refused_too(app, character):
    from qa_app.indicators.forms import CommentaryForm

    with app.test_request_context("/", method="POST", data={"text": f"a{character}b"}):
        form = CommentaryForm(meta={"csrf": False})
        assert not form.validate()
        assert "must not contain control characters" in form.text.errors[0]


def test_a_field_already_wrong_keeps_its_one_message(app):
    from qa_app.cycles.forms import CycleForm

    with app.test_request_context("/", method="POST", data={"name": "\x00" * 201}):
        form = CycleForm(meta={"csrf": False})
        form.templates.choices = []
        form.theme_focus.choices = []
        assert not form.validate()
        assert form.name.errors == ["Field cannot be longer than 200 characters."]


def test_the_message_names_the_field_in_plain_words():
    assert control_character_message("Name").startswith("Name must not contain control characters")
    assert control_character_message("Description (optional)").startswith("Description must not")
    assert control_character_message("What is the concern?").startswith(
        "Your answer to ‘What is the concern?’ must not"
    )


# ---- whole numbers ------------------------------------------------------------------------


class _Share(QAForm):
    share = WholeNumberField(
        "Share", "Enter the share as a whole number", validators=[NumberRange(0, 100, "0 to 100")]
    )
    seed = WholeNumberField("Seed", validators=[NumberRange(0, 2_147_483_647, "Too big")])


@pytest.mark.parametrize(
    ("typed", "value", "errors"),
    [
        ("42", 42, []),
        (" 7 ", 7, []),
        ("9" * 400, None, ["Enter the share as a whole number"]),
        ("-" + "9" * 400, None, ["Enter the share as a whole number"]),
        ("9" * 5000, None, ["Enter the share as a whole number"]),
        ("9" * (MAX_DIGITS + 1), None, ["Enter the share as a whole number"]),
        ("9" * MAX_DIGITS, 10**MAX_DIGITS - 1, ["0 to 100"]),
        ("12.5", None, ["Enter the share as a whole number"]),
        ("1e999", None, ["Enter the share as a whole number"]),
    ],
)
def test_a_whole_number_of_any_length_is_refused_plainly(app, typed, value, errors):
    with app.test_request_context("/", method="POST", data={"share": typed, "seed": "1"}):
        form = _Share(meta={"csrf": False})
        form.validate()
        assert (form.share.data, form.share.errors) == (value, errors)


def test_a_blank_whole_number_gets_the_required_message(app):
    from wtforms.validators import InputRequired

    class Required(QAForm):
        share = WholeNumberField("Share", "Not a number", validators=[InputRequired("Enter it")])

    with app.test_request_context("/", method="POST", data={"share": ""}):
        form = Required(meta={"csrf": False})
        assert not form.validate()
        assert form.share.errors == ["Enter it"]


def test_the_largest_seed_still_fits(app):
    with app.test_request_context("/", method="POST", data={"share": "1", "seed": "2147483647"}):
        form = _Share(meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.seed.data == 2_147_483_647


def test_every_whole_number_box_is_a_whole_number_field(app):
    """IntegerField is only ever used through WholeNumberField (the digits cap is there)."""
    from wtforms import IntegerField

    for cls in _form_classes():
        with app.test_request_context():
            form = cls(meta={"csrf": False})
        for field in form:
            if isinstance(field, IntegerField):
                assert isinstance(field, WholeNumberField), (cls, field.name)


def test_forms_built_from_a_template_refuse_a_nul_too(app, loaded_templates):
    from qa_app.data.templates import get_template
    from qa_app.web.template_forms import overall_form, section_form

    content = get_template("single_assessment").versions[-1].content
    checked = 0
    for section in content["template"]["sections"]:
        form_class, _ = section_form(content, section["key"])
        assert issubclass(form_class, QAForm)
        with app.test_request_context():
            names = [f.name for f in _bound_text_fields(form_class(meta={"csrf": False}))]
        with app.test_request_context("/", method="POST", data=dict.fromkeys(names, "a\x00")):
            form = form_class(meta={"csrf": False})
            form.validate()
            for name in names:
                assert "control characters" in form[name].errors[0], (section["key"], name)
                checked += 1
    assert checked >= 5
    assert issubclass(overall_form(content), QAForm)
