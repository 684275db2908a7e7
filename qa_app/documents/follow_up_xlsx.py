"""The difference made for the child as an XLSX workbook, internal tier only (it holds case
references): an "About" sheet (the two cycles, the marking), "By question" (per impact
question, how many children's answers moved better, the same or worse, and the answers then
and now) and "Child by child" (each child's answer then and now). Written by the one
spreadsheet writer (qa_app.documents.spreadsheet)."""

from collections.abc import Sequence

from qa_app.documents.spreadsheet import CellValue, tables_xlsx
from qa_app.findings.audiences import MARKINGS, Audience
from qa_app.findings.follow_up import MOVEMENT_LABELS, MOVEMENTS, Comparison
from qa_app.models import AuditCycle


def _day(cycle: AuditCycle) -> str:
    return f"{cycle.period_start:%-d %B %Y} to {cycle.period_end:%-d %B %Y}"


def follow_up_xlsx(original: AuditCycle, follow_up: AuditCycle, comparison: Comparison) -> bytes:
    """The workbook of an internal-tier comparison (refused for any other tier)."""
    if not comparison.case_level:
        raise ValueError("the child-by-child workbook is for the internal tier only")
    about: list[Sequence[CellValue]] = [
        ["Difference made for the child", ""],
        ["Marking", MARKINGS[Audience.INTERNAL]],
        ["Follow-up cycle", follow_up.name],
        ["Its period", _day(follow_up)],
        ["The cycle it follows", original.name],
        ["Its period", _day(original)],
        ["Months after", follow_up.months_after],
        ["Children compared", comparison.children_compared],
    ]
    by_question: list[Sequence[CellValue]] = [
        [
            "Template",
            "Question",
            *(MOVEMENT_LABELS[m] for m in MOVEMENTS),
            "Children compared",
            "Not compared",
            "Answer",
            "Children then",
            "Children now",
        ]
    ]
    for s in comparison.questions:
        first = True
        for label in s.then:
            head: list[CellValue] = [None] * 7
            if first:
                head = [s.question.template_name, s.question.text]
                head += [s.moved[m] for m in MOVEMENTS] + [s.compared, s.not_compared]
            by_question.append([*head, label, s.then[label], s.now.get(label)])
            first = False
    children: list[Sequence[CellValue]] = [
        ["Case reference", "Team", "Template", "Question", "Then", "Now", "Movement"]
    ]
    for row in comparison.children:
        children.append(
            [
                row.case_reference,
                row.team,
                row.question.template_name,
                row.question.text,
                row.then,
                row.now,
                MOVEMENT_LABELS[row.movement] if row.movement else "Not compared",
            ]
        )
    return tables_xlsx({"About": about, "By question": by_question, "Child by child": children})
