"""Calibration rounds, read and written: opening a round (a template version, cases by their
reference, the auditors taking part), each participant's answers saved as a draft and then
submitted, closing the round, and the answers agreed at the calibration meeting. Every write is
in the change log. Rounds are never audits: nothing here touches the audit tables."""

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog
from qa_app.data.cases import find_case
from qa_app.extensions import db
from qa_app.models import (
    CalibrationAgreed,
    CalibrationCase,
    CalibrationParticipant,
    CalibrationRating,
    CalibrationRound,
    RoundStatus,
    TemplateVersion,
    User,
    utcnow,
)
from qa_app.templates_engine.answers import clean_text
from qa_app.templates_engine.calibration_items import Item, calibration_items

NAME_MAX, NOTE_MAX = 200, 5000
MIN_AUDITORS = 2  # alpha means little below 3, but a pair may calibrate


class CalibrationError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def items_of(round_: CalibrationRound) -> list[Item]:
    return calibration_items(round_.template_version.content)


def get_round(round_id: int) -> CalibrationRound | None:
    return db.session.get(CalibrationRound, round_id)


def list_rounds(user: User | None = None) -> list[CalibrationRound]:
    """Every round, newest first; with `user`, only the rounds they take part in."""
    stmt = (
        select(CalibrationRound)
        .options(
            selectinload(CalibrationRound.participants),
            selectinload(CalibrationRound.cases).selectinload(CalibrationCase.case),
        )
        .order_by(CalibrationRound.opened_at.desc(), CalibrationRound.id.desc())
    )
    if user is not None:
        mine = select(CalibrationParticipant.round_id).where(
            CalibrationParticipant.user_id == user.id
        )
        stmt = stmt.where(CalibrationRound.id.in_(mine))
    return list(db.session.scalars(stmt))


def rounds_to_grade(user: User) -> list[CalibrationRound]:
    """The open rounds the person is in and has not yet submitted (for their home page)."""
    return list(
        db.session.scalars(
            select(CalibrationRound)
            .join(CalibrationParticipant)
            .where(
                CalibrationParticipant.user_id == user.id,
                CalibrationParticipant.submitted_at.is_(None),
                CalibrationRound.status == RoundStatus.OPEN.value,
            )
            .order_by(CalibrationRound.due_date, CalibrationRound.id)
        )
    )


def participant(round_: CalibrationRound, user: User) -> CalibrationParticipant | None:
    return next((p for p in round_.participants if p.user_id == user.id), None)


def round_case(round_: CalibrationRound, case_id: int) -> CalibrationCase | None:
    return next((c for c in round_.cases if c.case_id == case_id), None)


def open_round(
    *,
    name: str,
    version: TemplateVersion,
    case_references: Iterable[str],
    auditor_ids: Iterable[int],
    due_date: date | None,
    actor: User,
) -> CalibrationRound:
    """A new open round; refuses unknown case references and fewer than two auditors."""
    name = clean_text(name or "").strip()
    if not name:
        raise CalibrationError("Enter a name for the round", "name")
    if len(name) > NAME_MAX:
        raise CalibrationError(f"The name must be {NAME_MAX} characters or fewer", "name")
    references = list(dict.fromkeys(r.strip() for r in case_references if r.strip()))
    if not references:
        raise CalibrationError("Enter at least one case reference", "case_references")
    cases = []
    for reference in references:
        case = find_case(reference)
        if case is None:
            raise CalibrationError(f"There is no case {reference}", "case_references")
        cases.append(case)
    auditors = sorted(set(auditor_ids))
    if len(auditors) < MIN_AUDITORS:
        raise CalibrationError("Choose at least two auditors (three or more is better)", "auditors")
    round_ = CalibrationRound(
        name=name,
        template_version=version,
        opened_by_id=actor.id,
        due_date=due_date,
        cases=[CalibrationCase(case=c) for c in cases],
        participants=[CalibrationParticipant(user_id=a) for a in auditors],
    )
    db.session.add(round_)
    db.session.flush()
    changelog.record(
        actor,
        "calibration_round",
        round_.id,
        "opened",
        {
            "name": name,
            "template_version_id": version.id,
            "cases": references,
            "auditors": auditors,
            "due_date": due_date.isoformat() if due_date else None,
        },
    )
    db.session.commit()
    return round_


def ratings_of(person: CalibrationParticipant, case_id: int) -> dict[str, str]:
    return {r.item_key: r.value for r in person.ratings if r.case_id == case_id}


def missing_answers(round_: CalibrationRound, person: CalibrationParticipant) -> int:
    """How many answers the participant has still to give, every case together."""
    keys = {i.key for i in items_of(round_)}
    given = {(r.case_id, r.item_key) for r in person.ratings if r.item_key in keys}
    return len(keys) * len(round_.cases) - len(given)


