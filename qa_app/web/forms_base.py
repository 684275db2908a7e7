"""What every web form shares: the base form class and the whole-number field.

Every form in the service is a QAForm (tests/test_forms_base.py fails for one that is not), so
a form gets these rules by being written, without anyone remembering them:

- no text field accepts a control character (see qa_app.rules.control_characters): PostgreSQL
  cannot store NUL, and the others only ever come from pasting or a hand-made request. The
  field is refused with a message naming it, after its own checks, so a field that is already
  wrong (empty, too long) keeps its one message. The one exception is a password typed to be
  checked (ExistingPasswordField), which is never stored. An uploaded file's name is held to
  the same rule (it is recorded in the change log).
- a whole number (WholeNumberField) with too many digits is refused with the field's own
  message, before anything compares it with a float (a 400-digit number is an OverflowError
  in WTForms' NumberRange).

And what every route does with a posted form, written once: who is acting (current_actor), a
refusal from the data layer shown on the field it names (attach_problem, attach_problems), the
version of the record the page was read at (posted_version) and the record chosen from those
offered (chosen)."""

from collections.abc import Callable, Iterable

from flask import abort, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    FileField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import StopValidation

from qa_app.rules.control_characters import has_control_characters
from qa_app.web.widgets import Select, TextInput

# More digits than any whole number in the service needs (the largest, a sampling seed, has 10;
# a 64-bit integer has 19): longer is refused as not a number.
MAX_DIGITS = 18


def control_character_message(label: str) -> str:
    """The message for a text field holding a control character, naming the field."""
    label = label.strip().removesuffix("(optional)").strip() or "This answer"
    if label.endswith("?"):
        label = f"Your answer to ‘{label}’"
    return (
        f"{label} must not contain control characters (invisible characters that can come "
        "with pasted text)"
    )


def stripped_notice(labels: list[str]) -> str:
    """What a draft page says after saving answers whose control characters were removed (a
    draft keeps what was typed rather than refusing it, so nothing is lost)."""
    return (
        "We removed control characters (invisible characters that can come with pasted text) "
        f"from: {'; '.join(labels)}. Check these answers still say what you meant."
    )


def labels_with_bad_characters(form, names) -> list[str]:
    """The labels of the named fields of a posted form whose text holds a control character."""
    return [
        form[name].label.text.strip().removesuffix("(optional)").strip()
        for name in names
        if has_bad_characters(form[name])
    ]


FILE_NAME_MESSAGE = (
    "The file's name must not contain control characters (invisible characters): rename the "
    "file and choose it again"
)


def has_bad_characters(field) -> bool:
    """Whether a text field's posted value (or an uploaded file's name, which is recorded with
    what the file changed) holds a control character. Only what was posted is looked at
    (raw_data), never a stored value the form was filled with."""
    if isinstance(field, FileField):
        name = getattr(field.data, "filename", None)
        return isinstance(name, str) and has_control_characters(name)
    if not isinstance(field, StringField) or isinstance(field, ExistingPasswordField):
        return False
    if field.name == "csrf_token":
        return False  # a bad CSRF token is refused as an expired form
    return any(isinstance(v, str) and has_control_characters(v) for v in field.raw_data or [])


def current_actor():
    """The signed-in person as the data layer records them (who made a change): the user
    object itself, not Flask-Login's proxy."""
    return current_user._get_current_object()


def attach_problem(form, name: str | None, message: str) -> None:
    """A refusal from the data layer shown where the person will look: on the named field of
    `form` when it has one, otherwise at the top of the form (never dropped). Works before the
    form is validated too (a field's errors are a tuple until then)."""
    field = form[name] if name and name in form else None
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


def attach_problems(
    form,
    problems: Iterable[tuple[str | None, str]],
    message: str,
    *,
    rename: Callable[[str], str] | None = None,
) -> None:
    """Every (field name, message) of a refusal on its field (attach_problem); a refusal that
    names no problem shows its own `message` at the top of the form, so nothing is lost.
    `rename` turns a name the data layer uses into the form's field name where they differ."""
    for name, text in list(problems) or [(None, message)]:
        attach_problem(form, rename(name) if rename and name else name, text)


