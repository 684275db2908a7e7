"""A calibration round's results, from the answers of those who submitted: each item's figures
(qa_app.findings.calibration_stats), the sentence a QA lead would sign ("Auditors agreed on 7 of
9 graded sections"), the auditors against the majority, each auditor's distance from the agreed
grades; and the rounds over time beside the moderation kappa of the same months."""

from dataclasses import dataclass
from datetime import date
from statistics import mean
from typing import Any

from qa_app.data import calibration as data
from qa_app.data.users import display_names
from qa_app.findings.calibration_stats import (
    Distance,
    ItemRatings,
    ItemResult,
    against_the_majority,
    distances,
    item_result,
)
from qa_app.findings.compute import compute_findings
from qa_app.findings.filters import Filters
from qa_app.models import CalibrationRound
from qa_app.rules.uk_time import to_uk
from qa_app.templates_engine.calibration_items import Item

ALPHA_IN_WORDS = (
    "Krippendorff's alpha is agreement beyond what chance would give: 1 is complete agreement, "
    "0 no better than chance; 0.8 or more is reliable, 0.667 to 0.8 is tentative."
)


@dataclass(frozen=True)
class Row:
    item: Item
    result: ItemResult


@dataclass(frozen=True)
class RoundResults:
    round: CalibrationRound
    rows: list[Row]
    submitted: int
    against_majority: dict[int, tuple[int, int]]
    distances: list[Distance]
    names: dict[int, str]

    def _count(self, graded: bool) -> tuple[int, int]:
        mine = [r for r in self.rows if r.item.graded == graded and r.result.agreement is not None]
        return sum(1 for r in mine if r.result.agreed), len(mine)

    @property
    def headline(self) -> str:
        parts = []
        for graded, noun in ((True, "grade"), (False, "question")):
            agreed, total = self._count(graded)
            if total:
                parts.append(f"{agreed} of {total} {noun}{'' if total == 1 else 's'}")
        if not parts:
            return "Fewer than two auditors submitted, so there is no agreement to measure."
        return (
            f"Auditors agreed on {' and '.join(parts)} (agreed: at least 4 in 5 pairs of "
            "auditors gave the same answer)."
        )

    @property
    def mean_alpha(self) -> float | None:
        values = [r.result.alpha.value for r in self.rows if r.result.alpha.value is not None]
        return mean(values) if values else None

    @property
    def mean_agreement(self) -> float | None:
        values = [r.result.agreement for r in self.rows if r.result.agreement is not None]
        return mean(values) if values else None


def round_results(round_: CalibrationRound) -> RoundResults:
    items = data.items_of(round_)
    by_item: dict[str, dict[int, dict[int, int]]] = {i.key: {} for i in items}
    index = {i.key: i for i in items}
    auditors: set[int] = set()
    for auditor_id, case_id, key, value in data.submitted_ratings(round_):
        item = index.get(key)
        position = item.index(value) if item else None
        if item is None or position is None:
            continue
        by_item[key].setdefault(case_id, {})[auditor_id] = position
        auditors.add(auditor_id)
    agreed: dict[str, dict[int, int]] = {i.key: {} for i in items}
    for (case_id, key), row in data.agreed_answers(round_).items():
        item = index.get(key)
        position = item.index(row.value) if item else None
        if item is not None and position is not None:
            agreed[key][case_id] = position
    ratings = [
        ItemRatings(
            i.key,
            i.label,
            i.ordinal,
            tuple(label for _, label in i.levels),
            by_item[i.key],
            agreed[i.key],
        )
        for i in items
    ]
    rows = [Row(i, item_result(r)) for i, r in zip(items, ratings, strict=True)]
    participants = {p.user_id for p in round_.participants}
    return RoundResults(
        round=round_,
        rows=rows,
        submitted=sum(1 for p in round_.participants if p.submitted_at),
        against_majority=against_the_majority(ratings),
        distances=distances(ratings),
        names=display_names(participants | auditors),
    )


def _month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def _moderation_kappa(first: date, last: date, scale: str) -> float | None:
    figures = compute_findings(
        Filters(date_from=first, date_to=last),
        compare_previous=False,
        include_answers=False,
        by_group=False,
    )
    kappas: list[dict[str, Any]] = figures["moderation"]["kappa"]
    found = next((k for k in kappas if k["scale"] == scale), None)
    return found["kappa"] if found else None


def over_time(rounds: list[CalibrationRound]) -> list[dict[str, Any]]:
    """One row per closed round, oldest first: its month, mean alpha and agreement over its
    items, and the moderation kappa (auditor against moderator) for audits completed in the
    same month on the same scale."""
    months: dict[tuple[date, str], float | None] = {}
    rows = []
    closed = [r for r in rounds if r.closed_at is not None]
    for round_ in sorted(closed, key=lambda r: (r.closed_at, r.id)):
        assert round_.closed_at is not None
        first, last = _month(to_uk(round_.closed_at).date())
        scale = round_.template_version.content["template"]["scale"]
        if (first, scale) not in months:
            months[first, scale] = _moderation_kappa(first, last, scale)
        results = round_results(round_)
        rows.append(
            {
                "round": round_,
                "month": first,
                "mean_alpha": results.mean_alpha,
                "mean_agreement": results.mean_agreement,
                "submitted": results.submitted,
                "kappa": months[first, scale],
            }
        )
    return rows
