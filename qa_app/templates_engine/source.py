"""YAML loading that keeps line numbers, and line-aware field readers that collect problems."""

import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeGuard, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_MAX = 60
MAX_VALUES = 100_000  # values built per document, aliases included
# A template file, in bytes (and so in characters): ten times the largest shipped (24 KB).
# PyYAML reads about 200 KB a second, so the biggest file allowed takes about a second.
MAX_TEMPLATE_BYTES = 256 * 1024

_TAG = "tag:yaml.org,2002:"
_MERGE = _TAG + "merge"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}


class LineDict(dict[str, Any]):
    """A mapping from YAML: `.line` is where it starts, `.key_lines[key]` where each key is."""

    def __init__(self, line: int = 1):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineList(list[Any]):
    """A sequence from YAML: `.line` is where it starts, `.item_lines[i]` where each item is."""

    def __init__(self, line: int = 1):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass
class Document:
    """A loaded YAML document: its value, the line it starts on, and any problems."""

    value: object = None
    line: int = 1
    problems: list[tuple[int, str]] = field(default_factory=list)


class _TooLarge(Exception):
    pass


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _line(node: Node) -> int:
    return cast(int, node.start_mark.line) + 1  # typed loosely in the stubs


def _error_line(exc: yaml.YAMLError, text: str) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return cast(int, mark.line) + 1
    position = getattr(exc, "position", None)  # ReaderError (e.g. a control character)
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return 1


def _error_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if not problem:
        return f"YAML syntax error: {exc}"
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and problem.startswith("but "):  # "expected a single document..., but found..."
        return f"YAML syntax error: {context}, {problem}"
    message = f"YAML syntax error: {problem}"
    if context and mark is not None:
        message += f" ({context} on line {mark.line + 1})"
    return message


def load_yaml(text: str) -> Document:
    """Parse one YAML document from `text`; never raises for bad input.

    The document is composed with PyYAML's SafeLoader and the values are built here:

    * mappings become `LineDict` (`.line`, `.key_lines[key]`) and sequences `LineList`
      (`.line`, `.item_lines[i]`); all lines are 1-based and point where the key/item starts;
    * a duplicate mapping key is a problem at its second occurrence (the first value is kept);
    * mapping keys are always strings: the key's source text (`yes:` is the key "yes");
    * scalars use SafeLoader resolution (str, int, float, bool, None), except timestamps, which
      stay the string written, so every value is JSON-able;
    * anchors, aliases and `<<` merge keys work (a value reached through an alias carries the
      anchored original's lines); recursive aliases and alias bombs are problems;
    * other tags (`!!binary`, `!!set`, `!custom`, ...) are problems, the value built as untagged;
    * a text longer than MAX_TEMPLATE_BYTES characters is a problem, not parsed at all.

    Problems are `(line, message)` pairs; the validator attaches the file name.
    """
    doc = Document()
    if len(text) > MAX_TEMPLATE_BYTES:
        doc.problems.append((1, too_long()))
        return doc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        doc.problems.append((_error_line(exc, text), _error_message(exc)))
        return doc
    except RecursionError:
        doc.problems.append((1, "YAML is nested too deeply"))
        return doc
    if root is None:
        return doc
    doc.line = _line(root)
    builder = _Builder(doc.problems)
    try:
        doc.value = builder.build(root)
    except _TooLarge:
        doc.value = None
        doc.problems.append(
            (doc.line, f"document is too large (more than {MAX_VALUES} values, counting aliases)")
        )
    except RecursionError:
        doc.value = None
        doc.problems.append((doc.line, "YAML is nested too deeply"))
    return doc


def too_long() -> str:
    limit = MAX_TEMPLATE_BYTES // 1024
    return f"the file is bigger than {limit} KB: at most {limit} KB is read (split the template)"


class _Builder:
    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        self.count = 0
        self.active: set[int] = set()  # ids of collection nodes being built (recursion guard)
        self.constructor = SafeConstructor()

    def build(self, node: Node) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooLarge
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            self.problems.append((_line(node), "recursive alias: a value contains itself"))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node)
            assert isinstance(node, MappingNode)  # a composed node is one of the three kinds
            return self.mapping(node)
        finally:
            self.active.discard(id(node))

    def unsupported_tag(self, node: Node) -> None:
        """Report a tag we do not accept; the value is still built as a plain one."""
        self.problems.append((_line(node), f"unsupported YAML tag '{_short(node.tag)}'"))

    def scalar(self, node: ScalarNode) -> object:
        if node.tag == _TAG + "timestamp":
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.unsupported_tag(node)
            return node.value
        try:
            return self.constructor.construct_object(node)
        except Exception:  # e.g. `!!int abc`
            self.problems.append((_line(node), f"'{node.value}' is not a valid {_short(node.tag)}"))
            return node.value

    def sequence(self, node: SequenceNode) -> LineList:
        if node.tag != _TAG + "seq":
            self.unsupported_tag(node)
        result = LineList(_line(node))
        for item in node.value:
            result.append(self.build(item))
            result.item_lines.append(_line(item))
        return result

    def mapping(self, node: MappingNode) -> LineDict:
        if node.tag != _TAG + "map":
            self.unsupported_tag(node)
        own = LineDict(_line(node))
        merged: list[LineDict] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self.merge_sources(value_node))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append((_line(key_node), "mapping keys must be plain values"))
                continue
            key = key_node.value
            if key in own:
                self.problems.append(
                    (
                        _line(key_node),
                        f"duplicate key '{key}' (first defined on line {own.key_lines[key]})",
                    )
                )
                continue
            own[key] = self.build(value_node)
            own.key_lines[key] = _line(key_node)
        if not merged:
            return own
        result = LineDict(own.line)
        for source in merged:  # explicit keys win, then earlier merge sources
            for key, value in source.items():
                if key not in own and key not in result:
                    result[key] = value
                    result.key_lines[key] = source.key_lines[key]
        for key, value in own.items():
            result[key] = value
            result.key_lines[key] = own.key_lines[key]
        return result

    def merge_sources(self, node: Node) -> list[LineDict]:
        nodes = node.value if isinstance(node, SequenceNode) else [node]
        sources = []
        for item in nodes:
            built = self.build(item) if isinstance(item, MappingNode) else None
            if isinstance(built, LineDict):
                sources.append(built)
            elif isinstance(item, MappingNode):
                continue  # its problem is already reported
            else:
                self.problems.append(
                    (_line(item), "a '<<' merge needs a mapping or a list of them")
                )
        return sources


