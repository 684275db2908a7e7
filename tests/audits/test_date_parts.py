"""A date answer sent as anything but its three boxes (one value "2030-01-01", two, four) is
never a server error: the section page comes back with its errors, and the odd date is kept as
typed and refused by the field, like any date that is not a real one."""

import pytest

from qa_app.models import Role
from tests.audits.factory import make_audit
from tests.audits.filling import post_section, section_data


def review_section(content: dict) -> dict:
    return next(
        s
        for s in content["template"]["sections"]
        if any(q["key"] == "last_review_date" for q in s["questions"])
    )


@pytest.mark.parametrize("sent", [["2030-01-01"], ["1", "2"], ["1", "2", "2026", "4"]])
def test_a_date_in_the_wrong_number_of_parts_is_a_field_error_never_a_500(
    client_as, loaded_templates, sent
):
    client = client_as(Role.AUDITOR)
    audit = make_audit("cin_plan", auditor=client.user)
    content = audit.template_version.content
    section = review_section(content)
    url = f"/audits/{audit.id}/sections/{section['key']}"
    data = section_data(content, section, {})
    # refused by another check, so the page is drawn again from what was posted
    data.update(q__last_review_date=sent, q__reviews_held="5", q__reviews_due="1")
    response = post_section(client, audit.id, section["key"], data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "cannot be more than the reviews due (1)" in html
    assert 'name="q__last_review_date"' in html  # the date boxes, blank
    # alone, it is kept as typed and the field says what is wrong
    data.update(q__reviews_held="1")
    assert post_section(client, audit.id, section["key"], data).status_code == 302
    page = client.get(f"{url}?check=1")
    assert page.status_code == 200
    assert "Enter a real date, like 27 3 2026" in page.get_data(as_text=True)
