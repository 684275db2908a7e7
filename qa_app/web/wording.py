"""Words the pages share: counts with their nouns in the right number, and stored keys shown as
the labels the pages use.

`{{ n | counted("open audit") }}` writes "1 open audit" or "12 open audits" (`many` for an
irregular plural: `{{ n | counted("child", "children") }}`); where the number is a link of its
own, `{{ n | noun_for("audit") }}` writes only the noun. Both are the pure
qa_app.findings.present helpers, so the PDF and spreadsheet renderers say the same."""

from datetime import datetime

from flask import Flask

from qa_app.findings.present import counted, noun_for
from qa_app.rules.uk_time import uk_datetime


def bulk_change_name(at: datetime, audits: int) -> str:
    """How a QA lead reads and finds a change to many audits at once (the change log's ids are
    not theirs): "the bulk change of 7 December 2026 at 14:02 (12 audits)"."""
    return f"the bulk change of {uk_datetime(at)} ({counted(audits, 'audit')})"


def batch_name(entry) -> str:
    """bulk_change_name of a stored batch (a change-log entry with its items)."""
    return bulk_change_name(entry.at, len((entry.changes or {}).get("items", [])))


def register_wording(app: Flask) -> None:
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.filters["noun_for"] = noun_for
    app.jinja_env.filters["batch_name"] = batch_name
