"""Demo calibration rounds: one closed last month on two of the demo cycle's cases, with the
grades agreed at the meeting, and one open now that the demo auditor has still to grade (the
moderator has submitted; the senior manager has a draft). Made-up answers, case references
only, the demo's own accounts."""

import random
from datetime import timedelta

from qa_app.data import calibration
from qa_app.data.templates import get_template
from qa_app.data.users import find_by_username
from qa_app.demo.audits import PLAN
from qa_app.extensions import db
from qa_app.models import CalibrationRound, User, utcnow
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.calibration_items import Item

SEED = 21
PARTICIPANTS = ("moderator", "auditor", "senior.manager")


def _true_answers(items: list[Item], rng: random.Random) -> dict[str, int]:
    """What the record shows, per item: mostly 'good' for grades, the first answer otherwise."""
    return {i.key: (rng.choice([1, 1, 1, 2]) if i.graded else rng.choice([0, 0, 1])) for i in items}


def _answers(items: list[Item], truth: dict[str, int], rng: random.Random, miss: float):
    """An auditor's answers: the true one, or a neighbouring level with probability `miss`."""
    out = {}
    for item in items:
        index = truth[item.key]
        if rng.random() < miss:
            index = min(len(item.levels) - 1, max(0, index + rng.choice([-1, 1])))
        out[item.key] = item.levels[index][0]
    return out


def _grade(round_: CalibrationRound, user: User, truths, rng, miss: float, submit: bool):
    person = calibration.participant(round_, user)
    assert person is not None
    items = calibration.items_of(round_)
    for c in round_.cases:
        values = _answers(items, truths[c.case_id], rng, miss)
        calibration.save_ratings(round_, person, c.case_id, values, actor=user)
    if submit:
        calibration.submit(round_, person, actor=user)


def seed_calibration() -> bool:
    """Both demo rounds; False (nothing done) without the single assessment template."""
    template = get_template("single_assessment")
    lead = find_by_username("qa.lead")
    people = [find_by_username(name) for name in PARTICIPANTS]
    if template is None or not template.versions or lead is None or None in people:
        return False
    auditors = [p for p in people if p is not None]
    version = template.versions[-1]
    references = [ref for ref, _, key, _, _ in PLAN if key == "single_assessment"]
    rng = random.Random(SEED)  # noqa: S311 (demo answers, not security)

    closed = calibration.open_round(
        name="Calibration: single assessments, last month",
        version=version,
        case_references=references,
        auditor_ids=[a.id for a in auditors],
        due_date=None,
        actor=lead,
    )
    items = calibration.items_of(closed)
    truths = {c.case_id: _true_answers(items, rng) for c in closed.cases}
    for user, miss in zip(auditors, (0.1, 0.3, 0.2), strict=True):
        _grade(closed, user, truths, rng, miss, submit=True)
    calibration.close(closed, "Met as a group; agreed grades recorded below.", actor=lead)
    for c in closed.cases:
        agreed = {i.key: i.levels[truths[c.case_id][i.key]][0] for i in items}
        calibration.save_agreed(closed, c.case_id, agreed, "Agreed at the meeting", actor=lead)
    month_ago = utcnow() - timedelta(days=30)
    closed.opened_at, closed.closed_at = month_ago - timedelta(days=10), month_ago
    closed.due_date = uk_today() - timedelta(days=33)
    db.session.commit()

    current = calibration.open_round(
        name="Calibration: single assessment, this month",
        version=version,
        case_references=references[:1],
        auditor_ids=[a.id for a in auditors],
        due_date=uk_today() + timedelta(days=10),
        actor=lead,
    )
    truths = {c.case_id: _true_answers(items, rng) for c in current.cases}
    _grade(current, auditors[0], truths, rng, 0.2, submit=True)
    _grade(current, auditors[2], truths, rng, 0.2, submit=False)
    return True
