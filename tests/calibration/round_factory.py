"""Making calibration rounds for tests: cases by reference, a round on the single assessment
template, and every participant's answers."""

from qa_app.data import calibration
from qa_app.data.cases import create_case
from qa_app.data.organisation import save_locality, save_team
from qa_app.extensions import db
from qa_app.models import Team
from qa_app.templates_engine.calibration_items import Item
from tests.audits.factory import latest_version


def make_cases(*references: str) -> None:
    team = db.session.query(Team).first() or save_team(
        "Calibration team", save_locality("Calibration area", actor=None), True, actor=None
    )
    for reference in references:
        create_case(reference, team, None, actor=None)
    db.session.commit()


def make_round(lead, auditors, references=("CAL-1",), name="December calibration"):
    make_cases(*references)
    return calibration.open_round(
        name=name,
        version=latest_version("single_assessment"),
        case_references=references,
        auditor_ids=[a.id for a in auditors],
        due_date=None,
        actor=lead,
    )


def answer_all(round_, user, pick=lambda item, i: item.levels[0][0], submit=True):
    """Give every item an answer (pick(item, index) chooses the level key) and submit."""
    person = calibration.participant(round_, user)
    items: list[Item] = calibration.items_of(round_)
    for c in round_.cases:
        values = {item.key: pick(item, i) for i, item in enumerate(items)}
        calibration.save_ratings(round_, person, c.case_id, values, actor=user)
    if submit:
        calibration.submit(round_, person, actor=user)
    return person
