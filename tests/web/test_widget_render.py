"""qa_app/web/widget_render.py: every widget renders exactly the markup govuk-frontend-wtf's own
rendering gives (through Flask's render_template and the GOV.UK macro), from the cache or not,
with awkward typed text; typed text is never kept in the cache."""

from datetime import date
from unittest.mock import patch

import pytest
from flask_wtf import FlaskForm
from govuk_frontend_wtf.gov_form_base import GovFormBase, GovIterableBase
from markupsafe import Markup
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField

from qa_app.web import widget_render
from qa_app.web.widgets import (
    CheckboxesInput,
    DateInputField,
    RadioInput,
    Select,
    TextArea,
    TextInput,
)

AWKWARD = [
    "",
    "plain words",
    "quotes \" and ' and <script>alert(1)</script> & ampersands",
    "line one\nline two\n\n  indented",
    "{{ not a template }} {% neither %}",
    "qa0123456789abcdeft0e",  # shaped like a placeholder
    widget_render._TOKEN + "0e and " + widget_render._TOKEN + "1e",  # a real placeholder
    "ünïcödé – dashes … and emoji 🙂",
]
CHOICES = [("yes", "Yes"), ("partly", "Partly <b>"), ("no", "No & never")]


class Form(FlaskForm):
    class Meta:
        csrf = False

    text = StringField("Text", widget=TextInput(), description="A hint")
    area = TextAreaField("Area", widget=TextArea())
    radios = RadioField("Radios", choices=CHOICES, widget=RadioInput(), description="Pick")
    bare_radios = RadioField("No hint", choices=CHOICES, widget=RadioInput())
    boxes = SelectMultipleField("Boxes", choices=CHOICES, widget=CheckboxesInput())
    select = SelectField("Select", choices=CHOICES, widget=Select())
    when = DateInputField("Date seen", required=False)


def both(field, **kwargs) -> tuple[str, str]:
    """(our markup, the library's own markup) for one field, rendered as a template would."""
    ours = str(field(**kwargs))
    with (
        patch.object(widget_render.FastRender, "render", GovFormBase.render),
        patch.object(widget_render.RememberedChoices, "__call__", GovIterableBase.__call__),
    ):
        theirs = str(field(**kwargs))  # through Flask's render_template and the macro
    return ours, theirs


@pytest.mark.parametrize("typed", AWKWARD)
def test_typed_text_renders_as_the_macros_render_it(app, typed):
    with app.test_request_context():
        widget_render.CACHE.clear()
        form = Form(data={"text": typed, "area": typed})
        form.text.errors = ["Enter the text"]
        for name in ("text", "area"):
            for _ in range(2):  # once rendered, once from the cache
                ours, theirs = both(form[name], params={"label": {"classes": "govuk-label--s"}})
                assert ours == theirs


def test_typed_text_is_never_kept_in_the_cache(app):
    secret = "Case note: the child said something private"
    with app.test_request_context():
        widget_render.CACHE.clear()
        form = Form(data={"text": secret, "area": secret, "when": date(2026, 3, 27)})
        form.text()
        form.area()
        form.when()
        kept = "".join(str(v) for v in widget_render.CACHE._items.values())
        keys = repr(list(widget_render.CACHE._items))
    assert len(widget_render.CACHE) == 3
    assert secret not in kept and secret not in keys
    assert "2026" not in kept and "2026" not in keys


@pytest.mark.parametrize("chosen", [None, "yes", "partly", "no"])
def test_choice_widgets_render_as_the_macros_render_them(app, chosen):
    with app.test_request_context():
        widget_render.CACHE.clear()
        form = Form(
            data={
                "radios": chosen,
                "bare_radios": chosen,
                "boxes": [chosen] if chosen else [],
                "select": chosen,
            }
        )
        form.radios.errors = ["Choose one"] if chosen is None else []
        legend = {
            "fieldset": {"legend": {"text": "Radios", "classes": "govuk-fieldset__legend--s"}}
        }
        for _ in range(2):
            for name, kwargs in (
                ("radios", {"params": legend}),
                ("bare_radios", {}),
                ("boxes", {}),
                ("select", {}),
            ):
                ours, theirs = both(form[name], **kwargs)
                assert ours == theirs, name
        assert widget_render.CACHE.hits >= 4


