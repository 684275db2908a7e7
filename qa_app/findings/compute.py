"""Shape the grouped counts from `queries` into the figures: one JSON-ready dictionary that the
dashboards, the reports, the CLI and the API all read, and that a published report keeps as
its frozen snapshot. Counts are stored, never percentages: those are worked out where they
are shown, so a board-tier copy with small counts hidden (`suppression`) hides them too."""

from datetime import date, datetime
from typing import Any

import pandas as pd

from qa_app.data.users import display_names
from qa_app.findings import queries
from qa_app.findings.agreement import describe_kappa, weighted_kappa
from qa_app.findings.catalogue import Catalogue, ScaleInfo, TemplateInfo
from qa_app.findings.filters import Filters
from qa_app.findings.summaries import answer_summaries, months_between
from qa_app.findings.themes import theme_figures, theme_rows
from qa_app.models import AuditStatus, utcnow

SCHEMA = 1
STATUSES = [s.value for s in AuditStatus]


def compute_findings(
    f: Filters,
    *,
    now: datetime | None = None,
    compare_previous: bool = True,
    include_answers: bool = True,
    by_group: bool = True,
) -> dict[str, Any]:
    """The figures for the audits `f` covers. Pages that show no per-question figures pass
    include_answers=False and skip the costliest query (every answer of every audit);
    by_group=False leaves the team and locality breakdowns empty (the month-by-month figures
    of a suppressed tier never show them: qa_app.findings.disclosure)."""
    now = now or utcnow()
    catalogue = Catalogue(queries.versions_in_scope(f))
    audits = _with_template(queries.audit_groups(f), catalogue)
    completed = audits[audits["status"].isin(queries.COMPLETED)]
    completed = _mark_grades(completed, catalogue)
    sections = _with_template(queries.section_groups(f), catalogue)
    themes = _with_template(queries.theme_groups(f), catalogue)
    keys = catalogue.counted_question_keys() if include_answers else {}
    answers = _with_template(queries.answer_groups(f, keys), catalogue)
    answers["group_key"] = [
        catalogue.group_of(t, k)
        for t, k in zip(answers["template_id"], answers["question_key"], strict=True)
    ]
    teams = queries.team_names()
    figures: dict[str, Any] = {
        "schema": SCHEMA,
        "filters": f.to_args(),
        "period": {
            "from": f.date_from.isoformat() if f.date_from else None,
            "to": f.date_to.isoformat() if f.date_to else None,
        },
        "generated_at": now.isoformat(timespec="seconds"),
        "totals": _totals(audits),
        "templates": [
            _template_figures(t, audits, completed, sections, answers, catalogue)
            for t in catalogue.ordered_entries()
        ],
        "by_scale": _by_scale(completed, catalogue),
    }
    scales = [s["scale"] for s in figures["by_scale"]]
    figures["by_team"] = _breakdown(completed, teams, "team", scales) if by_group else []
    figures["by_locality"] = _breakdown(completed, teams, "locality", scales) if by_group else []
    figures["by_month"] = _by_month(completed, f, scales)
    merged = _with_teams(themes, teams) if not themes.empty else themes
    figures.update(theme_figures(themes, catalogue, merged, by_group=by_group))
    figures["moderation"] = _moderation(f, catalogue)
    figures["actions"] = _states(
        queries.action_groups(f, now.date()), ["open", "overdue", "completed"]
    )
    figures["concerns"] = _states(
        queries.concern_groups(f, now), ["open", "overdue", "responded", "signed_off"]
    )
    previous = f.previous() if compare_previous else None
    figures["previous"] = _previous(previous) if previous else None
    return figures


