"""Publishing a practice week's findings is checked, through the real pages as a QA lead: an
email address in the headline findings, a date of birth in the key findings and a postcode in a
quick win are named, place by place, when the draft is saved and when publishing is tried;
nothing is published (board viewers cannot read the report) until the text is fixed."""

import html
import re
from datetime import date

import pytest

from qa_app.extensions import db
from qa_app.models import Role
from tests.helpers import csrf_token
from tests.practice_weeks.findings_factory import (
    add_activity,
    add_audit,
    add_quick_win,
    area,
    make_week,
)

VERSION_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"')


@pytest.fixture
def week(loaded_templates):
    week = make_week("October 2026", date(2026, 10, 5))
    add_audit(week, {"voice_of_child": "strength"}, reference="1000001")
    add_activity(week, "observe_meeting", focus=area(week, 1), marks={"voice_of_child": "strength"})
    return week


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def url(week, tail: str = "findings") -> str:
    return f"/practice-weeks/{week.id}/{tail}"


def version(client, week) -> str:
    return VERSION_RE.search(client.get(url(week)).get_data(as_text=True)).group(1)


def save(client, week, headlines: str, summary: str):
    return client.post(
        url(week),
        data={
            "csrf_token": csrf_token(client, url(week)),
            "lock_version": version(client, week),
            f"area_{area(week, 1).id}": headlines,
            "themes_summary": summary,
        },
    )


def publish(client, week):
    return client.post(
        url(week, "findings/publish"),
        data={
            "csrf_token": csrf_token(client, url(week)),
            "lock_version": version(client, week),
            "audience": "partnership",
        },
    )


def test_findings_with_identifiers_are_not_published_until_fixed(client_as, week):
    lead = client_as(Role.QA_LEAD)
    board = client_as(Role.BOARD_VIEWER)
    quick_win = add_quick_win(week, 1, "Visit the family at M1 1AE again")
    saved = save(
        lead,
        week,
        "Strategy meetings were well chaired.\nEmail the chair at chair@example.org",
        "Voice of the child: a strength.\nA child born 3 November 2012 was seen alone.",
    )
    assert saved.status_code == 302
    warned = text_of(lead.get(url(week)))
    assert "Draft findings saved. They cannot be published yet" in warned
    assert "This draft cannot be published yet" in warned

    refused = publish(lead, week)
    assert refused.status_code == 400
    page = text_of(refused)
    assert "This version was not published" in page
    title = area(week, 1).title
    for message in (
        f"Headline findings, 1. {title}, line 2: an email address (“chair@example.org”)",
        "Key findings from the audit themes, line 2: a date of birth (“3 November 2012”)",
        "Quick win 1: a postcode (“M1 1AE”)",
    ):
        assert message in page, message
    raw = refused.get_data(as_text=True)
    assert f'href="#area_{area(week, 1).id}"' in raw and 'href="#themes_summary"' in raw
    assert f'href="/practice-weeks/{week.id}/quick-wins/{quick_win.id}"' in raw
    db.session.expire_all()
    assert week.findings_status == "draft" and week.figures is None
    assert board.get(url(week, "report")).status_code == 403

    quick_win.description = "Visit the family again"
    db.session.commit()
    save(lead, week, "Strategy meetings were well chaired.", "Voice of the child: a strength.")
    assert "cannot be published" not in text_of(lead.get(url(week)))
    published = publish(lead, week)
    assert published.status_code == 302
    db.session.expire_all()
    assert week.findings_status == "published"
    report = board.get(url(week, "report"))
    assert report.status_code == 200 and "Visit the family again" in text_of(report)


def test_the_week_s_purpose_is_checked_and_links_to_the_week_s_page(client_as, week):
    lead = client_as(Role.QA_LEAD)
    week.purpose = "Managers see practice. Questions to 0113 496 0000."
    db.session.commit()
    refused = publish(lead, week)
    assert refused.status_code == 400
    assert "Purpose of the week: a phone number (“0113 496 0000”)" in text_of(refused)
    assert f'href="/practice-weeks/{week.id}/edit"' in refused.get_data(as_text=True)
