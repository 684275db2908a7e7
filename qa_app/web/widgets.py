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
    pass


class DateInputField(DateField):
    """A GOV.UK date input (day, month and year boxes) with clear messages for a wrong date.
    Optional unless `required`; blank boxes mean no date."""

    def __init__(self, label: str, description: str = "", required: bool = True, **kwargs):
        self.invalid_message = f"Enter the {label.lower()} as a real date, for example 27 3 2026"
        validators = [InputRequired(self.invalid_message)] if required else [Optional()]
        super().__init__(
            label, widget=DateInput(), description=description, validators=validators, **kwargs
        )

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            self.raw_data = None  # nothing (or something odd) was sent: the widget shows blanks
            return
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
