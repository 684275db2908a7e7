"""What every route does with a posted form, written once in qa_app/web/forms_base.py: a refusal
from the data layer lands on the field it names (or at the top, never dropped), the version the
page was read at is a whole number or the request is refused, and a posted id is turned back
into the record the form offered."""

from types import SimpleNamespace

import pytest
from werkzeug.exceptions import BadRequest
from wtforms import StringField

from qa_app.web.forms_base import (
    QAForm,
    attach_problem,
    attach_problems,
    chosen,
    posted_version,
)


class _Form(QAForm):
    class Meta:
        csrf = False

    name = StringField("Name")
    section__0 = StringField("Summary")


def test_a_problem_lands_on_its_field_even_before_the_form_is_validated(app):
    with app.test_request_context():
        form = _Form(formdata=None)  # never validated: its fields' errors are a tuple
        attach_problem(form, "name", "Enter a name")
        attach_problem(form, "name", "Keep it short")
        assert form.name.errors == ["Enter a name", "Keep it short"]


def test_a_problem_naming_no_field_of_the_form_goes_to_the_top(app):
    with app.test_request_context():
        form = _Form(formdata=None)
        attach_problem(form, None, "Someone else saved it")
        attach_problem(form, "meta", "Not a field")  # an attribute, not a field
        attach_problem(form, "week", "Not on this form")
        assert form.form_errors == ["Someone else saved it", "Not a field", "Not on this form"]
        assert form.name.errors == ()


def test_a_refusal_without_problems_shows_its_own_message(app):
    with app.test_request_context():
        form = _Form(formdata=None)
        attach_problems(form, [], "This version has been published and can no longer be changed")
        assert form.form_errors == ["This version has been published and can no longer be changed"]


def test_problems_named_as_the_data_layer_names_them_are_renamed_to_the_form_fields(app):
    with app.test_request_context():
        form = _Form(formdata=None)
        boxes = {"section__summary": "section__0"}
        attach_problems(
            form,
            [("section__summary", "Keep it under 20,000 characters"), (None, "Check the text")],
            "unused: there are problems",
            rename=lambda name: boxes.get(name, name),
        )
        assert form.section__0.errors == ["Keep it under 20,000 characters"]
        assert form.form_errors == ["Check the text"]


@pytest.mark.parametrize("posted", ["", "x", "-1", " 3", "²", "1" * 19])
def test_a_version_our_form_did_not_send_is_a_bad_request(app, posted):
    with app.test_request_context(method="POST", data={"lock_version": posted}):
        with pytest.raises(BadRequest):
            posted_version()


def test_the_posted_version_is_read_as_a_number(app):
    with app.test_request_context(method="POST", data={"lock_version": "12"}):
        assert posted_version() == 12


def test_the_chosen_record_is_the_offered_one_with_the_posted_id():
    offered = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    assert chosen(offered, 2) is offered[1]
    assert chosen(offered, 3) is None
    assert chosen(offered, None) is None
