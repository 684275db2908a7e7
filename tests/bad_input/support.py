"""Checking one bad input: refused with a message that says where, no 500, nothing changed.

A case is checked by `refused(...)`, which returns what is wrong (an empty list when the app
behaved), so a test can run a page's whole list of cases with one sign-in and report every
failure at once, each under its case's name."""

import html as html_lib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.bad_input.snapshot import changes, dump
from tests.helpers import csrf_token

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    """One bad input. `where`: substrings the message must hold to name the place (row,
    column, field, line); `data`: the file bytes or the form fields changed from a good post."""

    name: str
    data: object
    where: tuple[str, ...] = ()
    filename: str = ""
    bug: str | None = None  # a known fault: the case is reported as a strict xfail
    extra: dict = field(default_factory=dict)


def page_text(response) -> str:
    """A page's words without its markup, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def error_summary(response) -> str:
    """The GOV.UK error summary's markup, or '' if the page has none."""
    html = response.get_data(as_text=True)
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    """A workbook with the named sheets and rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


class Checker:
    """Runs cases one at a time: snapshot, send, snapshot, judge. Collects failures by case."""

    def __init__(self):
        self.failures: dict[str, list[str]] = {}
        self.checked = 0

    def run(self, case: Case, send, judge) -> None:
        """send() makes the one request (or command); judge(result) -> list of problems with
        the message. The database must be the same before and after."""
        before = dump()
        result = send()
        after = dump()
        problems = list(judge(result))
        if diff := changes(before, after):
            problems.append(f"the database changed: {diff}")
        self.checked += 1
        if problems and case.bug is None:
            self.failures[case.name] = problems
        elif not problems and case.bug is not None:
            self.failures[case.name] = [f"marked as a bug ({case.bug}) but now behaves: unmark it"]
        elif problems:
            self.failures.setdefault("(known bugs, still present)", []).append(case.name)

    def assert_all_behaved(self) -> None:
        real = {k: v for k, v in self.failures.items() if k != "(known bugs, still present)"}
        assert not real, "\n".join(f"{name}: {'; '.join(p)}" for name, p in real.items())


def page_refusal(response, where: tuple[str, ...]) -> list[str]:
    """What is wrong with a page's answer to a bad post: it must not be a 500 or a redirect
    (a redirect means it was accepted), and its words must name every `where`."""
    if response.status_code >= 500:
        return [f"answered {response.status_code}"]
    if response.status_code in (301, 302, 303, 307, 308):
        return [f"accepted it (redirect to {response.headers.get('Location')})"]
    text = page_text(response)
    return [f"the page does not say {w!r}" for w in where if w not in text]


def summary_names_field(response, field_id: str, message: str = "") -> list[str]:
    """The error summary links to the field (its id, or its first part for a date input) and
    holds `message`."""
    if response.status_code >= 500 or response.status_code in (301, 302, 303):
        return page_refusal(response, ())
    summary = error_summary(response)
    if not summary:
        return [f"answered {response.status_code} with no error summary"]
    problems = []
    if f'href="#{field_id}' not in summary:
        links = re.findall(r'href="(#[^"]*)"', summary)
        problems.append(f"the error summary does not link to #{field_id} (it links to {links})")
    if message and message not in page_text(response):
        problems.append(f"the page does not say {message!r}")
    return problems


def upload(client, url: str, data: bytes, filename: str):
    """() -> the response to posting `data` as the form's file. The multipart body is built in
    memory: the test client would spool a big one to a temporary file it never closes."""

    def send():
        token = csrf_token(client, url)
        upload = FileStorage(io.BytesIO(data), filename, content_type="application/octet-stream")
        boundary, body = encode_multipart({"csrf_token": token, "file": upload})
        content_type = f"multipart/form-data; boundary={boundary}"
        return client.post(url, data=body, content_type=content_type)

    return send


def cli_refusal(result, where: tuple[str, ...], nothing: str) -> list[str]:
    """A command's answer to a bad file: exit 1 (no crash), naming every `where`."""
    out = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        out.append(f"crashed: {result.exception!r}")
    if result.exit_code != 1:
        out.append(f"exit code {result.exit_code}")
    out += [f"the output does not say {w!r}" for w in where if w not in result.output]
    if nothing not in result.output:
        out.append(f"the output does not say {nothing!r}")
    return out