def _with_template(frame: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """`frame` with each row's template and the scale its version grades on."""
    frame = frame.copy()
    frame["template_id"] = frame["template_version_id"].map(catalogue.template_of)
    frame["scale"] = frame["template_version_id"].map(catalogue.version_scale)
    return frame


def _mark_grades(completed: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Whether each overall grade is good or better, or the worst level, on its own scale."""
    completed = completed.copy()
    scales = {key: catalogue.scale(key) for key in catalogue.scales}
    gob = {key: set(s.good_or_better) for key, s in scales.items()}
    worst = {key: s.level_keys[-1] for key, s in scales.items()}
    pairs = list(zip(completed["scale"], completed["overall_grade"], strict=True))
    completed["gob"] = [g in gob.get(s, ()) for s, g in pairs]
    completed["worst"] = [g == worst.get(s) for s, g in pairs]
    return completed


def _int(value: Any) -> int:  # a pandas cell: a number, NaN or None
    return int(value) if pd.notna(value) else 0


def _totals(audits: pd.DataFrame) -> dict[str, Any]:
    by_status = audits.groupby("status")["n"].sum()
    out = {s: _int(by_status.get(s)) for s in STATUSES}
    out["completed"] = out["submitted"] + out["moderated"]
    out["audits"] = _int(by_status.sum())
    return out


def _distribution(rows: pd.DataFrame, column: str, t: TemplateInfo | ScaleInfo) -> dict[str, Any]:
    counts = rows.groupby(column)["n"].sum()
    return {
        "counts": {k: _int(counts.get(k)) for k in t.level_keys},
        "n": sum(_int(counts.get(k)) for k in t.level_keys),
        "good_or_better": sum(_int(counts.get(k)) for k in t.good_or_better),
    }


def _of(frame: pd.DataFrame, t: TemplateInfo) -> pd.DataFrame:
    """The rows of the versions of one template entry (one template on one scale)."""
    return frame[frame["template_version_id"].isin(t.version_ids)]


def _template_figures(
    t: TemplateInfo,
    audits: pd.DataFrame,
    completed: pd.DataFrame,
    sections: pd.DataFrame,
    answers: pd.DataFrame,
    catalogue: Catalogue,
) -> dict[str, Any]:
    """One template on one scale. Where the template has audits on two scales in scope, its
    name says which ("… (Good / adequate / inadequate scale)"), so no reader adds them up."""
    mine = _of(audits, t)
    done = _of(completed, t)
    status = mine.groupby("status")["n"].sum()
    my_sections = _of(sections, t)
    questions, repeats = answer_summaries(t, _of(answers, t))
    several = sum(1 for e in catalogue.entries if e.id == t.id) > 1
    return {
        "key": t.key,
        "name": f"{t.name} ({t.scale_name} scale)" if several else t.name,
        "noun": t.noun,
        "by_status": {s: _int(status.get(s)) for s in STATUSES},
        "completed": _int(done["n"].sum()),
        "scale": {
            "key": t.scale_key,
            "name": t.scale_name,
            "levels": t.levels,
            "good_or_better": t.good_or_better,
        },
        "overall": _distribution(done, "overall_grade", t),
        "sections": [
            {"key": key, "title": title}
            | _distribution(my_sections[my_sections["section_key"] == key], "grade", t)
            for key, title in t.sections
        ],
        "questions": questions,
        "repeats": repeats,
    }


def _with_teams(frame: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its team's and locality's names. team_id is compared as a number on both
    sides: where no audited case in the period has a team, the column is all NULL, which
    pandas reads as text, and text cannot be merged with numbers."""
    left = frame.assign(team_id=pd.to_numeric(frame["team_id"], errors="coerce"))
    right = teams.assign(team_id=pd.to_numeric(teams["team_id"], errors="coerce"))
    return left.merge(right, on="team_id", how="left")


def _by_scale(completed: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Overall grades of the completed audits, one entry per grading scale they were graded
    on: never added up across scales, because "good or better" means something different on
    each. A scale only audits not yet completed use is not in play."""
    out = []
    for scale in catalogue.overall_scales():
        rows = completed[completed["scale"] == scale.key]
        if not _int(rows["n"].sum()):
            continue
        keys = [t.key for t in catalogue.ordered_entries() if t.scale_key == scale.key]
        out.append(
            {
                "scale": scale.key,
                "name": scale.name,
                "levels": scale.levels,
                "good_or_better_levels": scale.good_or_better,
                "templates": list(dict.fromkeys(keys)),
                "completed": _int(rows["n"].sum()),
                **_distribution(rows, "overall_grade", scale),
            }
        )
    return out


def _scale_counts(rows: pd.DataFrame, scales: list[str], worst: bool = True) -> dict[str, Any]:
    """A breakdown row's completed audits, and its good or better (and worst grade) per scale.
    With one scale in play the row also has "good_or_better" (and "worst") itself; with more,
    only per scale, so grades on different scales are never added together."""
    by_scale: list[dict[str, Any]] = []
    out: dict[str, Any] = {"completed": _int(rows["n"].sum()), "by_scale": by_scale}
    for scale in scales:
        mine = rows[rows["scale"] == scale]
        item = {
            "scale": scale,
            "completed": _int(mine["n"].sum()),
            "good_or_better": _int(mine.loc[mine["gob"].astype(bool), "n"].sum()),
        }
        if worst:
            item["worst"] = _int(mine.loc[mine["worst"].astype(bool), "n"].sum())
        by_scale.append(item)
    if len(scales) == 1:
        out["good_or_better"] = out["by_scale"][0]["good_or_better"]
        if worst:
            out["worst"] = out["by_scale"][0]["worst"]
    return out


def _breakdown(
    completed: pd.DataFrame, teams: pd.DataFrame, by: str, scales: list[str]
) -> list[dict[str, Any]]:
    """Completed audits, and good or better and worst grade per scale, by team or locality."""
    if completed.empty:
        return []
    frame = _with_teams(completed, teams)
    frame["team"] = frame["team"].fillna("No team recorded")
    frame["locality"] = frame["locality"].fillna("No locality")
    keys = ["team_id", "team", "locality"] if by == "team" else ["locality_id", "locality"]
    frame[keys[0]] = frame[keys[0]].fillna(0)
    out = []
    for values, rows in sorted(
        frame.groupby(keys, dropna=False), key=lambda item: tuple(item[0][1:])
    ):
        named = dict(zip(keys, values, strict=True))
        item = {f"{by}_id": _int(named[keys[0]]) or None, by: named[by]}
        if by == "team":
            item["locality"] = named["locality"]
        out.append(item | _scale_counts(rows, scales))
    return out


def _by_month(completed: pd.DataFrame, f: Filters, scales: list[str]) -> list[dict[str, Any]]:
    grouped = completed.groupby("month")[["n"]].sum()
    if f.date_from and f.date_to:
        months = months_between(f.date_from, f.date_to)
    elif len(grouped):
        first, last = min(grouped.index), max(grouped.index)
        months = months_between(date.fromisoformat(first + "-01"), date.fromisoformat(last + "-01"))
    else:
        months = []
    return [
        {"month": month}
        | _scale_counts(completed[completed["month"] == month], scales, worst=False)
        for month in months
    ]


def _moderation(f: Filters, catalogue: Catalogue) -> dict[str, Any]:
    status = queries.moderation_status_groups(f)
    pairs = queries.moderation_groups(f)
    pairs["scale"] = pairs["template_version_id"].map(catalogue.version_scale)

    def summary(status_rows: pd.DataFrame, pair_rows: pd.DataFrame) -> dict[str, Any]:
        by_status = status_rows.groupby("moderation")["n"].sum()
        kappas: list[dict[str, Any]] = []
        out: dict[str, Any] = {
            "completed_audits": _int(by_status.sum()),
            "moderated": _int(by_status.get("completed")),
            "pending": _int(by_status.get("pending")) + _int(by_status.get("in_progress")),
            "pairs": _int(pair_rows["n"].sum()),
            "agreed": _int(
                pair_rows.loc[pair_rows["auditor_grade"] == pair_rows["moderator_grade"], "n"].sum()
            ),
            "changed_up": 0,
            "changed_down": 0,
            "unchanged": 0,
            "kappa": kappas,
        }
        for scale_key, rows in pair_rows.groupby("scale"):
            assert isinstance(scale_key, str)  # a version's scale key
            levels = [lvl["key"] for lvl in catalogue.scales[scale_key]["levels"]]
            rank = {k: i for i, k in enumerate(levels)}
            overall = rows[rows["is_overall"].astype(bool)]
            for a, m, n in zip(
                overall["auditor_grade"], overall["moderator_grade"], overall["n"], strict=True
            ):
                if a in rank and m in rank:
                    key = (
                        "unchanged"
                        if a == m
                        else ("changed_up" if rank[m] < rank[a] else "changed_down")
                    )
                    out[key] += int(n)
            kappa = weighted_kappa(
                zip(rows["auditor_grade"], rows["moderator_grade"], rows["n"], strict=True), levels
            )
            kappas.append(
                {
                    "scale": scale_key,
                    "name": catalogue.scales[scale_key]["name"],
                    "n": _int(rows["n"].sum()),
                    "kappa": None if kappa is None else round(kappa, 3),
                    "words": describe_kappa(kappa),
                }
            )
        return out

    overall = summary(status, pairs)
    names = display_names({_int(a) for a in status["auditor_id"].dropna()})
    by_auditor = []
    for auditor_id, rows in status.dropna(subset=["auditor_id"]).groupby("auditor_id"):
        mine = pairs[pairs["auditor_id"] == auditor_id]
        item = summary(rows, mine)
        if item["moderated"] or item["pending"]:
            by_auditor.append(
                {
                    "auditor_id": _int(auditor_id),
                    "auditor": names.get(_int(auditor_id), "Unknown"),
                    **item,
                }
            )
    overall["by_auditor"] = sorted(by_auditor, key=lambda r: r["auditor"])
    return overall


def _states(frame: pd.DataFrame, states: list[str]) -> dict[str, Any]:
    counts: pd.Series[int] | dict[str, int] = (
        frame.groupby("state")["n"].sum() if not frame.empty else {}
    )
    return {s: _int(counts.get(s)) for s in states}


def _previous(f: Filters) -> dict[str, Any]:
    """The headline figures for the period before, to compare with."""
    catalogue = Catalogue(queries.versions_in_scope(f))
    audits = _with_template(queries.audit_groups(f), catalogue)
    completed = _mark_grades(audits[audits["status"].isin(queries.COMPLETED)], catalogue)
    themes = queries.theme_groups(f, by_team=False)
    names = catalogue.theme_names()
    scales = [
        s.key
        for s in catalogue.overall_scales()
        if _int(completed.loc[completed["scale"] == s.key, "n"].sum())
    ]
    return {
        "period": {
            "from": f.date_from.isoformat() if f.date_from else None,
            "to": f.date_to.isoformat() if f.date_to else None,
        },
        **_scale_counts(completed, scales, worst=False),
        "themes": [] if themes.empty else theme_rows(themes, names),
    }
