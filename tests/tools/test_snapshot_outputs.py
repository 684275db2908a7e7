"""tools/snapshot_outputs.py's normalising, on made-up answers (the crawl itself is run by hand:
see the tool's docstring)."""

import importlib.util
import io
from datetime import date, timedelta
from pathlib import Path

from werkzeug.wrappers import Response

from qa_app.rules.uk_time import uk_today

PATH = Path(__file__).resolve().parents[2] / "tools" / "snapshot_outputs.py"
spec = importlib.util.spec_from_file_location("snapshot_outputs", PATH)
snapshot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(snapshot)

PAGE = """<!doctype html><html><head><title>Audits – Practice QA</title>
<script nonce="n0nce">var x = 1;</script></head><body>
<h1>Audits</h1><p>Case   30010001
 is <strong>due</strong></p>
<table><tr><th>Case</th><th>Grade</th></tr><tr><td>30010001</td><td>Good</td></tr></table>
<svg viewBox="0 0 10 10" aria-labelledby="chart-7-title"><title id="chart-7-title">Grades</title>
<rect id="r1" x="1" y="2" width="3" height="4"/></svg>
<a href="/audits/1">Open</a> <a href="https://example.org/">Away</a> <a href="#top">Top</a>
<form method="post" action="/audits/1/themes"><input type="hidden" name="csrf_token" value="s3cret">
<input type="checkbox" name="themes" value="a" checked>
<input type="checkbox" name="themes" value="b">
<select name="grade"><option value="1">One</option><option value="2" selected>Two</option></select>
<input type="submit" value="Save"></form>
<form method="get" action="/findings/audits"><input name="team" value="3"><input name="q" value="">
</form></body></html>"""


def test_times_of_today_are_masked_and_the_history_s_kept():
    today, old = uk_today(), date(2020, 3, 4)
    text = (
        f"{today.isoformat()}T14:05:33.123+00:00 {today.day} {today:%B %Y} at 14:05; "
        f"{old.isoformat()}T09:00:00+00:00 4 March 2020 at 09:00; sent at 16:45:01"
    )
    assert snapshot.mask(text) == (
        f"{today.isoformat()}T<time> {today.day} {today:%B %Y} at <time>; "
        f"{old.isoformat()}T09:00:00+00:00 4 March 2020 at 09:00; sent at <time>"
    )
    soon = today + timedelta(days=1)  # a deadline a working day from now
    assert snapshot.mask(f"by {soon.day} {soon:%B %Y} at 10:01") == (
        f"by {soon.day} {soon:%B %Y} at <time>"
    )
    assert snapshot.mask("WE6X JIP3 DGHV R6ID PZOS OCCC W6KH 6XL4") == "<totp-secret>"


def test_a_page_is_its_text_by_blocks_its_chart_shapes_links_and_forms():
    text = snapshot.Page(PAGE).render()
    assert "Case 30010001 is due" in text.splitlines()
    assert "| Case | Grade" in text and "| 30010001 | Good" in text
    assert "<rect height=4 width=3 x=1 y=2" in text  # the shape, not its id
    assert "chart-7" not in text and "var x" not in text and "s3cret" not in text
    assert "  hidden csrf_token='<csrf>'" in text
    assert "  checkbox themes='a'" in text and "themes='b'" not in text
    assert "  select grade='2'" in text and "Save" not in text


def test_the_crawl_follows_same_origin_links_get_forms_and_redirects():
    response = Response(PAGE, mimetype="text/html", headers={"Location": "/audits/mine"})
    links = snapshot.links_of("/audits/?page=2", response)
    assert links == ["/audits/mine", "/audits/1", "/audits/?page=2", "/findings/audits?team=3"]
    assert snapshot.shapes_of("/audits/12/history?b=1&a=2") == (
        "/audits/N/history",
        "/audits/N/history?a&b",
    )


def test_documents_become_text():
    from docx import Document
    from openpyxl import Workbook
    from reportlab.pdfgen.canvas import Canvas

    book = Workbook()
    book.active.append(["Case", "Grade", None])
    book.active.append(["30010001", 2, None])
    data = io.BytesIO()
    book.save(data)
    assert snapshot.as_text("xlsx", data.getvalue()) == "--- sheet Sheet\nCase\tGrade\n30010001\t2"

    doc = Document()
    doc.add_paragraph("Findings")
    doc.add_table(rows=1, cols=2).rows[0].cells[0].text = "Good"
    data = io.BytesIO()
    doc.save(data)
    assert snapshot.as_text("docx", data.getvalue()).splitlines()[:2] == ["Findings", "Good | "]

    def pdf(words: str, line_to: int) -> str:
        data = io.BytesIO()
        canvas = Canvas(data, invariant=1)
        canvas.drawString(72, 720, words)
        canvas.line(72, 700, line_to, 700)
        canvas.save()
        return snapshot.as_text("pdf", data.getvalue())

    same, other_words, other_line = pdf("at 14:05", 200), pdf("at 16:10", 200), pdf("x", 300)
    assert "at 14:05" in same
    assert same.splitlines()[0] == other_words.splitlines()[0]  # the drawing without its text
    assert same.splitlines()[0] != other_line.splitlines()[0]
    assert snapshot.as_text("json", b'{"b": 1, "a": [2]}') == '{\n "a": [\n  2\n ],\n "b": 1\n}'
