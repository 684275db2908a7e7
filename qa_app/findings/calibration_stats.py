"""Agreement between auditors who graded the same records blind (calibration rounds), pure:
no database, no Flask. Each item (a graded section, or a counted question) holds, per case,
each auditor's answer as a category index on the item's scale (best first for grades).

- percentage agreement: the share of pairs of auditors, within a case, who gave the same answer;
- Krippendorff's alpha (the `krippendorff` package), ordinal for grades and nominal for answers,
  over every case of the round, with a 95% bootstrap interval: the pairs of answers are
  resampled 1,000 times (seeded, so the figures do not move between page loads) with the
  expected disagreement held fixed, as Hayes and Krippendorff (2007) describe;
- Gwet's AC1 (Gwet 2008): (pa - pe) / (1 - pe), pa the mean share of agreeing pairs per case,
  pe = sum over categories of pi_k (1 - pi_k) / (Q - 1), pi_k the mean share of answers in k;
- outliers: an answer 2 or more scale steps from the agreed grade (or, before the meeting, from
  the most common one), and auditors who differ from the majority on most items;
- each auditor's distance from the agreed grades, in scale steps."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import krippendorff
import numpy as np

RESAMPLES = 1_000
SEED = 2026
AGREED_SHARE = 0.8  # an item is "agreed" when at least 80% of pairs of auditors agree
FAR_STEPS = 2  # an answer this many scale steps from the reference is an outlier

Unit = Mapping[int, int]  # auditor id -> category index


@dataclass(frozen=True)
class ItemRatings:
    """One item of a round: its answers per case, and the grades agreed at the meeting."""

    key: str
    label: str
    ordinal: bool  # grades on a scale (ordinal); answers to questions (nominal)
    categories: tuple[str, ...]  # the labels, in scale order
    units: Mapping[int, Unit]  # case id -> that case's answers
    agreed: Mapping[int, int] = field(default_factory=dict)  # case id -> agreed category


@dataclass(frozen=True)
class Estimate:
    value: float | None
    reason: str = ""  # why it is None, in words a QA lead would sign


@dataclass(frozen=True)
class Outlier:
    auditor_id: int
    case_id: int
    item_key: str
    answer: int
    reference: int  # the agreed (or most common) category it is far from


@dataclass(frozen=True)
class ItemResult:
    item: ItemRatings
    distribution: tuple[int, ...]  # answers per category, every case together
    agreement: float | None
    alpha: Estimate
    interval: tuple[float, float] | None
    ac1: Estimate
    outliers: tuple[Outlier, ...]

    @property
    def agreed(self) -> bool:
        return self.agreement is not None and self.agreement >= AGREED_SHARE


NOT_ENOUGH = "Fewer than two auditors answered the same case, so there is nothing to compare"
ALL_SAME = "Everyone gave the same answer: agreement is complete, alpha is not defined"


def _values(units: Sequence[Sequence[int]]) -> list[Sequence[int]]:
    return [u for u in units if len(u) >= 2]


def percentage_agreement(units: Sequence[Sequence[int]]) -> float | None:
    """The share of pairs of answers to the same case that agree; None with no pairs."""
    pairs = agreeing = 0
    for unit in _values(units):
        for a, b in combinations(unit, 2):
            pairs += 1
            agreeing += a == b
    return agreeing / pairs if pairs else None


def _delta(counts: np.ndarray, ordinal: bool) -> np.ndarray:
    """Krippendorff's squared difference between categories: nominal 0/1; ordinal from the
    marginal counts of the categories between the two."""
    q = len(counts)
    delta = np.zeros((q, q))
    for c in range(q):
        for k in range(q):
            if c == k:
                continue
            if ordinal:
                lo, hi = min(c, k), max(c, k)
                delta[c, k] = (counts[lo : hi + 1].sum() - (counts[c] + counts[k]) / 2) ** 2
            else:
                delta[c, k] = 1.0
    return delta


def _undefined(units: Sequence[Sequence[int]]) -> str:
    pairable = _values(units)
    if not pairable:
        return NOT_ENOUGH
    if len({v for u in pairable for v in u}) < 2:
        return ALL_SAME
    return ""


def krippendorff_alpha(units: Sequence[Sequence[int]], q: int, ordinal: bool) -> Estimate:
    """Alpha over the cases (units) by the `krippendorff` package; None with the reason when
    it is undefined."""
    reason = _undefined(units)
    if reason:
        return Estimate(None, reason)
    raters = max(len(u) for u in units)
    matrix = np.full((raters, len(units)), np.nan)
    for j, unit in enumerate(units):
        for i, value in enumerate(unit):
            matrix[i, j] = value
    alpha = krippendorff.alpha(
        reliability_data=matrix,
        value_domain=list(range(q)),
        level_of_measurement="ordinal" if ordinal else "nominal",
    )
    return Estimate(float(alpha))


def _pairs(
    units: Sequence[Sequence[int]], q: int, ordinal: bool
) -> tuple[np.ndarray, np.ndarray, float]:
    """Each unordered pair of answers to one case: its weight 2 / (m - 1) and its difference;
    and the expected disagreement De. Then Do = sum(w * d) / sum(w), alpha = 1 - Do / De."""
    pairable = _values(units)
    counts = np.bincount([v for u in pairable for v in u], minlength=q).astype(float)
    delta = _delta(counts, ordinal)
    n = counts.sum()
    weights, diffs = [], []
    for unit in pairable:
        for a, b in combinations(unit, 2):
            weights.append(2 / (len(unit) - 1))
            diffs.append(delta[a, b])
    expected = float(counts @ delta @ counts) / (n * (n - 1))
    return np.array(weights), np.array(diffs), expected


def alpha_from_pairs(units: Sequence[Sequence[int]], q: int, ordinal: bool) -> float | None:
    """Alpha computed here from the pairs (the bootstrap's starting point); the tests check it
    equals the package's figure."""
    if _undefined(units):
        return None
    weights, diffs, expected = _pairs(units, q, ordinal)
    return 1 - float(weights @ diffs / weights.sum()) / expected


def alpha_interval(
    units: Sequence[Sequence[int]],
    q: int,
    ordinal: bool,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[float, float] | None:
    """A 95% percentile interval for alpha from `resamples` bootstrap draws of the pairs of
    answers (bounded, seeded); None where alpha is undefined."""
    if _undefined(units):
        return None
    weights, diffs, expected = _pairs(units, q, ordinal)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(weights), size=(resamples, len(weights)))
    w = weights[draws]
    observed = (w * diffs[draws]).sum(axis=1) / w.sum(axis=1)
    alphas = np.minimum(1.0, 1 - observed / expected)
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def gwet_ac1(units: Sequence[Sequence[int]], q: int) -> Estimate:
    """Gwet's AC1 for any number of raters with missing answers (Gwet 2008, Handbook of
    Inter-Rater Reliability): q is the number of categories on the item's scale."""
    rated = [u for u in units if u]
    pairable = _values(units)
    if not pairable or q < 2:
        return Estimate(None, NOT_ENOUGH)
    pa = 0.0
    for unit in pairable:
        m = len(unit)
        pa += sum(r * (r - 1) for r in Counter(unit).values()) / (m * (m - 1))
    pa /= len(pairable)
    pi = np.zeros(q)
    for unit in rated:
        for category, r in Counter(unit).items():
            pi[category] += r / len(unit)
    pi /= len(rated)
    pe = float((pi * (1 - pi)).sum()) / (q - 1)
    return Estimate((pa - pe) / (1 - pe))


def _reference(item: ItemRatings, case_id: int, unit: Unit) -> int | None:
    """The agreed answer for the case, else the single most common one (None on a tie)."""
    if case_id in item.agreed:
        return item.agreed[case_id]
    common = Counter(unit.values()).most_common(2)
    if not common or (len(common) == 2 and common[0][1] == common[1][1]):
        return None
    return common[0][0]


def far_answers(item: ItemRatings) -> tuple[Outlier, ...]:
    """Answers 2 or more steps from the reference, on grades (ordinal items) only."""
    if not item.ordinal:
        return ()
    found = []
    for case_id, unit in sorted(item.units.items()):
        reference = _reference(item, case_id, unit)
        if reference is None or len(unit) < 2:
            continue
        for auditor_id, answer in sorted(unit.items()):
            if abs(answer - reference) >= FAR_STEPS:
                found.append(Outlier(auditor_id, case_id, item.key, answer, reference))
    return tuple(found)


def item_result(item: ItemRatings) -> ItemResult:
    units = [list(unit.values()) for _, unit in sorted(item.units.items())]
    q = len(item.categories)
    distribution = np.bincount([v for u in units for v in u], minlength=q)
    return ItemResult(
        item=item,
        distribution=tuple(int(n) for n in distribution[:q]),
        agreement=percentage_agreement(units),
        alpha=krippendorff_alpha(units, q, item.ordinal),
        interval=alpha_interval(units, q, item.ordinal),
        ac1=gwet_ac1(units, q),
        outliers=far_answers(item),
    )


def against_the_majority(items: Sequence[ItemRatings]) -> dict[int, tuple[int, int]]:
    """Auditors who differ from a strict majority of the others on most of the answers where a
    majority exists: {auditor id: (times differing, times compared)}."""
    differ: Counter[int] = Counter()
    compared: Counter[int] = Counter()
    for item in items:
        for unit in item.units.values():
            if len(unit) < 3:
                continue
            value, count = Counter(unit.values()).most_common(1)[0]
            if count * 2 <= len(unit):
                continue
            for auditor_id, answer in unit.items():
                compared[auditor_id] += 1
                differ[auditor_id] += answer != value
    return {a: (differ[a], n) for a, n in compared.items() if differ[a] * 2 > n}


@dataclass(frozen=True)
class Distance:
    auditor_id: int
    mean_steps: float | None  # mean scale steps from the agreed grades (graded items)
    grades_compared: int
    matching: int  # answers equal to the agreed answer, every item
    compared: int


def distances(items: Sequence[ItemRatings]) -> list[Distance]:
    """Each auditor's distance from the grades and answers agreed at the meeting."""
    steps: dict[int, list[int]] = {}
    matching: Counter[int] = Counter()
    compared: Counter[int] = Counter()
    for item in items:
        for case_id, agreed in item.agreed.items():
            for auditor_id, answer in item.units.get(case_id, {}).items():
                compared[auditor_id] += 1
                matching[auditor_id] += answer == agreed
                if item.ordinal:
                    steps.setdefault(auditor_id, []).append(abs(answer - agreed))
    return [
        Distance(
            auditor_id,
            sum(steps[auditor_id]) / len(steps[auditor_id]) if steps.get(auditor_id) else None,
            len(steps.get(auditor_id, [])),
            matching[auditor_id],
            compared[auditor_id],
        )
        for auditor_id in sorted(compared)
    ]
