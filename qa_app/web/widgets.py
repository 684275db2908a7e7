"""GOV.UK widgets and fields on top of govuk-frontend-wtf, the ones every form here uses:
rendered through qa_app/web/widget_render.py (without a whole page's context each time, and
remembered by their params with typed text left out); radios and checkboxes whose field has
no description render no empty hint (an empty hint adds a dangling aria-describedby and a
blank gap); and a date field for the GOV.UK day/month/year input."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField
from wtforms.validators import InputRequired, Optional

from qa_app.web.widget_render import FastRender, RememberedChoices, TypedDate, TypedValue


def _drop_empty_hint(params: dict) -> dict:
    hint = params.get("hint")
    if isinstance(hint, dict) and not (hint.get("text") or hint.get("html")):
        params.pop("hint")
    return params


class RadioInput(RememberedChoices, GovRadioInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class CheckboxesInput(RememberedChoices, GovCheckboxesInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class Select(FastRender, GovSelect):
    pass


class CheckboxInput(FastRender, GovCheckboxInput):
    pass


class SubmitInput(FastRender, GovSubmitInput):
    pass


class FileInput(FastRender, GovFileInput):
    pass


class TextInput(TypedValue, GovTextInput):
    pass


class PasswordInput(TypedValue, GovPasswordInput):
    pass


class TextArea(TypedValue, GovTextArea):
    pass


class DateInput(TypedDate, GovDateInput):
    """The day, month and year boxes. What was sent in any number of parts but three (one value
    "2030-01-01", two, four: never what the page sends) shows as blank boxes, the field's error
    saying what to type, where the library would unpack it and fail with a server error."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = None
            try:
                return super().map_gov_params(field, **kwargs)
            finally:
                field.raw_data = raw
        return super().map_gov_params(field, **kwargs)


class _BlankDate(Optional):
    """Optional for the three boxes: only all of them blank is no date (wtforms' Optional reads
    the first box alone, so a blank day with a month and year was silently no date)."""

    def __call__(self, form, field):
        if not any(str(part).strip() for part in field.raw_data or []):
            super().__call__(form, field)


class DateInputField(DateField):
    """A GOV.UK date input (day, month and year boxes) with clear messages for a wrong date.
    Optional unless `required`; blank boxes mean no date."""

    def __init__(self, label: str, description: str = "", required: bool = True, **kwargs):
        self.invalid_message = f"Enter the {label.lower()} as a real date, for example 27 3 2026"
        validators = [InputRequired(self.invalid_message)] if required else [_BlankDate()]
        super().__init__(
            label, widget=DateInput(), description=description, validators=validators, **kwargs
        )

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = None  # nothing was sent: the widget shows blanks
            return
        if len(valuelist) != 3:  # not the three boxes the page sends
            self.data = None
            raise ValueError(self.invalid_message)
        day, month, year = (v.strip() for v in valuelist)
        if not (day or month or year):
            self.data = None
            return
        try:
            if len(year) > 4:
                raise ValueError(year)
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            self.data = None
            raise ValueError(self.invalid_message) from None
        if self.data.year < 1900:
            self.data = None
            raise ValueError(self.invalid_message)
