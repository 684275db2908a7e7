"""Answers summarised per question: shares of yes/partly/no, choice counts, numbers as median
and range, and repeat groups per block label (e.g. per agency). Works on the grouped answer
counts from `queries.answer_groups`, never on single answers."""

import json
from datetime import date
from typing import Any

import pandas as pd

from qa_app.findings.catalogue import QuestionInfo, TemplateInfo

MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def months_between(start: date, end: date) -> list[str]:
    """'YYYY-MM' for every month from start's to end's, inclusive."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_label(month: str) -> str:
    year, m = month.split("-")
    return f"{MONTH_NAMES[int(m) - 1]} {year}"


def number_summary(values: list[float], weights: list[int]) -> dict[str, Any]:
    """Median, lowest and highest of grouped numbers (each value with how often it occurs)."""
    pairs = sorted((v, int(w)) for v, w in zip(values, weights, strict=True) if pd.notna(v) and w)
    n = sum(w for _, w in pairs)
    if n == 0:
        return {"n": 0, "median": None, "min": None, "max": None}

    def nth(k: int) -> float:  # the k-th smallest value, 0-based
        seen = 0
        for value, w in pairs:
            seen += w
            if k < seen:
                return value
        return pairs[-1][0]

    median = nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2
    return {"n": n, "median": float(median), "min": float(pairs[0][0]), "max": float(pairs[-1][0])}


def _question_figures(q: QuestionInfo, rows: pd.DataFrame) -> dict[str, Any]:
    base: dict[str, Any] = {"key": q.key, "text": q.text, "type": q.type, "section": q.section}
    if q.finding:
        base["finding"] = q.finding
    if q.type == "number":
        return base | {"unit": q.unit} | number_summary(list(rows["value_number"]), list(rows["n"]))
    counts = dict.fromkeys(q.labels, 0)
    if q.type == "multiple_choice":
        n = 0
        for choices, count in zip(rows["choices"], rows["n"], strict=True):
            keys = json.loads(choices) if isinstance(choices, str) and choices else []
            if not keys:
                continue
            n += int(count)
            for key in keys:
                if key in counts:
                    counts[key] += int(count)
    else:
        for value, count in zip(rows["value_text"], rows["n"], strict=True):
            if value in counts:
                counts[value] += int(count)
        n = sum(counts.values())
    return base | {"labels": q.labels, "counts": counts, "n": n}


def answer_summaries(
    t: TemplateInfo, answers: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(questions outside repeat groups, repeat groups with their per-label blocks)."""
    by_key = {key: rows for key, rows in answers.groupby(["group_key", "question_key"])}
    empty = answers.iloc[0:0]
    questions = []
    for q in t.questions.values():
        if not q.group:
            questions.append(_question_figures(q, by_key.get(("", q.key), empty)))
    repeats = []
    for group, repeat in t.repeats.items():
        inner = [q for q in t.questions.values() if q.group == group]
        mine = answers[answers["group_key"] == group]
        labels = list(repeat["options"]) + sorted(set(mine["block_label"]) - set(repeat["options"]))
        blocks = []
        for label in labels:
            rows = mine[mine["block_label"] == label]
            if rows.empty:
                continue
            figures = [_question_figures(q, rows[rows["question_key"] == q.key]) for q in inner]
            blocks.append(
                {
                    "key": label,
                    "label": repeat["options"].get(label, label),
                    # each block answers every inner question once, so the busiest question
                    # counts the blocks
                    "n": max((fig["n"] for fig in figures), default=0),
                    "questions": figures,
                }
            )
        repeats.append(
            {
                "key": group,
                "text": repeat["text"],
                "repeat_label": repeat["label"],
                "blocks": blocks,
            }
        )
    return questions, repeats
