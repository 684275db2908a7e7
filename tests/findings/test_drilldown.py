"""The audits behind a figure, on the hand-worked data set (known_data.py)."""

from qa_app.findings.audits_behind import Cell, audits_behind
from tests.findings.test_compute import JAN_TO_MAR


def refs(cell: Cell) -> list[str]:
    audits, total = audits_behind(JAN_TO_MAR, cell)
    assert total == len(audits)
    return sorted(a.case.case_reference[-1] for a in audits)


def test_each_kind_of_figure_lists_exactly_its_audits(known):
    assert refs(Cell(grade="good")) == ["1", "5", "7"]
    assert refs(Cell(grade="good_or_better")) == ["1", "2", "5", "7"]
    assert refs(Cell(section="timeliness", grade="requires_improvement")) == ["3", "7"]
    assert refs(Cell(section="timeliness", grade="good_or_better")) == ["1", "2", "5"]
    assert refs(Cell(theme="timeliness", mark="not_seen")) == ["4"]
    assert refs(Cell(question="child_seen_alone", value="no")) == ["3", "4"]
    assert refs(Cell(question="presenting_concerns", value="domestic_abuse")) == ["1", "3"]
    assert refs(Cell(month="2026-02")) == ["3", "4"]
    assert refs(Cell(moderation="completed")) == ["7"]
    assert refs(Cell(status="in_progress")) == ["6"]


def test_cell_arguments_that_cannot_be_filtered_by_are_reported():
    cell, problems = Cell.from_args({"grade": "good; drop", "month": "2026-13", "theme": "x"})
    assert cell == Cell(theme="x")
    assert len(problems) == 2
