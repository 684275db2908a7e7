"""Agreement between auditor and moderator: percentage agreement and Cohen's kappa with linear
weights, so that on an ordinal scale 'good' against 'requires improvement' counts as a
near miss and 'outstanding' against 'inadequate' as a full disagreement.

    kappa_w = 1 - sum(w_ij * o_ij) / sum(w_ij * e_ij),   w_ij = |i - j| / (k - 1)

where o is the table of observed pairs, e the table expected by chance from the two readers'
marginal totals, and k the number of levels on the scale."""

from collections.abc import Iterable, Sequence


def weighted_kappa(pairs: Iterable[tuple[str, str, int]], levels: Sequence[str]) -> float | None:
    """Linear-weighted kappa for (auditor grade, moderator grade, count) on a scale whose
    levels are listed in order. None when it is undefined (no pairs, or both readers gave
    every case the same single grade, so chance agreement is already complete)."""
    k = len(levels)
    index = {level: i for i, level in enumerate(levels)}
    observed = [[0.0] * k for _ in range(k)]
    total = 0
    for a, b, n in pairs:
        if a in index and b in index:
            observed[index[a]][index[b]] += n
            total += n
    if total == 0 or k < 2:
        return None
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    disagreement_observed = 0.0
    disagreement_expected = 0.0
    for i in range(k):
        for j in range(k):
            w = abs(i - j) / (k - 1)
            disagreement_observed += w * observed[i][j]
            disagreement_expected += w * rows[i] * cols[j] / total
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


def describe_kappa(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa value."""
    if kappa is None:
        return "not enough variation to measure"
    if kappa < 0:
        return "poor"
    for limit, words in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= limit:
            return words
    return "almost perfect"
