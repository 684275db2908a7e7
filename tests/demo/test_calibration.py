"""The demo's calibration rounds: one closed with agreed grades, one open for the auditor."""

from qa_app.data import calibration
from qa_app.data.users import find_by_username
from qa_app.demo import seed as demo
from qa_app.findings.calibration_results import round_results


def test_the_demo_has_a_closed_round_with_agreed_grades_and_an_open_one(loaded_templates):
    assert demo.seed(only_if_empty=True, history=False)
    closed, current = sorted(calibration.list_rounds(), key=lambda r: r.opened_at)
    assert not closed.is_open and current.is_open
    figures = round_results(closed)
    assert figures.submitted == 3 and figures.mean_alpha is not None
    assert all(d.compared for d in figures.distances)
    assert "Auditors agreed on" in figures.headline
    auditor = find_by_username("auditor")
    assert calibration.rounds_to_grade(auditor) == [current]
    assert all(c.case.case_reference.isdigit() for c in closed.cases)
