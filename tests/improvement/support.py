"""Building improvement plans for tests, and posting the real forms."""

import html
import re
from datetime import date

from sqlalchemy import func, select

from qa_app.data import improvement
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, ImprovementAction
from tests.helpers import csrf_token

PLAN = "Children's services improvement plan 2026 to 2027"
VERSION_RE = re.compile(r'name="lock_version" type="hidden" value="(\d+)"')
FAR_PAST = ["1", "4", "2001"]  # a due date long gone: the action is overdue
FAR_FUTURE = ["31", "3", "2099"]  # never overdue while these tests run


def make_plan(actor, title: str = PLAN, **kwargs):
    return improvement.save_plan(None, title=title, actor=actor, **kwargs)


def make_action(plan, actor, description: str = "Audit chronologies monthly", **fields):
    fields.setdefault("today", date(2026, 6, 1))
    return improvement.create_action(plan, actor=actor, description=description, **fields)


def action_data(owner, **overrides) -> dict:
    """A valid action form."""
    return {
        "description": "Team managers check the voice of the child in every plan",
        "priority": "",
        "owner": str(owner.id),
        "due_date": FAR_FUTURE,
        "status": "not_started",
        "started_on": ["", "", ""],
        "source_kind": "other",
        "source_cycle": "",
        "source_week": "",
        "source_note": "Ofsted ILACS 2026, recommendation 3",
        "expected_outcome": "Children's words recorded in every plan",
        **overrides,
    }


def post(client, url: str, data: dict, page: str | None = None):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def page_version(client, url: str) -> str:
    return VERSION_RE.search(client.get(url).get_data(as_text=True)).group(1)


def log_rows(entity_type: str, entity_id) -> list[ChangeLogEntry]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == entity_type,
                ChangeLogEntry.entity_id == str(entity_id),
            )
            .order_by(ChangeLogEntry.id)
        )
    )


def action_count() -> int:
    return db.session.scalar(select(func.count(ImprovementAction.id)))


def page(response) -> str:
    """A page's HTML with entities unescaped (apostrophes come back as typed)."""
    return html.unescape(response.get_data(as_text=True))


def page_text(response) -> str:
    """A page's words, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page(response)))
