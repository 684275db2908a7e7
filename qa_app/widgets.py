"""GOV.UK widgets from govuk-frontend-wtf, with one correction: radios and checkboxes whose
field has no description render no empty hint (an empty hint adds a dangling
aria-describedby and a blank gap)."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput


def _drop_empty_hint(params: dict) -> dict:
    hint = params.get("hint")
    if isinstance(hint, dict) and not (hint.get("text") or hint.get("html")):
        params.pop("hint")
    return params


class RadioInput(GovRadioInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))


class CheckboxesInput(GovCheckboxesInput):
    def map_gov_params(self, field, **kwargs):
        return _drop_empty_hint(super().map_gov_params(field, **kwargs))
