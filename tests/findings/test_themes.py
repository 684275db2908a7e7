"""Theme figures: "not assessed" marks are never counted (not in n, not in any share), and a
theme marked a strength as often as an area for development is mixed, in neither top list."""

from hypothesis import given
from hypothesis import strategies as st

from qa_app.documents import narrative
from qa_app.extensions import db
from qa_app.findings.themes import leaning, top_themes
from qa_app.models import ThemeMark
from tests.findings.test_compute import figures


def _mark(audit, key: str, mark: str) -> None:
    db.session.add(ThemeMark(audit_id=audit.id, theme_key=key, mark=mark))


def test_not_assessed_marks_are_left_out_of_the_counts(known):
    done = [a for a in known["audits"] if a.submitted_at]
    # fathers: assessed by two audits only (a strength and an area: mixed), not by four
    _mark(done[0], "fathers_wider_family", "strength")
    _mark(done[1], "fathers_wider_family", "development")
    for audit in done[2:]:
        _mark(audit, "fathers_wider_family", "not_assessed")
    # purposeful visits: assessed by no audit at all
    for audit in done:
        _mark(audit, "purposeful_visits", "not_assessed")
    db.session.commit()
    fig = figures()
    themes = {t["key"]: t for t in fig["themes"]}
    fathers = themes["fathers_wider_family"]
    assert (fathers["strength"], fathers["development"], fathers["not_seen"]) == (1, 1, 0)
    assert (fathers["n"], fathers["not_assessed"]) == (2, 4)
    assert "purposeful_visits" not in themes  # no audit assessed it: no row, no "0 of 0"
    # a tie is mixed: never in both top lists
    assert "fathers_wider_family" not in fig["top_strengths"]
    assert "fathers_wider_family" not in fig["top_development"]
    assert fig["top_mixed"] == ["fathers_wider_family"]
    text = narrative.themes_text(fig, 1)
    assert (
        "Mixed, as often a strength as an area for development: fathers and wider family "
        "included (1 a strength and 1 an area for development, of 2)." in text
    )
    assert text.count("fathers") == 1
    (sa,) = fig["themes_by_template"]
    assert {t["key"]: t["n"] for t in sa["themes"]}["fathers_wider_family"] == 2


rows = st.lists(
    st.tuples(
        st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.sampled_from("abcdefgh")
    ),
    max_size=12,
    unique_by=lambda r: r[3],
).map(
    lambda items: [
        {"key": k, "name": k, "strength": s, "development": d, "not_seen": u, "n": s + d + u}
        for s, d, u, k in items
        if s + d + u
    ]
)


@given(rows)
def test_no_theme_is_ever_in_two_top_lists(theme_rows):
    lists = {lean: top_themes(theme_rows, lean) for lean in ("strength", "development", "mixed")}
    seen = [k for keys in lists.values() for k in keys]
    assert len(seen) == len(set(seen))
    by_key = {r["key"]: r for r in theme_rows}
    for k in lists["strength"]:
        assert by_key[k]["strength"] > by_key[k]["development"]
    for k in lists["development"]:
        assert by_key[k]["development"] > by_key[k]["strength"]
    for k in lists["mixed"]:
        assert by_key[k]["development"] == by_key[k]["strength"] > 0
    for row in theme_rows:  # every leaning theme is listed, up to five per list
        lean = leaning(row)
        if lean and len([r for r in theme_rows if leaning(r) == lean]) <= 5:
            assert row["key"] in lists[lean]