def save_ratings(
    round_: CalibrationRound,
    person: CalibrationParticipant,
    case_id: int,
    values: Mapping[str, str | None],
    *,
    actor: User,
) -> None:
    """Keep the participant's answers for one case (a draft until they submit)."""
    if not round_.is_open or person.submitted_at is not None:
        raise CalibrationError("Your grades for this round are already in")
    items = {i.key: i for i in items_of(round_)}
    stored = {(r.case_id, r.item_key): r for r in person.ratings}
    changes: dict[str, list[str | None]] = {}
    for key, value in values.items():
        item = items.get(key)
        if item is None or (value is not None and item.index(value) is None):
            continue
        row = stored.get((case_id, key))
        if value is None:
            if row is not None:
                person.ratings.remove(row)
                changes[key] = [row.value, None]
        elif row is None:
            person.ratings.append(CalibrationRating(case_id=case_id, item_key=key, value=value))
            changes[key] = [None, value]
        elif row.value != value:
            changes[key] = [row.value, value]
            row.value = value
    if changes:
        changelog.record(
            actor,
            "calibration_participant",
            person.id,
            "answers_saved",
            {"round": round_.id, "case_id": case_id, "answers": changes},
        )
    db.session.commit()


def submit(round_: CalibrationRound, person: CalibrationParticipant, *, actor: User) -> None:
    if not round_.is_open:
        raise CalibrationError("The round is closed")
    if person.submitted_at is not None:
        raise CalibrationError("Your grades for this round are already in")
    missing = missing_answers(round_, person)
    if missing:
        raise CalibrationError(
            f"Answer every item for every case before you submit ({missing} still to answer)"
        )
    person.submitted_at = utcnow()
    changelog.record(actor, "calibration_participant", person.id, "submitted", {})
    db.session.commit()


def close(round_: CalibrationRound, notes: str, *, actor: User) -> None:
    """Close the round: the answers of those who submitted are then shown to everyone in it."""
    if not round_.is_open:
        raise CalibrationError("The round is already closed")
    if not any(p.submitted_at for p in round_.participants):
        raise CalibrationError("Nobody has submitted their grades yet", "notes")
    notes = clean_text(notes or "").strip()
    if len(notes) > NOTE_MAX:
        raise CalibrationError(f"Notes must be {NOTE_MAX} characters or fewer", "notes")
    round_.status = RoundStatus.CLOSED.value
    round_.closed_at = utcnow()
    round_.meeting_notes = notes
    submitted = sum(1 for p in round_.participants if p.submitted_at)
    changelog.record(
        actor, "calibration_round", round_.id, "closed", {"submitted": submitted, "notes": notes}
    )
    db.session.commit()


def agreed_answers(round_: CalibrationRound) -> dict[tuple[int, str], CalibrationAgreed]:
    rows = db.session.scalars(
        select(CalibrationAgreed).where(CalibrationAgreed.round_id == round_.id)
    )
    return {(a.case_id, a.item_key): a for a in rows}


def save_agreed(
    round_: CalibrationRound,
    case_id: int,
    values: Mapping[str, str | None],
    note: str,
    *,
    actor: User,
) -> None:
    """Record the answers agreed at the meeting for one case of a closed round."""
    if round_.is_open:
        raise CalibrationError("Close the round before recording the agreed grades")
    items = {i.key: i for i in items_of(round_)}
    stored = agreed_answers(round_)
    note = clean_text(note or "").strip()[:NOTE_MAX]
    changes: dict[str, list[str | None]] = {}
    for key, value in values.items():
        item = items.get(key)
        if item is None or value is None or item.index(value) is None:
            continue
        row = stored.get((case_id, key))
        if row is None:
            row = CalibrationAgreed(round_id=round_.id, case_id=case_id, item_key=key, value="")
            db.session.add(row)
        if row.value != value or row.note != note:
            changes[key] = [row.value or None, value]
            row.value, row.note = value, note
            row.agreed_by_id, row.agreed_at = actor.id, utcnow()
    changelog.record(
        actor,
        "calibration_round",
        round_.id,
        "agreed_saved",
        {"case_id": case_id, "answers": changes, "note": note},
    )
    db.session.commit()


def submitted_ratings(round_: CalibrationRound) -> list[tuple[int, int, str, str]]:
    """(auditor id, case id, item key, value) of every participant who submitted."""
    rows = db.session.execute(
        select(
            CalibrationParticipant.user_id,
            CalibrationRating.case_id,
            CalibrationRating.item_key,
            CalibrationRating.value,
        )
        .join(CalibrationRating.participant)
        .where(
            CalibrationParticipant.round_id == round_.id,
            CalibrationParticipant.submitted_at.is_not(None),
        )
    )
    return [(u, c, k, v) for u, c, k, v in rows]


def round_count() -> int:
    return db.session.scalar(select(func.count(CalibrationRound.id))) or 0
