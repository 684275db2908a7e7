"""Counts with their nouns in the right number ("1 open audit", "12 open audits"), through one
helper: the `counted` and `noun_for` filters (qa_app.web.wording over
qa_app.findings.present), never a bare `{{ n }} things` or a hand-made plural in a template."""

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qa_app.findings.present import counted, noun_for

PACKAGE = Path(__file__).resolve().parents[2] / "qa_app"

# `{{ <a number> }} <up to two words, the last a plural>`: a count written beside a noun by hand.
NUMBERISH = r"[^{}]*(?:\|\s*length|\bcount\(|\btotal\b|\bnumber\b|_count\b|\bn\b)[^{}]*"
BARE_COUNT = re.compile(
    r"\{\{(?![^{}]*counted)" + NUMBERISH + r"\}\}\s+(?:[a-z]+\s+){0,2}[a-z]+s\b"
)
# `audit{{ "" if n == 1 else "s" }}` and its siblings: a plural made by hand.
HAND_PLURAL = re.compile(r"""\{\{[^{}]*(?:==|!=)\s*1\s+else\s+["']s["'][^{}]*\}\}""")


def _templates():
    for path in sorted(PACKAGE.rglob("*.html")):
        name = path.relative_to(PACKAGE).as_posix()
        yield name, path.read_text(encoding="utf-8")


def test_a_count_and_its_noun_agree():
    assert counted(1, "open audit") == "1 open audit"
    assert counted(12, "open audit") == "12 open audits"
    assert counted(0, "open audit") == "0 open audits"
    assert counted(1200, "case") == "1,200 cases"
    assert counted(1, "child", "children") == "1 child"
    assert counted(3, "child", "children") == "3 children"
    assert counted(None, "audit") == "a hidden number of audits"
    assert noun_for(1, "audit") == "audit" and noun_for(2, "audit") == "audits"


@given(st.integers(min_value=0, max_value=10**9))
def test_only_exactly_one_takes_the_singular(n):
    words = counted(n, "audit")
    assert words.endswith(" audit") == (n == 1)
    assert words.endswith(" audits") == (n != 1)


def test_the_filters_write_counts_on_a_page(app):
    with app.app_context():
        render = app.jinja_env.from_string(
            '{{ 1 | counted("open audit") }}; {{ 2 | counted("open audit") }}; '
            '{{ 1 | noun_for("grade") }}; {{ 5 | noun_for("grade") }}'
        ).render
        assert render() == "1 open audit; 2 open audits; grade; grades"


def test_no_template_writes_a_count_beside_a_noun_by_hand():
    found = [
        f"{name}: {match.group(0)}"
        for name, source in _templates()
        for pattern in (BARE_COUNT, HAND_PLURAL)
        for match in pattern.finditer(source)
    ]
    assert found == [], "use {{ n | counted('noun') }}:\n" + "\n".join(found)
