"""Per-audit draws of the fast benchmark generator (benchmarks/generate.py), a chunk of audits
at a time with numpy: month (audits spread evenly over the months, oldest first), template
(weighted as qa_app.demo.synthetic weights them), team, an auditor from another team, day and
time, status (in progress, submitted, moderated; the latest month still filling up), and the
quality level, skewed as the template's scale is and biased by the team and by a trend
(practice improves over the period). Then one pooled entry per audit (history_pool) and its
rows: case, cycle case, audit, moderation, actions and concerns (the last three drawn by the
demo's own qa_app.demo.synthetic_answers.Extras)."""

import random
from collections import namedtuple
from datetime import UTC, date, datetime, timedelta

import numpy as np

from benchmarks.history_pool import Pool
from qa_app.demo.synthetic import LEGAL_STATUS, TEMPLATE_WEIGHTS
from qa_app.demo.synthetic_answers import Extras, at

Cycle = namedtuple("Cycle", "id period_start period_end due_date")
AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")


class Draws:
    """Everything the audits of one run draw from; `chunk()` fills the rows of a chunk."""

    def __init__(self, seed, specs, teams, auditors, moderators, cycles, end, total, pool_size):
        self.np = np.random.default_rng(seed)
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
        # plain values: the rows are drawn in another thread than the session's
        self.cycles = [Cycle(c.id, c.period_start, c.period_end, c.due_date) for c in cycles]
        self.specs, self.end, self.total = specs, end, total
        weights = np.array([TEMPLATE_WEIGHTS.get(s.key, 15) for s in specs], dtype=float)
        self.template_p = weights / weights.sum()
        self.teams = [t.id for t in teams]
        self.team_bias = self.np.uniform(-0.6, 0.6, len(teams))
        self.eligible = [
            np.array([a.id for a in auditors if t.id not in {x.id for x in a.teams}]) for t in teams
        ]
        self.now = datetime.now(UTC)
        self.extras = Extras(self.rng, self.now, end, [m.id for m in moderators])
        # the pool's date answers fall in the last whole month (never after today)
        self.pool = Pool(
            self.rng, specs, pool_size, self.cycles[max(0, len(cycles) - 2)].period_start
        )

    def _quality(self, spec_index: np.ndarray, bias: np.ndarray) -> np.ndarray:
        """The level each audit's quality takes (0 the best), as draw_grades draws it."""
        out = np.zeros(len(bias), dtype=int)
        for s, spec in enumerate(self.specs):
            mask = spec_index == s
            if not mask.any():
                continue
            last = len(spec.levels) - 1
            steps = np.arange(last + 1)
            weights = np.array(spec.skew, dtype=float)[None, :] * np.exp(
                -bias[mask, None] * steps[None, :] / max(1, last)
            )
            cumulative = np.cumsum(weights, axis=1)
            u = self.np.random(mask.sum()) * cumulative[:, -1]
            out[mask] = (u[:, None] >= cumulative).sum(axis=1)
        return out

    def chunk(self, start: int, size: int, first_number: int, case_id: int, audit_id: int, out):
        """Rows of audits start..start+size-1 into `out` (one list per table, the hot tables
        as blocks); case and audit ids from case_id and audit_id up."""
        months, g = len(self.cycles), self.np
        index = np.arange(start, start + size)
        month = index * months // max(1, self.total)
        spec = g.choice(len(self.specs), size, p=self.template_p)
        team = g.integers(0, len(self.teams), size)
        pick = g.random(size)
        latest = month == months - 1
        in_progress = g.random(size) < np.where(latest, 0.25, 0.01)
        requested = ~in_progress & (g.random(size) < 0.03)
        moderated = ~in_progress & ((g.random(size) < 0.09) | (requested & ~latest))
        trend = 0.8 * month / max(1, months - 1) - 0.3
        quality = self._quality(spec, trend + self.team_bias[team])
        day_u, hour = g.random(size), g.integers(9, 17, size)
        minute, back = g.integers(0, 60, size), g.integers(1, 121, size)
        entry_u, age = g.random(size), g.integers(0, len(AGE_BANDS), size)
        opened_back = g.integers(30, 901, size)
        for k in range(size):
            cycle = self.cycles[month[k]]
            first, last = cycle.period_start, min(cycle.period_end, self.end)
            day = first + timedelta(days=int(day_u[k] * ((last - first).days + 1)))
            s = int(spec[k])
            specification = self.specs[s]
            eligible = self.eligible[team[k]]
            auditor = int(eligible[int(pick[k] * len(eligible))])
            opened = min(at(first, 8, 0), self.now)
            done_at = min(at(day, int(hour[k]), int(minute[k])), self.now)
            started_at = min(max(opened, done_at - timedelta(hours=int(back[k]))), done_at)
            complete = not in_progress[k]
            status = "moderated" if moderated[k] else ("submitted" if complete else "in_progress")
            out.statuses[f"audits_{status}"] += 1
            entries = self.pool.complete[s, int(quality[k])] if complete else self.pool.partial[s]
            entry = entries[int(entry_u[k] * len(entries))]
            aid, cid = audit_id + k, case_id + k
            out.add_entry(entry, aid)
            overall = entry.overall
            out.rows["cases"].append(
                {
                    "id": cid,
                    "case_reference": str(first_number + k),
                    "team_id": self.teams[team[k]],
                    "worker": None,
                    "facts": {
                        "legal_status": LEGAL_STATUS.get(specification.key, "Open case"),
                        "age_band": AGE_BANDS[age[k]],
                        "date_opened": (day - timedelta(days=int(opened_back[k]))).isoformat(),
                    },
                    "created_at": opened,
                    "updated_at": opened,
                }
            )
            out.rows["cycle_cases"].append(
                {"cycle_id": cycle.id, "case_id": cid, "sample_id": None, "added_at": opened}
            )
            sections = len(specification.sections)
            out.rows["audits"].append(
                {
                    "id": aid,
                    "cycle_id": cycle.id,
                    "case_id": cid,
                    "template_version_id": specification.version_id,
                    "auditor_id": auditor,
                    "status": status,
                    "due_date": cycle.due_date,
                    "started_at": started_at,
                    "submitted_at": done_at if complete else None,
                    "overall_grade": specification.levels[overall]
                    if complete and specification.overall_graded
                    else None,
                    "overall_rationale": "Synthetic rationale: in line with the section grades."
                    if complete
                    else "",
                    "evidence": "Synthetic evidence text." if complete else "",
                    "practitioner_comments": "Synthetic comment: discussed with the worker."
                    if complete
                    else "",
                    "moderation_requested": bool(requested[k]),
                    "own_team_override": False,
                    "lock_version": (entry.upto or sections + 3) + 1,
                    "created_at": opened,
                    "updated_at": done_at,
                }
            )
            if not complete:
                continue
            r = overall / max(1, len(specification.levels) - 1)
            if status == "moderated" or (latest[k] and (requested[k] or self.rng.random() < 0.1)):
                self.extras.moderation(
                    aid,
                    specification,
                    status,
                    bool(requested[k]),
                    overall,
                    entry.grades,
                    done_at,
                    out.rows,
                )
            self.extras.actions(aid, day, done_at, r, out.rows)
            if self.rng.random() < 0.015 + 0.03 * r:
                self.extras.concern(aid, auditor, started_at, done_at, out.rows)


def month_starts(end: date, months: int) -> list[date]:
    """The first days of the `months` months ending with end's, oldest first."""
    out, year, month = [], end.year, end.month
    for _ in range(months):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


__all__ = ["Draws", "month_starts"]
