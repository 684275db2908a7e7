"""`qa report scrutiny`: the month's pack as a file, the published version when there is one,
otherwise a draft from the data that stores nothing; a month written wrongly is refused."""

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import Report
from tests.services import scrutiny_seed as seed


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".pptx"])
def test_a_months_pack_is_written_without_storing_a_draft(app, tmp_path, suffix):
    pytest.importorskip(f"qa_app.documents.scrutiny_{suffix[1:]}")
    seed.children_in_need()
    out = tmp_path / f"pack{suffix}"

    result = app.test_cli_runner().invoke(
        args=["qa", "report", "scrutiny", "--month", "2021-09", "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert "drafting one from the data now" in result.output
    assert out.read_bytes()[:2] in (b"%P", b"PK")
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_a_month_written_wrongly_is_refused(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["qa", "report", "scrutiny", "--month", "September", "--out", str(tmp_path / "a.pdf")]
    )

    assert result.exit_code != 0
    assert "is not a month: write it as year-month" in result.output
