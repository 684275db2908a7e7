"""The sampling draw as a pure function: reproducible, stratified by team, and leaving out
recently audited cases."""

import random
from datetime import UTC, date, datetime

import pytest

from qa_app.data.sampling import FrameCase, draw, months_before, per_team, team_quota

TODAY = date(2026, 6, 15)


def frame(sizes: dict[str, int], audited: dict[str, date] | None = None) -> list[FrameCase]:
    out, n = [], 0
    for team, size in sizes.items():
        for _ in range(size):
            n += 1
            reference = f"{1000000 + n}"
            out.append(FrameCase(n, reference, team, (audited or {}).get(reference)))
    return out


def refs(cases) -> list[str]:
    return [c.case_reference for c in cases]


def test_same_seed_same_cases_whatever_the_frame_order():
    cases = frame({"MASH": 30, "Safeguarding North": 25, "Children in Care": 12})
    rules = {"per_team": {"count": 4}, "exclude_months": 12}
    first = draw(cases, rules, 424242, TODAY)
    shuffled = list(cases)
    random.Random(1).shuffle(shuffled)
    assert refs(draw(shuffled, rules, 424242, TODAY)) == refs(first)
    assert refs(draw(list(reversed(cases)), rules, 424242, TODAY)) == refs(first)
    assert refs(first) == sorted(refs(first))


def test_different_seeds_usually_give_different_cases():
    cases = frame({"MASH": 40, "Safeguarding North": 40})
    rules = {"per_team": {"count": 5}, "exclude_months": 0}
    draws = {tuple(refs(draw(cases, rules, seed, TODAY))) for seed in range(20)}
    assert len(draws) >= 19


def test_a_number_per_team():
    cases = frame({"MASH": 10, "Safeguarding North": 3, "Children in Care": 6})
    chosen = draw(cases, {"per_team": {"count": 5}, "exclude_months": 0}, 7, TODAY)
    assert per_team(chosen) == {"Children in Care": 5, "MASH": 5, "Safeguarding North": 3}


def test_a_percentage_per_team_rounds_half_up_and_takes_at_least_one():
    cases = frame({"A": 15, "B": 25, "C": 3, "D": 40, "E": 5})
    chosen = draw(cases, {"per_team": {"percent": 10}, "exclude_months": 0}, 99, TODAY)
    # 1.5 -> 2, 2.5 -> 3, 0.3 -> 1 (at least one), 4.0 -> 4, 0.5 -> 1
    assert per_team(chosen) == {"A": 2, "B": 3, "C": 1, "D": 4, "E": 1}


@pytest.mark.parametrize(
    "size, rule, quota",
    [
        (0, {"percent": 50}, 0),
        (7, {"percent": 0}, 0),
        (7, {"percent": 100}, 7),
        (1, {"percent": 1}, 1),
        (10, {"percent": 25}, 3),  # 2.5 rounds up
        (10, {"percent": 24}, 2),
        (4, {"count": 10}, 4),
        (4, {"count": 0}, 0),
    ],
)
def test_team_quota(size, rule, quota):
    assert team_quota(size, rule) == quota


def test_recently_audited_cases_are_left_out():
    recent = {
        "1000001": datetime(2026, 1, 10, 9, 0, tzinfo=UTC),  # five months ago
        "1000002": datetime(2025, 6, 15, 9, 0, tzinfo=UTC),  # exactly twelve months ago
        "1000003": datetime(2025, 6, 14, 9, 0, tzinfo=UTC),  # just over twelve months ago
    }
    cases = frame({"MASH": 3}, recent)
    chosen = draw(cases, {"per_team": {"count": 3}, "exclude_months": 12}, 5, TODAY)
    assert refs(chosen) == ["1000003"]
    chosen = draw(cases, {"per_team": {"count": 3}, "exclude_months": 6}, 5, TODAY)
    assert refs(chosen) == ["1000002", "1000003"]
    chosen = draw(cases, {"per_team": {"count": 3}, "exclude_months": 0}, 5, TODAY)
    assert refs(chosen) == ["1000001", "1000002", "1000003"]


def test_the_quota_comes_from_the_whole_list_but_only_eligible_cases_are_drawn():
    recent = {f"{1000000 + n}": date(2026, 5, 1) for n in range(1, 9)}
    cases = frame({"MASH": 10}, recent)  # 8 of 10 audited last month
    chosen = draw(cases, {"per_team": {"percent": 50}, "exclude_months": 12}, 3, TODAY)
    assert refs(chosen) == ["1000009", "1000010"]


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 6, 15), 12, date(2025, 6, 15)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 10), 1, date(2025, 12, 10)),
        (date(2026, 1, 10), 25, date(2023, 12, 10)),
        (date(2026, 1, 10), 0, date(2026, 1, 10)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_fractional_percentages_round_exactly():
    assert team_quota(50, {"percent": 12.5}) == 6  # 6.25
    assert team_quota(20, {"percent": 12.5}) == 3  # 2.5 rounds up
    assert team_quota(3, {"percent": 50}) == 2  # 1.5 rounds up
