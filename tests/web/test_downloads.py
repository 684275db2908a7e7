"""Every download page answers through qa_app/web/downloads.py: an attachment named as the page
names it, of the type its ending says."""

import pytest

from qa_app.web.downloads import download


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("report-1-v2.pdf", "application/pdf"),
        (
            "report-1-v2.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "scorecard-2026-04.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("cycle-3-audits.csv", "text/csv; charset=utf-8"),
    ],
)
def test_a_download_is_an_attachment_of_the_type_its_name_ends_with(app, name, content_type):
    response = download(b"data", name)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["Content-Type"] == content_type
    assert response.get_data() == b"data"
