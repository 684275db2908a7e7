"""Tests for loading YAML with line numbers: lines, duplicate keys, scalars, aliases, errors."""

import time

from qa_app.templates_engine.source import (
    MAX_TEMPLATE_BYTES,
    MAX_VALUES,
    LineDict,
    LineList,
    load_yaml,
)


def test_mappings_and_lists_carry_their_lines():
    doc = load_yaml("# comment\nkey: a\nitems:\n  - one\n  - {x: 1}\n  -\n    - nested\n")
    assert doc.problems == []
    assert doc.line == 2
    value = doc.value
    assert isinstance(value, LineDict)
    assert (value.line, value.key_lines) == (2, {"key": 2, "items": 3})
    items = value["items"]
    assert isinstance(items, LineList)
    assert (items.line, items.item_lines) == (4, [4, 5, 7])  # an item's line is where it starts
    assert items[1].line == 5
    assert items[2].line == 7
    assert value == {"key": "a", "items": ["one", {"x": 1}, ["nested"]]}


def test_duplicate_key_is_reported_at_the_second_occurrence_and_the_first_value_kept():
    doc = load_yaml("a: 1\nb:\n  text: one\n  other: 2\n  text: two\n")
    assert doc.problems == [(5, "duplicate key 'text' (first defined on line 3)")]
    assert doc.value["b"]["text"] == "one"


def test_scalars_use_safe_loader_resolution_but_dates_stay_strings():
    doc = load_yaml(
        "s: hello\ni: 42\nf: 1.5\nt: true\ny: yes\nn: ~\ne:\nq: '42'\nd: 2024-01-31\n"
        "ts: 2024-01-31 10:00:00\n"
    )
    assert doc.problems == []
    assert doc.value == {
        "s": "hello",
        "i": 42,
        "f": 1.5,
        "t": True,
        "y": True,
        "n": None,
        "e": None,
        "q": "42",
        "d": "2024-01-31",
        "ts": "2024-01-31 10:00:00",
    }


def test_mapping_keys_are_their_source_text():
    doc = load_yaml("yes: 1\n3: 2\n~: 3\n")
    assert list(doc.value) == ["yes", "3", "~"]


def test_anchors_aliases_and_merge_keys():
    doc = load_yaml(
        "base: &base\n  type: text\n  text: Base\ncopy: *base\nmerged:\n  <<: *base\n  text: Own\n"
    )
    assert doc.problems == []
    assert doc.value["copy"] == {"type": "text", "text": "Base"}
    merged = doc.value["merged"]
    assert merged == {"type": "text", "text": "Own"}
    assert merged.key_lines == {"type": 2, "text": 7}  # merged keys keep their own lines


def test_yaml_syntax_error_uses_the_problem_mark_line():
    doc = load_yaml("a: 1\nb: [1, 2\nc: 3\n")
    assert doc.value is None
    [(line, message)] = doc.problems
    assert line == 3
    assert message.startswith("YAML syntax error: ")


def test_control_character_is_a_problem_with_its_line():
    doc = load_yaml("a: 1\nb: \x07\n")
    assert doc.problems == [(2, doc.problems[0][1])]
    assert "YAML syntax error" in doc.problems[0][1]


def test_unsupported_tags_are_problems():
    doc = load_yaml("a: !!python/object:os.system x\nb: !custom {x: 1}\nc: !!set {x}\n")
    assert [line for line, _ in doc.problems] == [1, 2, 3]
    assert "unsupported YAML tag '!!python/object:os.system'" in doc.problems[0][1]
    assert "unsupported YAML tag '!custom'" in doc.problems[1][1]


def test_bad_explicit_scalar_is_a_problem():
    doc = load_yaml("a: !!int abc\n")
    assert doc.problems == [(1, "'abc' is not a valid !!int")]


def test_complex_keys_are_problems():
    doc = load_yaml("? [a, b]\n: 1\nc: 2\n")
    assert doc.problems == [(1, "mapping keys must be plain values")]
    assert doc.value == {"c": 2}


def test_recursive_alias_is_a_problem_not_a_crash():
    doc = load_yaml("a: &a\n  - 1\n  - *a\n")
    # an alias is the anchored node itself, so it carries the anchor's line
    assert doc.problems == [(1, "recursive alias: a value contains itself")]


def test_alias_bomb_is_a_problem_not_a_hang():
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*l{i - 1}"] * 10)
        lines.append(f"l{i}: &l{i} [{refs}]")
    doc = load_yaml("\n".join(lines) + "\n")
    assert doc.value is None
    assert doc.problems == [
        (1, f"document is too large (more than {MAX_VALUES} values, counting aliases)")
    ]


def test_empty_document():
    doc = load_yaml("# nothing here\n")
    assert (doc.value, doc.problems) == (None, [])


def test_deep_nesting_is_a_problem_not_a_crash():
    doc = load_yaml("a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert doc.problems == [(1, "YAML is nested too deeply")]


def test_a_text_over_the_size_limit_is_not_parsed():
    text = "a: b\n" * (MAX_TEMPLATE_BYTES // 5 + 1)
    started = time.monotonic()
    doc = load_yaml(text)
    assert time.monotonic() - started < 0.5  # refused before PyYAML sees it
    assert (doc.value, doc.problems) == (
        None,
        [(1, "the file is bigger than 256 KB: at most 256 KB is read (split the template)")],
    )
