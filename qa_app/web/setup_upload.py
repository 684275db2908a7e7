"""The set-up upload pages (teams and localities, accounts, indicator definitions, cycles):
choose a file, see what it will create and change (or every problem, by row and column),
then store it with a second button. The file's bytes travel from the preview to that button
inside the page (a set-up file is at most imports.setup_files.SETUP's size), signed with the
app's secret (a store request carrying anything but the previewed file is refused), and are
checked again before anything is stored, so what is stored is what was previewed, or nothing."""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from flask_wtf.file import FileField
from wtforms import HiddenField, SubmitField

from qa_app.imports.setup_files import SETUP, SetupPlan
from qa_app.imports.tabular import ImportProblem
from qa_app.web.file_problems import file_error_summary, uploaded_file
from qa_app.web.forms_base import QAForm
from qa_app.web.widgets import FileInput, SubmitInput


class SetupUploadForm(QAForm):
    file = FileField("File", widget=FileInput(), description="A CSV or XLSX file")
    submit = SubmitField("Check the file", widget=SubmitInput())


class SetupStoreForm(QAForm):
    filename = HiddenField()
    content = HiddenField()
    signature = HiddenField()  # the app's HMAC of the name and content previewed
    store = SubmitField("Store these changes", widget=SubmitInput())


@dataclass
class SetupPage:
    """What the page shows: the upload form, and after a file, its plan or its problems."""

    upload_form: SetupUploadForm
    store_form: SetupStoreForm
    plan: SetupPlan | None = None
    stored: bool = False
    errors: list[dict] = field(default_factory=list)

    def context(self) -> dict:
        problems = self.plan.problems if self.plan else []
        return {
            "upload_form": self.upload_form,
            "store_form": self.store_form,
            "plan": self.plan,
            "problems": problems,
            "filename": self.plan.filename if self.plan else None,
            "errors": self.errors,
        }


def _decoded(text: str) -> bytes | None:
    if len(text) > SETUP.file_bytes * 4 // 3 + 8:
        return None
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def _signature(name: str, content: str) -> str:
    """What only this app could have put beside the previewed file: a store request whose
    name or content is not what was previewed is refused."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = b"setup-file\0" + name.encode() + b"\0" + content.encode("ascii", "replace")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def setup_page(
    check: Callable[[str, bytes], SetupPlan], store: Callable[[SetupPlan], None]
) -> SetupPage:
    """Run the page for this request: a file checked and previewed, or (the store button) the
    previewed file checked again and stored with `store`."""
    page = SetupPage(SetupUploadForm(), SetupStoreForm())
    store_form, upload_form = page.store_form, page.upload_form
    if store_form.store.data and store_form.validate_on_submit():
        name = (store_form.filename.data or "file.csv")[:200]
        posted = store_form.content.data or ""
        signed = hmac.compare_digest(_signature(name, posted), str(store_form.signature.data or ""))
        content = _decoded(posted) if signed else None
        if content is None:
            page.plan = SetupPlan(name, "")
            page.plan.problems.append(
                ImportProblem("", 0, "", "the file was lost on the way: choose it again")
            )
        else:
            page.plan = check(name, content)
            if not page.plan.problems:
                store(page.plan)
                page.stored = True
                return page
    elif upload_form.submit.data and upload_form.validate_on_submit():
        if sent := uploaded_file(upload_form.file):
            name, content = sent
            page.plan = check(name, content)
            store_form.filename.data = name
            store_form.content.data = base64.b64encode(content).decode("ascii")
            store_form.signature.data = _signature(name, store_form.content.data)
    problems = page.plan.problems if page.plan else []
    page.errors = file_error_summary(problems, list(upload_form.file.errors))
    return page
