"""Uploading case lists to a cycle through the real page: a good list is stored and the QA lead
chooses to audit every case or to sample; a bad list is refused whole, every problem shown."""

import html as html_lib
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, Case, CycleCase, Role, Sample
from tests.cycles.cycle_factory import log_actions, make_cycle, make_team, row_counts
from tests.helpers import csrf_token

GOOD_CSV = (
    "case_reference,team,worker,legal_status,age_band,date_opened\n"
    "1000001,MASH,SW 1,CIN,0-4,2025-04-01\n"
    "1000002,mash,,CP,5-9,01/05/2025\n"
    "1000003,Safeguarding North,SW 3,,,\n"
)
BAD_CSV = (
    "case_reference,team,worker,date_opened,postcode\n"
    "1000001,MASH,SW 1,2025-04-01,\n"
    "Jane Smith,MASH,,,\n"
    "1000003,Nowhere,,,\n"
    "1000001,MASH,,31/02/2025,\n"
)


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, cycle, filename: str, data: bytes):
    url = f"/cycles/{cycle.id}/case-list"
    return client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def lead(client_as, loaded_templates):
    make_team("MASH")
    make_team("Safeguarding North")
    return client_as(Role.QA_LEAD)


def test_a_good_csv_is_stored_and_then_every_case_audited(lead):
    cycle = make_cycle(templates=("single_assessment", "cin_plan"))
    response = upload(lead, cycle, "may.csv", GOOD_CSV.encode())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cycles/{cycle.id}/case-list/next")
    cases = {c.case_reference: c for c in db.session.scalars(select(Case))}
    assert set(cases) == {"1000001", "1000002", "1000003"}
    assert cases["1000002"].team.name == "MASH"
    assert cases["1000002"].facts == {
        "legal_status": "CP",
        "age_band": "5-9",
        "date_opened": "2025-05-01",
    }
    assert cases["1000003"].facts == {}
    assert len(db.session.scalars(select(CycleCase)).all()) == 3
    assert db.session.scalar(select(Audit.id)) is None  # nothing audited until chosen
    assert log_actions("case") == ["created"] * 3
    assert log_actions("cycle")[-1] == "case_list_uploaded"

    page = lead.get(response.headers["Location"])
    assert "3 cases read from may.csv: 3 new" in text(page)
    assert "Audit every case on the list" in text(page) and "Draw a sample" in text(page)
    url = f"/cycles/{cycle.id}/case-list/next"
    response = lead.post(
        url,
        data={"csrf_token": csrf_token(lead, url), "template_id": get_template("cin_plan").id},
    )
    assert response.status_code == 302
    audits = db.session.scalars(select(Audit)).all()
    assert len(audits) == 3
    assert {a.template_version.template.key for a in audits} == {"cin_plan"}
    assert all(a.cycle_id == cycle.id and a.auditor_id is None for a in audits)
    sample = db.session.scalars(select(Sample)).one()
    assert sample.rules["all"] is True and sample.drawn_count == 3
    assert all(cc.sample_id == sample.id for cc in db.session.scalars(select(CycleCase)))
    assert log_actions("audit") == ["created"] * 3
    assert log_actions("sample") == ["drawn"]


def test_a_good_xlsx_is_stored(lead):
    cycle = make_cycle()
    data = xlsx(
        [
            ["Case reference", "Team", "Worker"],
            [1000001, "MASH", "SW 1"],
            ["1000002", "Safeguarding North", None],
        ]
    )
    response = upload(lead, cycle, "june.xlsx", data)
    assert response.status_code == 302
    refs = set(db.session.scalars(select(Case.case_reference)))
    assert refs == {"1000001", "1000002"}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_bad_file_stores_nothing_and_shows_every_problem(lead, kind):
    cycle = make_cycle()
    make_cycle("Another cycle")
    upload(lead, cycle, "earlier.csv", b"case_reference,team\n1000009,MASH\n")
    before = row_counts()
    if kind == "csv":
        response = upload(lead, cycle, "bad.csv", BAD_CSV.encode())
    else:
        rows = [line.split(",") for line in BAD_CSV.strip().split("\n")]
        response = upload(lead, cycle, "bad.xlsx", xlsx(rows))
    assert response.status_code == 200
    assert row_counts() == before
    html = response.get_data(as_text=True)
    assert "<title>Error: " in html
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    items = [
        re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", li))).strip()
        for li in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]
    assert len(items) == 5
    assert any("row 1, column 'postcode': unknown column" in i for i in items)
    assert any("row 3, column 'case_reference'" in i and "never a child's name" in i for i in items)
    assert any("row 4, column 'team': no team has this name" in i for i in items)
    assert any("row 5, column 'case_reference'" in i and "also row 2" in i for i in items)
    assert any("row 5, column 'date_opened'" in i and "not a date" in i for i in items)
    assert "5 problems in bad." in text(response)
    assert "Nowhere" not in html and "Jane" not in html  # no cell's text is echoed
    assert "The file was not stored" in text(response)


def test_a_missing_required_column_is_reported(lead):
    cycle = make_cycle()
    before = row_counts()
    response = upload(lead, cycle, "cases.csv", b"case_reference,worker\n1000001,SW\n")
    assert response.status_code == 200
    assert "column 'team': required column is missing" in text(response)
    assert row_counts() == before


def test_no_file_or_a_wrong_kind_of_file(lead):
    cycle = make_cycle()
    url = f"/cycles/{cycle.id}/case-list"
    response = lead.post(url, data={"csrf_token": csrf_token(lead, url)})
    assert "Choose a CSV or XLSX file to upload" in text(response)
    response = upload(lead, cycle, "cases.docx", b"PK")
    assert "choose a CSV or XLSX file (not .docx)" in text(response)


def test_uploading_again_updates_cases_and_keeps_the_list(lead):
    cycle = make_cycle()
    upload(lead, cycle, "may.csv", GOOD_CSV.encode())
    response = upload(
        lead, cycle, "may2.csv", b"case_reference,team,worker\n1000001,Safeguarding North,SW 9\n"
    )
    assert response.status_code == 302
    case = db.session.scalar(select(Case).where(Case.case_reference == "1000001"))
    assert (case.team.name, case.worker) == ("Safeguarding North", "SW 9")
    assert case.facts["legal_status"] == "CIN"  # facts the file does not carry are kept
    assert len(db.session.scalars(select(CycleCase)).all()) == 3
    assert "1 already on it" in text(lead.get(response.headers["Location"]))


def test_a_broken_workbook_or_a_huge_cell_is_a_problem_not_an_error_page(lead, monkeypatch):
    monkeypatch.setattr("qa_app.imports.limits.MAX_CELL", 100_000)  # a small upload body
    cycle = make_cycle()
    before = row_counts()
    good = xlsx([["case_reference", "team"]] + [[f"{1000000 + n}", "MASH"] for n in range(50)])
    source = zipfile.ZipFile(io.BytesIO(good))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            target.writestr(item, body)
    response = upload(lead, cycle, "list.xlsx", broken.getvalue())
    assert response.status_code == 200
    assert "sheet 1, row " in text(response) and "cannot be read" in text(response)
    huge = b'case_reference,team,worker\n1000001,MASH,"' + b"x" * 110_000 + b'"\n'
    response = upload(lead, cycle, "list.csv", huge)
    assert response.status_code == 200
    assert "sheet 'list', row 2: a cell holds more than 100,000 characters" in text(response)
    assert row_counts() == before
