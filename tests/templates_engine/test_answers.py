"""Parsing what people type into answers: nothing raises, nothing unstorable is kept."""

from qa_app.templates_engine.answers import clean_text, display, parse, problem

DATE = {"type": "date", "required": True}
TEXT = {"type": "text", "required": True, "long": True, "max_length": None}


def test_a_date_with_an_absurd_year_is_kept_as_text_not_an_error():
    value = parse(DATE, ["1", "1", "99999999999"])
    assert value.date is None and value.text == "1-1-99999999999"
    assert problem({}, DATE, value) == "Enter a real date, like 27 3 2026"


def test_control_characters_are_removed_from_text():
    assert parse(TEXT, "Visit\x00 made\x0b today\tand\nrecorded").text == (
        "Visit made today\tand\nrecorded"
    )
    assert clean_text("a\x1fb") == "ab"


def test_a_huge_id_in_a_web_address_is_not_found_not_an_error(client_as):
    from qa_app.models import Role

    client = client_as(Role.QA_LEAD)
    assert client.get("/audits/99999999999999999999").status_code == 404
    assert client.get("/cycles/99999999999999999999").status_code == 404


def test_a_number_with_a_unit_reads_in_the_singular_for_one():
    months = {"type": "number", "unit": "months"}
    assert display({}, months, parse(months, "1")) == "1 month"
    assert display({}, months, parse(months, "2")) == "2 months"
    assert display({}, months, parse(months, "1.5")) == "1.5 months"
    days = {"type": "number", "unit": "working days"}
    assert display({}, days, parse(days, "1")) == "1 working day"
    assert display({}, {"type": "number"}, parse({"type": "number"}, "1")) == "1"
