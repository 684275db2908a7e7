"""Weighted kappa against a worked example."""

import pytest

from qa_app.findings.agreement import describe_kappa, weighted_kappa

LEVELS = ["good", "adequate", "inadequate"]


def test_weighted_kappa_matches_the_worked_example():
    # 10 judgements. Auditor (rows) by moderator (columns):
    #              good  adequate  inadequate
    # good           4       1         0        row total 5
    # adequate       0       3         1        row total 4
    # inadequate     0       0         1        row total 1
    # column totals  4       4         2
    # Linear weights |i - j| / 2. Observed disagreement: 0.5 * 1 + 0.5 * 1 = 1.0.
    # Expected e_ij = row_i * col_j / 10; disagreement
    #   0.5 * (2.0 + 1.6 + 0.8 + 0.4) + 1.0 * (1.0 + 0.4) = 3.8.
    # kappa = 1 - 1.0 / 3.8 = 0.7368...
    pairs = [
        ("good", "good", 4),
        ("adequate", "adequate", 3),
        ("inadequate", "inadequate", 1),
        ("good", "adequate", 1),
        ("adequate", "inadequate", 1),
    ]
    assert weighted_kappa(pairs, LEVELS) == pytest.approx(1 - 1 / 3.8)
    assert describe_kappa(weighted_kappa(pairs, LEVELS)) == "substantial"


def test_perfect_and_opposite_agreement():
    assert weighted_kappa([("good", "good", 3), ("inadequate", "inadequate", 2)], LEVELS) == 1.0
    opposite = [("good", "inadequate", 5), ("inadequate", "good", 5)]
    assert weighted_kappa(opposite, LEVELS) == pytest.approx(-1.0)
    assert describe_kappa(-1.0) == "poor"


def test_undefined_kappa_is_none_not_a_division_error():
    assert weighted_kappa([], LEVELS) is None
    # both readers always say "good": chance agreement is already complete
    assert weighted_kappa([("good", "good", 4)], LEVELS) is None
    assert describe_kappa(None) == "not enough variation to measure"
    # grades that are not on the scale are left out
    assert weighted_kappa([("excellent", "good", 4)], LEVELS) is None
