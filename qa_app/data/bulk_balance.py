"""Sharing audits among auditors, as pure arithmetic: who may take each audit (never an
auditor in the case's team), fewest open audits first, never above a capacity, and no audit
left where moving it would even the loads out. No database here: bulk_assignment feeds it.

The promise, for every input (tests/data/test_bulk_balance.py checks it with hypothesis):
- no audit goes to an auditor in the case's team;
- an audit given to X that Y may also take leaves X with at most one more open audit than Y;
- with a capacity, nobody is given an audit that takes them above it, and an audit left over
  for lack of room has every auditor who may take it at the capacity;
- an audit left over because every chosen auditor is in its team is reported as such."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

OWN_TEAM = "own_team"
FULL = "full"


@dataclass
class Balanced:
    placed: dict[Hashable, int] = field(default_factory=dict)  # item key -> auditor id
    unplaced: dict[Hashable, str] = field(default_factory=dict)  # item key -> OWN_TEAM | FULL
    loads: dict[int, int] = field(default_factory=dict)  # auditor id -> open audits after


def balance(
    items: Sequence[tuple[Hashable, int | None]],
    auditors: Sequence[tuple[int, frozenset[int]]],
    loads: dict[int, int],
    capacity: int | None = None,
) -> Balanced:
    """Place `items` ((key, the case's team id)) among `auditors` ((id, their team ids), in the
    order that breaks ties), starting from `loads` (open audits each has already)."""
    rank = {auditor_id: i for i, (auditor_id, _) in enumerate(auditors)}
    load = {auditor_id: loads.get(auditor_id, 0) for auditor_id, _ in auditors}
    allowed = {
        key: [a for a, teams in auditors if team is None or team not in teams]
        for key, team in items
    }
    result = Balanced(loads=load)
    # the audits fewest auditors may take go first: the flexible ones then fill the gaps
    order = sorted(range(len(items)), key=lambda i: (len(allowed[items[i][0]]), i))
    waiting = [items[i][0] for i in order]
    while True:
        still = []
        for key in waiting:
            room = [a for a in allowed[key] if capacity is None or load[a] < capacity]
            if not room:
                still.append(key)
                continue
            best = min(room, key=lambda a: (load[a], rank[a]))
            result.placed[key] = best
            load[best] += 1
        moved = _even_out(result.placed, allowed, load, rank)
        waiting = still
        if not (moved and waiting):  # evening out can make room under the capacity: try again
            break
    result.unplaced = {key: OWN_TEAM if not allowed[key] else FULL for key in waiting}
    return result


def _even_out(
    placed: dict[Hashable, int],
    allowed: dict[Hashable, list[int]],
    load: dict[int, int],
    rank: dict[int, int],
) -> bool:
    """Move audits from the busier to the less busy auditor who may take them, until no move
    would make the loads more even. Each move lowers the sum of squared loads, so it ends."""
    any_moved = False
    moved = True
    while moved:
        moved = False
        for key, holder in list(placed.items()):
            target = min(allowed[key], key=lambda a: (load[a], rank[a]))
            if load[holder] > load[target] + 1:
                placed[key] = target
                load[holder] -= 1
                load[target] += 1
                moved = any_moved = True
    return any_moved
