"""Shape the grouped counts from `queries` into the figures: one JSON-ready dictionary that the
dashboards, the reports, the CLI and the API all read, and that a published report keeps as
its frozen snapshot. Counts are stored, never percentages: those are worked out where they
are shown, so a board-tier copy with small counts hidden (`suppression`) hides them too."""

from datetime import date, datetime

import pandas as pd

from qa_app.findings import queries
from qa_app.findings.agreement import describe_kappa, weighted_kappa
from qa_app.findings.catalogue import Catalogue, TemplateInfo
from qa_app.findings.filters import Filters
from qa_app.findings.summaries import answer_summaries, months_between
from qa_app.models import AuditStatus, utcnow

SCHEMA = 1
TOP = 5  # how many top strengths and areas for development
STATUSES = [s.value for s in AuditStatus]


def compute_findings(
    f: Filters,
    *,
    now: datetime | None = None,
    compare_previous: bool = True,
    include_answers: bool = True,
) -> dict:
    """The figures for the audits `f` covers. Pages that show no per-question figures pass
    include_answers=False and skip the costliest query (every answer of every audit)."""
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
    figures = {
        "schema": SCHEMA,
        "filters": f.to_args(),
        "period": {
            "from": f.date_from.isoformat() if f.date_from else None,
            "to": f.date_to.isoformat() if f.date_to else None,
        },
        "generated_at": now.isoformat(timespec="seconds"),
        "totals": _totals(audits),
        "templates": [
            _template_figures(t, audits, completed, sections, answers) for t in catalogue.ordered()
        ],
        "by_team": _breakdown(completed, teams, "team"),
        "by_locality": _breakdown(completed, teams, "locality"),
        "by_month": _by_month(completed, f),
    }
    figures.update(_theme_figures(themes, catalogue, teams))
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
    frame = frame.copy()
    frame["template_id"] = frame["template_version_id"].map(catalogue.template_of)
    return frame


