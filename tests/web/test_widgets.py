"""qa_app/web/widgets.py: every date field the app defines (on every form class, and the date
questions of audit templates) answers a date sent in any number of parts but three with a field
error, and renders, never a server error."""

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import DateField
from wtforms.fields.core import UnboundField

import qa_app
from qa_app.web.template_forms import question_field
from qa_app.web.widgets import DateInput


def _form_classes() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(qa_app.__path__, "qa_app."):
        importlib.import_module(module.name)
    seen, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return seen


def _date_fields() -> list[tuple[str, UnboundField]]:
    out = []
    for cls in _form_classes():
        for name, value in vars(cls).items():
            if isinstance(value, UnboundField) and issubclass(value.field_class, DateField):
                out.append((f"{cls.__module__}.{cls.__name__}.{name}", value))
    question = {"type": "date", "required": True, "text": "When", "help": "", "key": "when"}
    out.append(("template_forms date question", question_field({}, question)))
    return out


DATE_FIELDS = _date_fields()


def test_the_app_has_date_fields_on_many_forms():
    assert len(DATE_FIELDS) >= 10


def bound(unbound: UnboundField, parts: list[str]):
    class Form(FlaskForm):
        class Meta:
            csrf = False

        when = unbound

    return Form(formdata=MultiDict([("when", p) for p in parts]))


PARTS = st.lists(st.sampled_from(["", "1", "12", "2030", "2030-01-01", "x", " "]), max_size=6)


@pytest.mark.parametrize(("name", "unbound"), DATE_FIELDS, ids=[n for n, _ in DATE_FIELDS])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=PARTS)
def test_a_date_in_the_wrong_number_of_parts_is_a_field_error_never_a_crash(
    app, name, unbound, parts
):
    with app.test_request_context("/", method="POST"):
        form = bound(unbound, parts)
        assert isinstance(form.when.widget, DateInput)
        form.validate()
        html = str(form.when())  # renders: the library would unpack the parts and fail
        assert 'name="when"' in html
        if len(parts) != 3 and any(p.strip() for p in parts):
            assert form.when.errors, f"{name} took {parts!r}"
            assert form.when.data is None
