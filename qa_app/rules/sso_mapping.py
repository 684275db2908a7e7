"""The single sign-on mapping file: which of the council's directory groups (or app roles) give
which Practice QA roles and teams. Read and checked whole, pure: every problem names the file
and the line and says what to do. Team names are checked against the database elsewhere (at
sign-in and by `flask qa sso check`), since this floor has no database.

    claim: groups            # the ID token claim holding group ids (or `roles`: app roles)
    groups:
      - id: 0f4c2d1e-...     # as the token carries it
        name: QA auditors    # optional, for people reading the file
        roles: [auditor]
        teams: [Assessment Team 1]   # optional
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qa_app.models.users import Role

MAX_MAPPING_BYTES = 256 * 1024  # far more than any council's groups
CLAIMS = ("groups", "roles")
_TOP_KEYS = {"claim", "groups"}
_GROUP_KEYS = {"id", "name", "roles", "teams"}
_ROLE_VALUES = ", ".join(r.value for r in Role)


@dataclass(frozen=True)
class Group:
    id: str
    roles: frozenset[Role]
    teams: tuple[str, ...] = ()
    name: str = ""
    line: int = 0


@dataclass(frozen=True)
class Mapping:
    claim: str
    groups: tuple[Group, ...]

    def grants(self, token_groups: Iterable[object]) -> tuple[set[Role], list[str], list[str]]:
        """(roles, team names, the group ids that matched) for the groups a token carries."""
        carried = {str(g) for g in token_groups if isinstance(g, str | int)}
        roles: set[Role] = set()
        teams: list[str] = []
        matched = []
        for group in self.groups:
            if group.id in carried:
                matched.append(group.id)
                roles |= group.roles
                teams += [t for t in group.teams if t not in teams]
        return roles, sorted(teams), matched

    @property
    def team_names(self) -> list[str]:
        return sorted({t for g in self.groups for t in g.teams})


@dataclass
class MappingError(Exception):
    """The file's problems, each as (line, message); str() gives them as `file:line: message`."""

    path: str
    problems: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(f"{self.path}:{line}: {message}" for line, message in self.problems)


def _line(node: Node) -> int:
    return cast(int, node.start_mark.line) + 1


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"the value {node.value!r}" if isinstance(node, ScalarNode) else "something else"


def _text(node: Node, what: str, problems: list[tuple[int, str]]) -> str | None:
    """A plain, non-empty scalar as text (a number is read as its digits), or None."""
    if not isinstance(node, ScalarNode) or not str(node.value).strip():
        problems.append((_line(node), f"{what} must be a single value, not {_kind(node)}"))
        return None
    return str(node.value).strip()


def _texts(node: Node, what: str, problems: list[tuple[int, str]]) -> list[str] | None:
    if isinstance(node, ScalarNode):  # `roles: auditor` for a single one
        one = _text(node, what, problems)
        return [one] if one else None
    if not isinstance(node, SequenceNode):
        problems.append((_line(node), f"{what} must be a list, like [auditor], not {_kind(node)}"))
        return None
    values = [_text(item, f"each of {what}", problems) for item in node.value]
    return [v for v in values if v]


def _pairs(
    node: MappingNode, allowed: set[str], where: str, problems: list[tuple[int, str]]
) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, ScalarNode) else ""
        if key not in allowed:
            keys = ", ".join(sorted(allowed))
            problems.append((_line(key_node), f"unknown key {key!r} {where}: the keys are {keys}"))
        elif key in found:
            problems.append((_line(key_node), f"{key!r} is given twice {where}: keep one"))
        else:
            found[key] = value_node
    return found


def _group(node: Node, seen: dict[str, int], problems: list[tuple[int, str]]) -> Group | None:
    if not isinstance(node, MappingNode):
        problems.append(
            (_line(node), f"each group must be a mapping with id and roles, not {_kind(node)}")
        )
        return None
    line = _line(node)
    found = _pairs(node, _GROUP_KEYS, "in a group", problems)
    if "id" not in found:
        problems.append((line, "this group has no id: add the group's object id or app role"))
        ident = None
    else:
        ident = _text(found["id"], "id", problems)
    if ident is not None and ident in seen:
        problems.append(
            (
                _line(found["id"]),
                f"the id {ident!r} is already mapped on line {seen[ident]}: "
                "give each group once, with all its roles and teams",
            )
        )
    elif ident is not None:
        seen[ident] = _line(found["id"])
    roles: set[Role] = set()
    if "roles" not in found:
        problems.append(
            (line, f"this group has no roles: add roles, one or more of {_ROLE_VALUES}")
        )
    else:
        values = _texts(found["roles"], "roles", problems)
        if values == []:
            problems.append(
                (_line(found["roles"]), f"roles is empty: add one or more of {_ROLE_VALUES}")
            )
        for value in values or []:
            try:
                roles.add(Role(value))
            except ValueError:
                problems.append(
                    (_line(found["roles"]), f"unknown role {value!r}: use {_ROLE_VALUES}")
                )
    teams = _texts(found["teams"], "teams", problems) if "teams" in found else []
    name = _text(found["name"], "name", problems) if "name" in found else ""
    if ident is None or not roles:
        return None
    return Group(ident, frozenset(roles), tuple(teams or ()), name or "", line)


def parse_mapping(text: str, path: str = "mapping") -> Mapping:
    """The mapping in `text`, or MappingError with every problem found."""
    problems: list[tuple[int, str]] = []
    if len(text) > MAX_MAPPING_BYTES:
        raise MappingError(path, [(1, f"the file is over {MAX_MAPPING_BYTES // 1024} KB")])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = cast(int, mark.line) + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "the file could not be read"
        raise MappingError(path, [(line, f"YAML syntax error: {problem}")]) from None
    if not isinstance(root, MappingNode):
        line = _line(root) if root is not None else 1
        raise MappingError(path, [(line, "the file must be a mapping with claim and groups")])
    found = _pairs(root, _TOP_KEYS, "at the top of the file", problems)
    claim = "groups"
    if "claim" in found:
        claim = _text(found["claim"], "claim", problems) or claim
        if claim not in CLAIMS:
            problems.append(
                (_line(found["claim"]), f"claim must be groups or roles, not {claim!r}")
            )
    groups: list[Group] = []
    if "groups" not in found:
        problems.append((_line(root), "the file has no groups: add a groups list"))
    elif not isinstance(found["groups"], SequenceNode) or not found["groups"].value:
        problems.append(
            (_line(found["groups"]), "groups must be a list of groups, each with id and roles")
        )
    else:
        seen: dict[str, int] = {}
        for item in found["groups"].value:
            if group := _group(item, seen, problems):
                groups.append(group)
    if problems:
        raise MappingError(path, sorted(problems))
    return Mapping(claim, tuple(groups))


def load_mapping(path: str | Path) -> Mapping:
    """The mapping file at `path`, or MappingError (a missing or unreadable file included)."""
    where = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_MAPPING_BYTES + 1)
    except OSError as exc:
        raise MappingError(where, [(1, f"the file cannot be read ({exc.strerror})")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MappingError(where, [(1, "the file is not UTF-8 text")]) from None
    return parse_mapping(text, where)
