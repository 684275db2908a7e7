"""A report page's status beside its Published or Draft tag says the rest, never the tag's word
again ("Draft Draft version 1"); documents keep the whole status line."""

from datetime import UTC, datetime
from types import SimpleNamespace

from qa_app.services.report_documents import status_beside_tag, status_line


def _report(published: bool):
    return SimpleNamespace(
        number=2,
        is_published=published,
        published_at=datetime(2026, 12, 7, 10, tzinfo=UTC) if published else None,
        published_by=SimpleNamespace(display_name="Sam Lead") if published else None,
    )


def test_the_status_beside_the_tag_does_not_repeat_it():
    assert status_beside_tag(_report(False)) == "Version 2, not for circulation"
    assert status_beside_tag(_report(True)) == "Version 2, 7 December 2026, by Sam Lead"
    for published in (False, True):
        tag = "Published" if published else "Draft"
        assert not status_beside_tag(_report(published)).lower().startswith(tag.lower())


def test_documents_keep_the_whole_status_line():
    assert status_line(_report(False)) == "Draft version 2: not for circulation"
    assert status_line(_report(True)).startswith("Version 2, published 7 December 2026")
