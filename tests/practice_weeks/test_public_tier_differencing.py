"""The public tier of a practice week's figures, tried with many made-up weeks (hypothesis): no
hidden count can be worked out from a total the tier shows minus the parts it shows. Each
group of parts that adds up to a shown total has no hidden part, or at least two."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from qa_app.services.practice_week_figures import KINDS, MARKS
from qa_app.services.practice_week_tiers import suppressed_figures

count = st.integers(min_value=0, max_value=12)


@st.composite
def weeks(draw):
    areas_n = draw(st.integers(min_value=0, max_value=3))
    area_kinds = [{k: draw(count) for k in KINDS} for _ in range(areas_n)]
    no_area = {k: draw(count) for k in KINDS}
    activities = {}
    for k in KINDS:
        done = sum(a[k] for a in area_kinds) + no_area[k]
        planned, cancelled = draw(count), draw(count)
        activities[k] = {
            "done": done,
            "planned": planned,
            "cancelled": cancelled,
            "total": done + planned + cancelled,
        }
    themes = []
    for i in range(draw(st.integers(min_value=0, max_value=4))):
        marks = {m: draw(count) for m in MARKS}
        audits_n = draw(st.integers(min_value=0, max_value=sum(marks.values())))
        themes.append(
            {
                "key": f"t{i}",
                "name": f"Theme {i}",
                **marks,
                "n": sum(marks.values()),
                "audits_n": audits_n,
                "observations_n": sum(marks.values()) - audits_n,
            }
        )
    return {
        "managers": draw(count),
        "audits_completed": draw(count),
        "activities": activities,
        "activities_done": sum(c["done"] for c in activities.values()),
        "focus_areas": [
            {
                "focus_area_id": i,
                "title": f"Area {i}",
                "activities_done": sum(a.values()),
                "done_by_kind": a,
            }
            for i, a in enumerate(area_kinds)
        ],
        "no_area_done": sum(no_area.values()),
        "conversations": {"child": draw(count), "parent_carer": draw(count), "staff": draw(count)},
        "themes": themes,
        "comparison": None,
    }


def _safe(total, parts) -> bool:
    """With the total shown, a single hidden part would be the total minus the others."""
    if total is None:
        return True
    return sum(1 for p in parts if p is None) != 1


def _week(activities):
    """A week of only these activities, all in no focus area."""
    for counts in activities.values():
        counts["total"] = counts["done"] + counts["planned"] + counts["cancelled"]
    return {
        "managers": 0,
        "audits_completed": 0,
        "activities": activities,
        "activities_done": sum(c["done"] for c in activities.values()),
        "focus_areas": [],
        "no_area_done": sum(c["done"] for c in activities.values()),
        "conversations": {"child": 0, "parent_carer": 0, "staff": 0},
        "themes": [],
        "comparison": None,
    }


# One kind done 2 (hidden at 5): the done column hid the next kind's 10 with it, which left that
# kind's row with one hidden cell beside its total 23 (10 = 23 - 6 - 7), and then the first
# kind's 2 = 12 - 10. The rows and the column are now applied until both hold.
A_ROW_GIVES_THE_COLUMN_AWAY = _week(
    {k: {"done": 0, "planned": 0, "cancelled": 0} for k in KINDS}
    | {KINDS[0]: {"done": 2, "planned": 0, "cancelled": 0}}
    | {KINDS[1]: {"done": 10, "planned": 6, "cancelled": 7}}
)


# One kind done 1 (hidden at 2) takes the conversations' 2 with it in the done column; with
# nothing planned or cancelled, the conversations' total 2 then gave it back: the total is
# hidden where a row keeps one hidden cell and nothing else to hide.
NOTHING_ELSE_TO_HIDE_IN_THE_ROW = _week(
    {k: {"done": 0, "planned": 0, "cancelled": 0} for k in KINDS}
    | {KINDS[0]: {"done": 1, "planned": 0, "cancelled": 0}}
    | {"conversation": {"done": 2, "planned": 0, "cancelled": 0}}
)


@settings(max_examples=300, deadline=None)
@example(figures=A_ROW_GIVES_THE_COLUMN_AWAY, threshold=5)
@example(figures=NOTHING_ELSE_TO_HIDE_IN_THE_ROW, threshold=2)
@given(figures=weeks(), threshold=st.integers(min_value=2, max_value=6))
def test_no_hidden_count_is_a_shown_total_minus_shown_parts(figures, threshold):
    out = suppressed_figures(figures, threshold)
    for row in out["themes"]:
        assert _safe(row["n"], [row[m] for m in MARKS]), row
        assert _safe(row["n"], [row["audits_n"], row["observations_n"]]), row
    kinds = [out["activities"][k]["done"] for k in KINDS]
    assert _safe(out["activities_done"], kinds)
    for k in KINDS:  # each kind's states add up to its total: a table, rows and the done column
        counts = out["activities"][k]
        assert _safe(counts["total"], [counts[s] for s in ("done", "planned", "cancelled")]), k
    areas = [a["activities_done"] for a in out["focus_areas"]] + [out["no_area_done"]]
    assert _safe(out["activities_done"], areas)
    for area in out["focus_areas"]:  # kinds within an area are never published suppressed
        assert all(v is None for v in area["done_by_kind"].values())
    # and every count shown is either 0 or at least the threshold
    shown = [out["managers"], out["audits_completed"], *kinds, *areas]
    shown += [row[m] for row in out["themes"] for m in (*MARKS, "n")]
    assert all(v is None or v == 0 or v >= threshold for v in shown)
