"""Drawing a reproducible, team-stratified sample from a cycle's case list, and recording it."""

import math
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select

from qa_app.data import changelog
from qa_app.data.audits import create_audit
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditTemplate,
    Case,
    CycleCase,
    Sample,
    Team,
    TemplateVersion,
    User,
)
from qa_app.rules.uk_time import to_uk

MAX_SEED = 2_147_483_647  # fits a 32-bit integer column on every database
DEFAULT_EXCLUDE_MONTHS = 12
NO_TEAM = "No team"


class SamplingError(ValueError):
    """The draw was refused: nothing was written."""


@dataclass(frozen=True)
class FrameCase:
    """One case on a cycle's case list that has not been drawn yet."""

    case_id: int
    case_reference: str
    team: str  # the team's name (the stratum)
    last_audited: datetime | date | None = None  # when its latest audit was done (see audited_at)


def new_seed() -> int:
    """A random seed short enough to read out and type again."""
    return 100_000 + secrets.randbelow(900_000)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no such month {year}-{month}")  # pragma: no cover


def recently_audited(case: FrameCase, exclude_months: int, today: date) -> bool:
    """Whether the case had an audit done within `exclude_months` months before today."""
    if not exclude_months or case.last_audited is None:
        return False
    done = case.last_audited
    done = to_uk(done).date() if isinstance(done, datetime) else done
    return done >= months_before(today, exclude_months)


def team_quota(team_size: int, rule: dict[str, Any]) -> int:
    """How many cases to draw from a team with `team_size` cases on the list.
    {"count": n}: n (at most the team's cases); {"percent": p}: p% rounded half up, and at
    least 1 when p > 0 and the team has cases."""
    if team_size <= 0:
        return 0
    if "count" in rule:
        return max(0, min(int(rule["count"]), team_size))
    percent = Fraction(str(rule["percent"]))  # exact: 2.5 must round up, never to 2.4999
    if percent <= 0:
        return 0
    quota = math.floor(team_size * percent / 100 + Fraction(1, 2))
    return min(team_size, max(1, quota))


def split_frame(
    frame: list[FrameCase], rules: dict[str, Any], today: date
) -> tuple[list[FrameCase], list[FrameCase]]:
    """(eligible, left_out): cases that may be drawn and those left out as recently audited."""
    months = int(rules.get("exclude_months", DEFAULT_EXCLUDE_MONTHS) or 0)
    eligible: list[FrameCase] = []
    left_out: list[FrameCase] = []
    for case in frame:
        (left_out if recently_audited(case, months, today) else eligible).append(case)
    return eligible, left_out


def draw(frame: list[FrameCase], rules: dict[str, Any], seed: int, today: date) -> list[FrameCase]:
    """The chosen cases, sorted by case reference. Deterministic: the same frame, rules, seed
    and day always give the same cases. Each team's quota comes from its cases on the list
    (rules["per_team"]); recently audited cases are never drawn, so a team may get fewer."""
    rule = rules["per_team"]
    sizes: dict[str, int] = defaultdict(int)
    for case in frame:
        sizes[case.team] += 1
    quotas = {team: team_quota(size, rule) for team, size in sizes.items()}
    eligible, _ = split_frame(frame, rules, today)
    pool = sorted(eligible, key=lambda c: (c.case_reference, c.case_id))
    random.Random(seed).shuffle(pool)  # noqa: S311 - reproducible sampling, not secrecy
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for case in pool:
        if taken[case.team] < quotas[case.team]:
            taken[case.team] += 1
            chosen.append(case)
    return sorted(chosen, key=lambda c: (c.case_reference, c.case_id))