# --- line-aware field readers -------------------------------------------------------------


def describe(value: object) -> str:
    """A short description of a value's type for messages: "string 'yes'", "list", ..."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def line_of(container: object, key: object, default: int = 1) -> int:
    """The line of `container[key]` (a LineDict key or a LineList index), else a fallback."""
    if isinstance(container, LineDict):  # its keys are strings: any other is on its first line
        return (
            container.key_lines.get(key, container.line) if isinstance(key, str) else container.line
        )
    if isinstance(container, LineList) and isinstance(key, int) and key < len(container):
        return container.item_lines[key]
    return cast(int, getattr(container, "line", default))


def key_problem(key: str) -> str | None:
    """Why the string `key` is not a valid key, or None if it is."""
    if len(key) > KEY_MAX:
        return f"is too long ({len(key)} characters, at most {KEY_MAX})"
    if not KEY_RE.match(key):
        return (
            "is not a valid key: use lowercase letters, digits and _, starting with a letter"
            " (^[a-z][a-z0-9_]*$)"
        )
    return None


class Checker:
    """Collects `(line, message)` problems while reading typed fields out of LineDicts."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def mapping(self, value: object, line: int, what: str) -> TypeGuard[LineDict]:
        if isinstance(value, LineDict):
            return True
        self.add(line, f"{what} must be a mapping, got {describe(value)}")
        return False

    def unknown_fields(self, d: LineDict, allowed: Collection[str], what: str) -> None:
        for name in d:
            if name not in allowed:
                self.add(d.key_lines[name], f"unknown field '{name}' in {what}")

    def required_fields(
        self, d: LineDict, required: Iterable[str], what: str, prep: str = "in"
    ) -> bool:
        ok = True
        for name in required:
            if name not in d:
                self.add(d.line, f"missing required field '{name}' {prep} {what}")
                ok = False
        return ok

    def bad_type(self, d: LineDict, name: str, what: str, expected: str) -> None:
        self.add(
            d.key_lines[name],
            f"field '{name}' of {what} must be {expected}, got {describe(d[name])}",
        )

    def key(self, d: LineDict, name: str, what: str) -> str | None:
        """A required key field: the key if valid, else None (problem reported if present)."""
        if name not in d:
            return None
        key = d[name]
        if not isinstance(key, str):
            self.bad_type(d, name, what, "a string")
            return None
        why = key_problem(key)
        if why:
            self.add(d.key_lines[name], f"key '{key}' of {what} {why}")
            return None
        return key

    def string(
        self, d: LineDict, name: str, what: str, required: bool = False, max_length: int = 0
    ) -> str:
        """A string field, stripped; "" when absent, null, or wrong (problem reported)."""
        if name not in d:
            return ""
        value = d[name]
        if value is None and not required:
            return ""
        if value is None or (isinstance(value, str) and not value.strip() and required):
            self.add(d.key_lines[name], f"field '{name}' of {what} must not be empty")
            return ""
        if not isinstance(value, str):
            self.bad_type(d, name, what, "a string")
            return ""
        if max_length and len(value.strip()) > max_length:
            self.add(
                d.key_lines[name],
                f"field '{name}' of {what} is too long ({len(value.strip())} characters,"
                f" at most {max_length})",
            )
        return value.strip()

    def boolean(self, d: LineDict, name: str, what: str, default: bool) -> bool:
        if name not in d:
            return default
        value = d[name]
        if not isinstance(value, bool):
            self.bad_type(d, name, what, "a boolean (true or false)")
            return default
        return value

    def number(
        self,
        d: LineDict,
        name: str,
        what: str,
        whole: bool = False,
        minimum: int | None = None,
        default: float | None = None,
    ) -> float | None:
        """An optional number (int or float; whole=True: int only), None if absent or null."""
        if name not in d or d[name] is None:
            return default
        value = d[name]
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value) and (isinstance(value, int) or not whole)
        if ok and (minimum is None or value >= minimum):
            number: float = value
            return number
        expected = "a whole number" if whole else "a number"
        if minimum is not None:
            expected += f" of at least {minimum}"
        self.bad_type(d, name, what, expected)
        return default

    def list(self, d: LineDict, name: str, what: str) -> LineList | None:
        """A list field: the list, or None when absent, null, or not a list (problem reported)."""
        if name not in d or d[name] is None:
            return None
        value = d[name]
        if not isinstance(value, LineList):
            self.bad_type(d, name, what, "a list")
            return None
        return value
