"""theme marks: "not assessed" for imported audits that never looked at the theme

A theme mark is now suggested only from the questions that evidence the theme, and is "not
assessed" (never counted) when the audit answered no question mainly about the theme and
fewer than half of the questions that judge it. Historic audits imported before this were
given marks from any linked answer: an answer about agency checks made "fathers and wider
family included" a strength of a review that never looked at fathers.

This re-derives, with the rule as it stands at this revision (frozen here, so the migration
reads the same however the code changes later), the marks that no person ever chose: those
of audits stored by the historic import ("imported" in the change log) that are still the
suggestion (`suggested`). Marks a person gave or changed, and every audit done on the web
form (whose marks an auditor confirmed), are left as they are. Each audit changed gets a
change-log entry, "theme_marks_resuggested", with the old and new marks.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:20:00

"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHUNK = 500
SIGNAL_TYPES = ("yes_partly_no", "grade")


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _questions(content: dict):
    def walk(questions):
        for q in questions:
            yield q
            if q["type"] == "repeat":
                yield from walk(q["questions"])

    for section in content["template"]["sections"]:
        yield from walk(section["questions"])


def _signal(content: dict, question: dict, text) -> str | None:
    if question["type"] == "yes_partly_no":
        return {"yes": "strength", "partly": "development", "no": "development"}.get(text)
    if question["type"] == "grade":
        levels = [lvl["key"] for lvl in content["scales"][question["scale"]]["levels"]]
        if text in levels:
            return "strength" if text in levels[: max(1, len(levels) // 2)] else "development"
    return None


def suggest(content: dict, answers: dict) -> dict:
    """The marks suggested from {question_key: [value_text, ...]} (the answered questions;
    a question inside a repeat group has one answer per block)."""
    linked: dict[str, list[dict]] = {key: [] for key in content["themes"]}
    by_key = {}
    for q in _questions(content):
        by_key[q["key"]] = q
        for theme in q.get("themes", []):
            linked.setdefault(theme, []).append(q)
    answered, mainly, signals = {}, set(), {}
    for key, texts in answers.items():
        q = by_key.get(key)
        if q is None:
            continue
        found = {_signal(content, q, text) for text in texts} - {None}
        for i, theme in enumerate(q.get("themes", [])):
            answered.setdefault(theme, set()).add(key)
            if i == 0:
                mainly.add(theme)
            signals.setdefault(theme, set()).update(found)
    marks = {}
    for theme, questions in linked.items():
        judged = {q["key"] for q in questions if q["type"] in SIGNAL_TYPES}
        done = answered.get(theme, set())
        if not (theme in mainly or (judged and 2 * len(judged & done) >= len(judged))):
            marks[theme] = "not_assessed"
        elif "development" in signals.get(theme, ()):
            marks[theme] = "development"
        elif "strength" in signals.get(theme, ()):
            marks[theme] = "strength"
        else:
            marks[theme] = "not_seen"
    return marks


def resuggest(conn) -> int:
    """Re-derive the still-suggested marks of imported audits; returns the audits changed."""
    imported = sorted(
        {
            int(e)
            for e in conn.execute(
                sa.text(
                    "SELECT DISTINCT entity_id FROM change_log "
                    "WHERE entity_type = 'audit' AND action = 'imported'"
                )
            ).scalars()
            if str(e).isdecimal()
        }
    )
    contents: dict[int, dict] = {}
    changed = 0
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC, as the app does
    for start in range(0, len(imported), CHUNK):
        ids = imported[start : start + CHUNK]
        marks: dict[int, dict[str, tuple[int, str]]] = {}
        rows = conn.execute(
            sa.text(
                "SELECT id, audit_id, theme_key, mark FROM theme_marks "
                "WHERE suggested AND audit_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        )
        for mark_id, audit_id, theme, mark in rows:
            marks.setdefault(audit_id, {})[theme] = (mark_id, mark)
        if not marks:
            continue
        versions = dict(
            conn.execute(
                sa.text("SELECT id, template_version_id FROM audits WHERE id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": sorted(marks)},
            ).all()
        )
        answers: dict[int, dict] = {}
        rows = conn.execute(
            sa.text(
                "SELECT audit_id, question_key, value_text, value_number, value_date, "
                "value_choices FROM answers WHERE audit_id IN :ids AND question_key != '__block__'"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": sorted(marks)},
        )
        for audit_id, key, text, number, day, choices in rows:
            blank = not (text or "").strip() and number is None and day is None
            if blank and not _json(choices):
                continue
            answers.setdefault(audit_id, {}).setdefault(key, []).append(text)
        for audit_id, current in marks.items():
            version = versions[audit_id]
            if version not in contents:
                contents[version] = _json(
                    conn.execute(
                        sa.text("SELECT content FROM template_versions WHERE id = :id"),
                        {"id": version},
                    ).scalar_one()
                )
            fresh = suggest(contents[version], answers.get(audit_id, {}))
            fields = {}
            for theme, (mark_id, old) in current.items():
                new = fresh.get(theme, old)
                if new != old:
                    conn.execute(
                        sa.text("UPDATE theme_marks SET mark = :mark WHERE id = :id"),
                        {"mark": new, "id": mark_id},
                    )
                    fields[theme] = [old, new]
            if fields:
                changed += 1
                conn.execute(
                    sa.text(
                        "INSERT INTO change_log (at, user_id, entity_type, entity_id, action, "
                        "changes) VALUES (:at, NULL, 'audit', :id, 'theme_marks_resuggested', "
                        ":changes)"
                    ).bindparams(
                        sa.bindparam("at", type_=sa.DateTime()),
                        sa.bindparam("changes", type_=sa.JSON()),
                    ),
                    {
                        "at": now,
                        "id": str(audit_id),
                        "changes": {
                            "fields": fields,
                            "reason": "marks suggested only from the theme's own questions; "
                            "not assessed where it was not looked at",
                            "migration": "0013",
                        },
                    },
                )
    return changed


def upgrade():
    resuggest(op.get_bind())


def downgrade():
    # the code before this revision knows no "not assessed": read it as not seen
    op.execute("UPDATE theme_marks SET mark = 'not_seen' WHERE mark = 'not_assessed'")