@pytest.mark.parametrize(
    "raw", [None, ["27", "3", "2026"], ["31", "2", "2026"], ["<b>", '"', "&"], ["", "", ""]]
)
def test_the_date_input_renders_as_the_macro_renders_it(app, raw):
    with app.test_request_context():
        form = Form()
        if raw is not None:
            form.when.raw_data = raw
            form.when.errors = ["Enter the date seen as a real date"]
        for _ in range(2):
            ours, theirs = both(form.when)
            assert ours == theirs


def test_markup_and_text_of_the_same_words_are_not_confused(app):
    """The same words as plain text (escaped by the macro) and as Markup (not escaped) render
    differently; the cache must not serve one for the other."""
    with app.test_request_context():
        widget_render.CACHE.clear()
        form = Form()
        as_text = str(form.radios(params={"hint": {"text": "<b>bold</b>"}}))
        as_markup = str(form.radios(params={"hint": {"text": Markup("<b>bold</b>")}}))
        again = str(form.radios(params={"hint": {"text": "<b>bold</b>"}}))
    assert "&lt;b&gt;bold" in as_text and "<b>bold</b>" in as_markup and again == as_text


def test_every_form_widget_comes_from_qa_app_widgets():
    """One place for the widgets: no module but qa_app/web/widgets.py takes a widget from
    govuk-frontend-wtf directly, and every widget there renders through widget_render."""
    import inspect
    from pathlib import Path

    from govuk_frontend_wtf.gov_form_base import GovFormBase

    from qa_app.web import widgets

    package = Path(widgets.__file__).parents[1]  # the whole qa_app package
    direct = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "widgets.py" and "govuk_frontend_wtf.wtforms_widgets" in path.read_text()
    ]
    assert direct == []
    classes = [
        c
        for _, c in inspect.getmembers(widgets, inspect.isclass)
        if issubclass(c, GovFormBase) and c.__module__ == widgets.__name__
    ]
    assert len(classes) >= 10
    assert all(issubclass(c, widget_render.FastRender) for c in classes)


def _macro(app, name: str, params: dict) -> str:
    """What the GOV.UK macro itself renders for `params`."""
    return app.jinja_env.from_string(widget_render.component_source(name)).render(params=params)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("button", {"text": "Save & continue <now>", "name": "action", "value": "continue"}),
        ("skip-link", {"href": "#main-content", "text": "Skip to main content"}),
        ("generic-header", {"url": "/", "logoText": "Example & Co Council"}),
        (
            "service-navigation",
            {
                "serviceName": "Practice QA",
                "serviceUrl": "/",
                "navigation": [{"href": "/", "text": "Home", "active": True}],
            },
        ),
    ],
)
def test_components_render_as_their_macros(app, name, params):
    with app.test_request_context():
        widget_render.CACHE.clear()
        for _ in range(2):  # once rendered, once from the cache
            assert str(widget_render.component(name, dict(params))) == _macro(app, name, params)


def test_a_varying_slot_is_put_back_and_never_kept(app):
    """The service navigation's sign-out slot carries the session's CSRF token: the markup
    is remembered without it, and each page gets its own."""
    base = {"serviceName": "Practice QA", "serviceUrl": "/", "navigation": []}
    with app.test_request_context():
        widget_render.CACHE.clear()
        for token in ("first-token-abc", "second-token-xyz"):
            slot = Markup(f'<li><input name="csrf_token" value="{token}"></li>')  # noqa: S704
            params = {**base, "slots": {"navigationEnd": slot}}
            expected = _macro(app, "service-navigation", {**base, "slots": {"navigationEnd": slot}})
            got = widget_render.component(
                "service-navigation", params, vary=[("slots", "navigationEnd")]
            )
            assert str(got) == expected and token in str(got)
        kept = "".join(widget_render.CACHE._items.values()) + repr(list(widget_render.CACHE._items))
    assert len(widget_render.CACHE) == 1
    assert "first-token" not in kept and "second-token" not in kept
