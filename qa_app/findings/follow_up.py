"""The difference made for the child: a follow-up cycle's answers to the impact questions
compared with the same children's answers in the cycle it follows. Pure: the answers are read
by qa_app.data.follow_up_answers.

For each child audited (and completed) in both cycles with the same template, and each impact
question answered both times, the answer then and now and whether it moved *better*, *the
same* or *worse*, by the question's order (options best first; yes, partly, no; a grade's scale
best first). "Not applicable" and unanswered questions are not compared. In aggregate, per
question: how many moved each way, and the distribution of answers then and now over the
children compared.

The child-by-child rows are case level: only the internal tier reads them. The partnership
tier reads the aggregate with exact counts (or its own threshold where the council sets one),
the public tier with counts from 1 to the threshold - 1 hidden and the next smallest hidden
where only one of a row would be (the suppression module's secondary rule), so that no hidden
count can be worked out from the total shown."""

from collections import Counter
from dataclasses import dataclass, field

from qa_app.findings.audiences import AudienceRules
from qa_app.findings.suppression import _secondary, hide_count
from qa_app.templates_engine.impact import AnswerPair, ImpactQuestion

MOVEMENTS = ("better", "same", "worse")
MOVEMENT_LABELS = {"better": "Better", "same": "The same", "worse": "Worse"}
__all__ = ["AnswerPair", "ImpactQuestion", "compare", "for_audience", "movement"]


def movement(question: ImpactQuestion, then: str | None, now: str | None) -> str | None:
    """better, same or worse; None when either answer is not on the question's order."""
    order = [key for key, _ in question.levels]
    if then not in order or now not in order:
        return None
    before, after = order.index(then), order.index(now)
    return "better" if after < before else "worse" if after > before else "same"


@dataclass(frozen=True)
class ChildRow:
    case_reference: str
    team: str
    question: ImpactQuestion
    then: str
    now: str
    movement: str | None  # None: not compared (not applicable or not answered)


@dataclass
class QuestionSummary:
    question: ImpactQuestion
    moved: dict[str, int | None] = field(default_factory=dict)  # better / same / worse
    compared: int | None = 0  # children whose answers were compared
    not_compared: int | None = 0
    then: dict[str, int | None] = field(default_factory=dict)  # answer label -> children
    now: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Comparison:
    questions: list[QuestionSummary]
    children: list[ChildRow]  # empty below the internal tier
    children_compared: int | None  # children with at least one question compared
    case_level: bool = True
    threshold: int = 0


def compare(questions: list[ImpactQuestion], pairs: list[AnswerPair]) -> Comparison:
    """The comparison at case level (the internal tier): every child row and exact counts."""
    by_ident = {q.ident: q for q in questions}
    rows: list[ChildRow] = []
    for pair in sorted(pairs, key=lambda p: (p.case_reference, p.template_key)):
        question = by_ident.get((pair.template_key, pair.question_key))
        if question is None:
            continue
        moved = movement(question, pair.then, pair.now)
        rows.append(
            ChildRow(
                pair.case_reference,
                pair.team,
                question,
                question.label(pair.then),
                question.label(pair.now),
                moved,
            )
        )
    summaries = []
    for question in questions:
        mine = [r for r in rows if r.question.ident == question.ident]
        done = [r for r in mine if r.movement]
        counts = Counter(r.movement for r in done)
        labels = [label for _, label in question.levels]
        then = Counter(r.then for r in done)
        now = Counter(r.now for r in done)
        summaries.append(
            QuestionSummary(
                question,
                {m: counts.get(m, 0) for m in MOVEMENTS},
                len(done),
                len(mine) - len(done),
                {label: then.get(label, 0) for label in labels},
                {label: now.get(label, 0) for label in labels},
            )
        )
    compared = len({(r.case_reference) for r in rows if r.movement})
    return Comparison(summaries, rows, compared)


def _hidden(counts: dict[str, int | None], threshold: int) -> dict[str, int | None]:
    raw = dict(counts)
    shown = {k: hide_count(v, threshold) for k, v in counts.items()}
    _secondary(shown, raw, threshold)
    return shown


def for_audience(comparison: Comparison, rules: AudienceRules) -> Comparison:
    """The comparison as `rules`' audience may read it: below the internal tier no child
    rows; where the audience has a threshold, small counts hidden (None) with the secondary
    rule in each row that adds up to a total shown."""
    if rules.case_level:
        return comparison
    threshold = rules.threshold if rules.suppresses else 0
    summaries = []
    for s in comparison.questions:
        if threshold:
            compared = hide_count(s.compared, threshold)
            summaries.append(
                QuestionSummary(
                    s.question,
                    _hidden(s.moved, threshold) if compared is not None else _none(s.moved),
                    compared,
                    hide_count(s.not_compared, threshold),
                    _hidden(s.then, threshold) if compared is not None else _none(s.then),
                    _hidden(s.now, threshold) if compared is not None else _none(s.now),
                )
            )
        else:
            summaries.append(s)
    children = comparison.children_compared
    return Comparison(
        summaries,
        [],
        hide_count(children, threshold) if threshold else children,
        case_level=False,
        threshold=threshold,
    )


def _none(counts: dict[str, int | None]) -> dict[str, int | None]:
    return {k: None for k in counts}