def _mark_grades(completed: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    completed = completed.copy()
    gob = {t.id: set(t.good_or_better) for t in catalogue.templates.values()}
    worst = {t.id: t.level_keys[-1] for t in catalogue.templates.values()}
    completed["gob"] = [
        g in gob.get(t, ())
        for t, g in zip(completed["template_id"], completed["overall_grade"], strict=True)
    ]
    completed["worst"] = [
        g == worst.get(t)
        for t, g in zip(completed["template_id"], completed["overall_grade"], strict=True)
    ]
    return completed


def _int(value) -> int:
    return int(value) if pd.notna(value) else 0


def _totals(audits: pd.DataFrame) -> dict:
    by_status = audits.groupby("status")["n"].sum()
    out = {s: _int(by_status.get(s)) for s in STATUSES}
    out["completed"] = out["submitted"] + out["moderated"]
    out["audits"] = _int(by_status.sum())
    return out


def _distribution(rows: pd.DataFrame, column: str, t: TemplateInfo) -> dict:
    counts = rows.groupby(column)["n"].sum()
    return {
        "counts": {k: _int(counts.get(k)) for k in t.level_keys},
        "n": sum(_int(counts.get(k)) for k in t.level_keys),
        "good_or_better": sum(_int(counts.get(k)) for k in t.good_or_better),
    }


def _template_figures(t, audits, completed, sections, answers) -> dict:
    mine = audits[audits["template_id"] == t.id]
    done = completed[completed["template_id"] == t.id]
    status = mine.groupby("status")["n"].sum()
    my_sections = sections[sections["template_id"] == t.id]
    questions, repeats = answer_summaries(t, answers[answers["template_id"] == t.id])
    return {
        "key": t.key,
        "name": t.name,
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


def _breakdown(completed: pd.DataFrame, teams: pd.DataFrame, by: str) -> list[dict]:
    """Completed audits, good or better and worst grade, by team or by locality."""
    if completed.empty:
        return []
    frame = _with_teams(completed, teams)
    frame["team"] = frame["team"].fillna("No team recorded")
    frame["locality"] = frame["locality"].fillna("No locality")
    frame["gob_n"] = frame["n"].where(frame["gob"], 0)
    frame["worst_n"] = frame["n"].where(frame["worst"], 0)
    keys = ["team_id", "team", "locality"] if by == "team" else ["locality_id", "locality"]
    frame[keys[0]] = frame[keys[0]].fillna(0)
    grouped = frame.groupby(keys, dropna=False)[["n", "gob_n", "worst_n"]].sum().reset_index()
    out = []
    for row in grouped.sort_values(keys[1:]).itertuples(index=False):
        item = {
            f"{by}_id": _int(getattr(row, keys[0])) or None,
            by: getattr(row, by),
            "completed": _int(row.n),
            "good_or_better": _int(row.gob_n),
            "worst": _int(row.worst_n),
        }
        if by == "team":
            item["locality"] = row.locality
        out.append(item)
    return out


def _by_month(completed: pd.DataFrame, f: Filters) -> list[dict]:
    grouped = (
        completed.assign(gob_n=completed["n"].where(completed["gob"], 0))
        .groupby("month")[["n", "gob_n"]]
        .sum()
    )
    if f.date_from and f.date_to:
        months = months_between(f.date_from, f.date_to)
    elif len(grouped):
        first, last = min(grouped.index), max(grouped.index)
        months = months_between(date.fromisoformat(first + "-01"), date.fromisoformat(last + "-01"))
    else:
        months = []
    out = []
    for month in months:
        has = month in grouped.index
        out.append(
            {
                "month": month,
                "completed": _int(grouped.at[month, "n"]) if has else 0,
                "good_or_better": _int(grouped.at[month, "gob_n"]) if has else 0,
            }
        )
    return out


def _theme_rows(frame: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    table = frame.pivot_table(index="theme_key", columns="mark", values="n", aggfunc="sum")
    out = []
    for key in sorted(table.index, key=lambda k: names.get(k, k)):
        row = {
            m: _int(table.at[key, m]) if m in table.columns else 0
            for m in ("strength", "development", "not_seen")
        }
        out.append({"key": key, "name": names.get(key, key), **row, "n": sum(row.values())})
    return out


def _theme_figures(themes: pd.DataFrame, catalogue: Catalogue, teams: pd.DataFrame) -> dict:
    names = catalogue.theme_names()
    if themes.empty:
        return {
            "themes": [],
            "top_strengths": [],
            "top_development": [],
            "themes_by_template": [],
            "themes_by_team": [],
            "themes_by_locality": [],
        }
    overall = _theme_rows(themes, names)

    def top(mark: str) -> list[str]:
        ranked = sorted(
            (r for r in overall if r[mark] > 0),
            key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]),
        )
        return [r["key"] for r in ranked[:TOP]]

    by_template = []
    for t in catalogue.ordered():
        mine = themes[themes["template_id"] == t.id]
        if not mine.empty:
            by_template.append(
                {"template": t.key, "name": t.name, "themes": _theme_rows(mine, names)}
            )
    by_team = []
    merged = _with_teams(themes, teams)
    merged["team"] = merged["team"].fillna("No team recorded")
    for (team_id, team), rows in merged.fillna({"team_id": 0}).groupby(["team_id", "team"]):
        by_team.append(
            {"team_id": _int(team_id) or None, "team": team, "themes": _theme_rows(rows, names)}
        )
    by_team.sort(key=lambda r: r["team"])
    merged["locality"] = merged["locality"].fillna("No locality")
    by_locality = [
        {
            "locality_id": _int(locality_id) or None,
            "locality": locality,
            "themes": _theme_rows(rows, names),
        }
        for (locality_id, locality), rows in merged.fillna({"locality_id": 0}).groupby(
            ["locality_id", "locality"]
        )
    ]
    by_locality.sort(key=lambda r: r["locality"])
    return {
        "themes": overall,
        "top_strengths": top("strength"),
        "top_development": top("development"),
        "themes_by_template": by_template,
        "themes_by_team": by_team,
        "themes_by_locality": by_locality,
    }


def _moderation(f: Filters, catalogue: Catalogue) -> dict:
    from qa_app.data.users import display_names

    status = queries.moderation_status_groups(f)
    pairs = queries.moderation_groups(f)
    pairs["scale"] = pairs["template_version_id"].map(catalogue.version_scale)

    def summary(status_rows: pd.DataFrame, pair_rows: pd.DataFrame) -> dict:
        by_status = status_rows.groupby("moderation")["n"].sum()
        out = {
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
            "kappa": [],
        }
        for scale_key, rows in pair_rows.groupby("scale"):
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
            out["kappa"].append(
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


def _states(frame: pd.DataFrame, states: list[str]) -> dict:
    counts = frame.groupby("state")["n"].sum() if not frame.empty else {}
    return {s: _int(counts.get(s)) for s in states}


def _previous(f: Filters) -> dict:
    """The headline figures for the period before, to compare with."""
    catalogue = Catalogue(queries.versions_in_scope(f))
    audits = _with_template(queries.audit_groups(f), catalogue)
    completed = _mark_grades(audits[audits["status"].isin(queries.COMPLETED)], catalogue)
    themes = queries.theme_groups(f, by_team=False)
    names = catalogue.theme_names()
    return {
        "period": {"from": f.date_from.isoformat(), "to": f.date_to.isoformat()},
        "completed": _int(completed["n"].sum()),
        "good_or_better": _int(completed.loc[completed["gob"], "n"].sum()),
        "themes": [] if themes.empty else _theme_rows(themes, names),
    }