def per_team(cases: list[FrameCase]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        counts[case.team] += 1
    return dict(sorted(counts.items()))


# ---- the database side --------------------------------------------------------------------


def undrawn_filter(cycle_id: int) -> tuple[ColumnElement[bool], ...]:
    """CycleCase rows still in the sampling frame: not drawn and without an audit here."""
    audited_here = exists().where(Audit.cycle_id == cycle_id, Audit.case_id == CycleCase.case_id)
    return (CycleCase.cycle_id == cycle_id, CycleCase.sample_id.is_(None), ~audited_here)


def audited_at() -> ColumnElement[datetime]:
    """When an audit was done: submitted, else started, else created (an imported historic
    audit is created at import time but was submitted on its own date)."""
    return func.coalesce(Audit.submitted_at, Audit.started_at, Audit.created_at)


def load_frame(cycle: AuditCycle) -> list[FrameCase]:
    """The cycle's undrawn cases with when each case's latest audit (any cycle) was done."""
    latest = (
        select(Audit.case_id, func.max(audited_at()).label("last"))
        .group_by(Audit.case_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Case.id, Case.case_reference, Team.name, latest.c.last)
        .join(CycleCase, CycleCase.case_id == Case.id)
        .outerjoin(Team, Team.id == Case.team_id)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .where(*undrawn_filter(cycle.id))
        .order_by(Case.case_reference)
    )
    return [FrameCase(i, ref, team or NO_TEAM, last) for i, ref, team, last in rows]


def _locked_frame(cycle: AuditCycle, expected_undrawn: int | None) -> list[FrameCase]:
    """The cycle's undrawn cases, read again once the cycle is locked for this transaction, so
    that a draw posted twice (or two at once) cannot audit a case twice. With the number of
    undrawn cases the person was shown, a list that has changed since is refused."""
    db.session.execute(select(AuditCycle.id).where(AuditCycle.id == cycle.id).with_for_update())
    frame = load_frame(cycle)
    if expected_undrawn is not None and len(frame) != expected_undrawn:
        db.session.rollback()
        count = f"{len(frame)} case{'s are' if len(frame) != 1 else ' is'}"
        raise SamplingError(
            f"The case list has changed since the page was shown: {count} not yet drawn, "
            f"not {expected_undrawn}. Check the numbers and try again."
        )
    if not frame:
        db.session.rollback()
        raise SamplingError("There are no cases on the list left to draw from")
    return frame


def _record_sample(
    cycle: AuditCycle,
    *,
    seed: int,
    rules: dict[str, Any],
    chosen: list[FrameCase],
    template_version: TemplateVersion,
    actor: User | None,
) -> Sample:
    sample = Sample(
        cycle_id=cycle.id,
        seed=seed,
        rules=rules,
        drawn_by_id=getattr(actor, "id", None),
        drawn_count=len(chosen),
    )
    db.session.add(sample)
    db.session.flush()
    case_ids = [c.case_id for c in chosen]
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    links = {
        link.case_id: link
        for link in db.session.scalars(
            select(CycleCase).where(CycleCase.cycle_id == cycle.id, CycleCase.case_id.in_(case_ids))
        )
    }
    for frame_case in chosen:
        create_audit(
            case=cases[frame_case.case_id],
            template_version=template_version,
            cycle=cycle,
            actor=actor,
        )
        links[frame_case.case_id].sample_id = sample.id
    changelog.record(
        actor,
        "sample",
        sample.id,
        "drawn",
        {
            "cycle": cycle.id,
            "seed": seed,
            "rules": rules,
            "cases": [c.case_reference for c in chosen],
        },
    )
    return sample


def draw_sample(
    cycle: AuditCycle,
    *,
    rule: dict[str, Any],
    exclude_months: int,
    seed: int,
    template: AuditTemplate,
    actor: User | None,
    today: date,
    expected_undrawn: int | None = None,
) -> Sample:
    """Draw from the cycle's undrawn cases, create an audit for each case drawn, and record
    the sample (seed, rules and what came of them) and the change log; commits. Raises
    SamplingError when `expected_undrawn` is given and the frame no longer has that many."""
    frame = _locked_frame(cycle, expected_undrawn)
    version = template.versions[-1]
    rules = {
        "per_team": rule,
        "exclude_months": exclude_months,
        "template_key": template.key,
        "template_name": template.name,
        "template_version": version.number,
        "today": today.isoformat(),
    }
    chosen = draw(frame, rules, seed, today)
    _, left_out = split_frame(frame, rules, today)
    rules["outcome"] = {
        "on_list": per_team(frame),
        "left_out": per_team(left_out),
        "drawn": per_team(chosen),
    }
    sample = _record_sample(
        cycle, seed=seed, rules=rules, chosen=chosen, template_version=version, actor=actor
    )
    db.session.commit()
    return sample


def audit_every_case(
    cycle: AuditCycle,
    *,
    template: AuditTemplate,
    actor: User | None,
    today: date,
    expected_undrawn: int | None = None,
) -> Sample:
    """Audit every undrawn case on the list (no sampling); recorded as a sample of them all.
    Raises SamplingError as draw_sample does."""
    frame = _locked_frame(cycle, expected_undrawn)
    version = template.versions[-1]
    rules = {
        "all": True,
        "template_key": template.key,
        "template_name": template.name,
        "template_version": version.number,
        "today": today.isoformat(),
        "outcome": {"on_list": per_team(frame), "left_out": {}, "drawn": per_team(frame)},
    }
    sample = _record_sample(
        cycle, seed=0, rules=rules, chosen=frame, template_version=version, actor=actor
    )
    db.session.commit()
    return sample


def get_sample(sample_id: int) -> Sample | None:
    return db.session.get(Sample, sample_id)


def list_samples(cycle_id: int) -> list[Sample]:
    return list(
        db.session.scalars(select(Sample).where(Sample.cycle_id == cycle_id).order_by(Sample.id))
    )


def drawn_references(sample: Sample) -> list[tuple[str, str]]:
    """(case reference, team name) of the cases a sample drew."""
    rows = db.session.execute(
        select(Case.case_reference, Team.name)
        .join(CycleCase, CycleCase.case_id == Case.id)
        .outerjoin(Team, Team.id == Case.team_id)
        .where(CycleCase.sample_id == sample.id)
        .order_by(Case.case_reference)
    )
    return [(ref, team or NO_TEAM) for ref, team in rows]


def undrawn_count(cycle_id: int) -> int:
    return db.session.execute(
        select(func.count(CycleCase.id)).where(*undrawn_filter(cycle_id))
    ).scalar_one()
