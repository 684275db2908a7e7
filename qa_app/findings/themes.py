"""Theme figures: per theme, how many audits marked it a strength, an area for development
or not seen, overall and by template, team and locality, and the themes that most lean each
way. An audit that did not assess a theme ("not_assessed") is never counted for it. A theme
marked a strength as often as an area for development is "mixed": it is in neither top list.
"""

from typing import Any

import pandas as pd

from qa_app.findings.catalogue import Catalogue

TOP = 5  # how many top strengths, areas for development and mixed themes


def _int(value: Any) -> int:  # a pandas cell: a number, NaN or None
    return int(value) if pd.notna(value) else 0


COUNTED_MARKS = ("strength", "development", "not_seen")  # "not_assessed" is never counted


def theme_rows(frame: pd.DataFrame, names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per theme that at least one audit assessed: strength, development and not
    seen counts and their total n. Audits that did not assess the theme are left out of n
    (and so of every share); how many they were is kept as not_assessed."""
    table = frame.pivot_table(index="theme_key", columns="mark", values="n", aggfunc="sum")
    out = []
    for key in sorted(table.index, key=lambda k: names.get(k, k)):
        row = {m: _int(table.at[key, m]) if m in table.columns else 0 for m in COUNTED_MARKS}
        if not sum(row.values()):
            continue  # no audit in scope assessed it
        skipped = _int(table.at[key, "not_assessed"]) if "not_assessed" in table.columns else 0
        out.append(
            {
                "key": key,
                "name": names.get(key, key),
                **row,
                "n": sum(row.values()),
                "not_assessed": skipped,
            }
        )
    return out


def leaning(row: dict[str, Any]) -> str | None:
    """Which way a theme row leans: "strength" when more audits marked it a strength than an
    area for development, "development" when more marked it for development, "mixed" when
    as many did each (and some did), None when neither or when a count is hidden."""
    strength, development = row["strength"], row["development"]
    if strength is None or development is None:
        return None
    if strength > development:
        return "strength"
    if development > strength:
        return "development"
    return "mixed" if strength else None


def top_themes(rows: list[dict[str, Any]], lean: str, limit: int = TOP) -> list[str]:
    """Theme keys leaning `lean` ("strength", "development" or "mixed"), most marked first
    (by share of the audits that assessed the theme). A theme is in at most one list: a tie
    between strength and development is mixed, never both."""
    mark = "development" if lean == "development" else "strength"
    ranked = sorted(
        (r for r in rows if r["n"] and leaning(r) == lean),
        key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]),
    )
    return [r["key"] for r in ranked[:limit]]


def theme_figures(
    themes: pd.DataFrame, catalogue: Catalogue, merged: pd.DataFrame, *, by_group: bool = True
) -> dict[str, Any]:
    """The theme figures from the grouped theme marks (`themes`), and the same marks with
    their team's and locality's names (`merged`)."""
    names = catalogue.theme_names()
    if themes.empty:
        return {
            "themes": [],
            "top_strengths": [],
            "top_development": [],
            "top_mixed": [],
            "themes_by_template": [],
            "themes_by_team": [],
            "themes_by_locality": [],
        }
    overall = theme_rows(themes, names)
    by_template = []
    for t in catalogue.ordered():
        mine = themes[themes["template_id"] == t.id]
        if not mine.empty and (rows := theme_rows(mine, names)):
            by_template.append({"template": t.key, "name": t.name, "themes": rows})
    by_team: list[dict[str, Any]] = []
    if not by_group:
        merged = merged.iloc[0:0]
    merged["team"] = merged["team"].fillna("No team recorded")
    for (team_id, team), team_rows in merged.fillna({"team_id": 0}).groupby(["team_id", "team"]):
        by_team.append(
            {"team_id": _int(team_id) or None, "team": team, "themes": theme_rows(team_rows, names)}
        )
    by_team.sort(key=lambda r: r["team"])
    merged["locality"] = merged["locality"].fillna("No locality")
    by_locality: list[dict[str, Any]] = [
        {
            "locality_id": _int(locality_id) or None,
            "locality": locality,
            "themes": theme_rows(rows, names),
        }
        for (locality_id, locality), rows in merged.fillna({"locality_id": 0}).groupby(
            ["locality_id", "locality"]
        )
    ]
    by_locality.sort(key=lambda r: r["locality"])
    return {
        "themes": overall,
        "top_strengths": top_themes(overall, "strength"),
        "top_development": top_themes(overall, "development"),
        "top_mixed": top_themes(overall, "mixed"),
        "themes_by_template": by_template,
        "themes_by_team": by_team,
        "themes_by_locality": by_locality,
    }