def posted_version() -> int:
    """The lock_version of the record the page was read at, as the form posted it back (its
    hidden `lock_version` field). Anything but a whole number was not sent by our form: 400."""
    raw = request.form.get("lock_version", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS):
        abort(400)
    return int(raw)


def chosen(items: Iterable, item_id):
    """The record among `items` (those the form offered) whose id was posted, or None."""
    return next((item for item in items if item.id == item_id), None)


class ExistingPasswordField(PasswordField):
    """A password typed to be checked (signing in, confirming who you are): it is only compared
    with a stored hash, never stored or looked up, so it may hold any character. Refusing one
    would lock out someone whose password was set before control characters were refused."""


class QAForm(FlaskForm):
    """The base of every form: FlaskForm (CSRF) and text fields without control characters."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if has_bad_characters(field) and not field.errors:
                field.errors = [
                    FILE_NAME_MESSAGE
                    if isinstance(field, FileField)
                    else control_character_message(str(field.label.text))
                ]
                valid = False
        return valid


class WholeNumberField(IntegerField):
    """A whole-number box whose message for anything else (words, a fraction, more than
    MAX_DIGITS digits) says what to type."""

    def __init__(self, label: str, invalid_message: str = "Enter a whole number", **kwargs):
        kwargs.setdefault("widget", TextInput())
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        if len(text.lstrip("+-")) > MAX_DIGITS:
            self.data = None
            raise ValueError(self.invalid_message)
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None

    def pre_validate(self, form):
        # Something typed that is not a number: that one message, not a range's after it. A
        # blank box is left to the field's InputRequired or Optional, which say what to do.
        typed = self.raw_data[0].strip() if self.raw_data else ""
        if self.process_errors and typed:
            raise StopValidation()


def int_or_none(value):
    """A select's posted id as a number; its prompt option ("") as None."""
    return None if value in ("", None) else int(value)


class IdChoiceField(SelectField):
    """A select of record ids whose first option is a prompt: choosing nothing gives `message`
    (the field is required when it has one); an id that is not on the list, WTForms' own."""

    def __init__(self, label: str, message: str | None = None, **kwargs):
        super().__init__(label, widget=Select(), coerce=int_or_none, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if self.data is None:
            if self.message:
                raise StopValidation(self.message)
            return
        super().pre_validate(form)


def _label(field) -> str:
    return str(field.label.text).strip().removesuffix("(optional)").strip()


def _off_list_message(field, unknown: list) -> str:
    """What a choice no longer offered is told: the field's `gone` (given the ids not offered),
    else the field named and what to do. Never WTForms' 'Not a valid choice'."""
    gone = getattr(field, "gone", None)
    if gone is not None:
        return gone(unknown)
    return f"{_label(field)}: what you chose is no longer offered: choose again from the list"


class NamedRadioField(RadioField):
    """Radios whose every refusal names the field and says what to do: a value that is not a
    number (for an id field) or no longer on the list (an auditor disabled, a grade off the
    scale, between loading the page and sending it). `gone(ids)` may word the second."""

    def __init__(self, *args, gone: Callable[[list], str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.gone = gone

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{_label(self)}: choose one from the list") from None

    def pre_validate(self, form):
        if self.data is None or self.raw_data in (None, []):
            return
        if not any(self.data == value for value, *_ in self.iter_choices()):
            raise StopValidation(_off_list_message(self, [self.data]))


class NamedChoicesField(SelectMultipleField):
    """Checkboxes of ids, with the refusals of NamedRadioField."""

    def __init__(self, *args, gone: Callable[[list], str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.gone = gone

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{_label(self)}: choose from the list") from None

    def pre_validate(self, form):
        offered = {value for value, *_ in self.iter_choices()}
        unknown = [v for v in self.data or [] if v not in offered]
        if unknown:
            raise StopValidation(_off_list_message(self, unknown))
