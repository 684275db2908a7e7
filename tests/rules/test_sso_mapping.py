"""The single sign-on mapping file: read whole, every problem with the file, the line and what
to do; what a token's groups give."""

from pathlib import Path

import pytest

from qa_app.models import Role
from qa_app.rules.sso_mapping import MAX_MAPPING_BYTES, MappingError, load_mapping, parse_mapping

GOOD = """\
# the council's groups
claim: groups
groups:
  - id: 0f4c2d1e-aaaa-bbbb-cccc-111111111111
    name: QA team auditors
    roles: [auditor]
    teams: [Assessment Team 1]
  - id: 0f4c2d1e-aaaa-bbbb-cccc-222222222222
    roles: [qa_lead, moderator]
    teams: [Assessment Team 1, Children in Care]
  - id: 12345
    roles: admin
"""


def problems(text: str) -> list[str]:
    with pytest.raises(MappingError) as raised:
        parse_mapping(text, "mapping.yaml")
    return str(raised.value).splitlines()


def test_a_good_file():
    mapping = parse_mapping(GOOD)
    assert mapping.claim == "groups"
    assert [g.line for g in mapping.groups] == [4, 8, 11]
    assert mapping.groups[0].name == "QA team auditors"
    assert mapping.groups[2].id == "12345" and mapping.groups[2].roles == {Role.ADMIN}
    assert mapping.team_names == ["Assessment Team 1", "Children in Care"]


def test_what_a_tokens_groups_give():
    mapping = parse_mapping(GOOD)
    roles, teams, matched = mapping.grants(
        ["0f4c2d1e-aaaa-bbbb-cccc-111111111111", "0f4c2d1e-aaaa-bbbb-cccc-222222222222", "x"]
    )
    assert roles == {Role.AUDITOR, Role.QA_LEAD, Role.MODERATOR}
    assert teams == ["Assessment Team 1", "Children in Care"]
    assert len(matched) == 2
    assert mapping.grants(["unknown", None, {"id": 1}]) == (set(), [], [])
    assert mapping.grants([12345])[0] == {Role.ADMIN}


def test_app_roles():
    mapping = parse_mapping(
        "claim: roles\ngroups:\n  - id: PracticeQA.Auditor\n    roles: [auditor]\n"
    )
    assert mapping.claim == "roles"


def test_unknown_role_missing_id_duplicate_id_unknown_keys():
    text = """\
claim: groups
groups:
  - id: a
    roles: [auditor, chief]
  - roles: [auditor]
  - id: a
    roles: [moderator]
    colour: red
"""
    assert problems(text) == [
        "mapping.yaml:4: unknown role 'chief': use admin, qa_lead, moderator, auditor, "
        "senior_manager, board_viewer",
        "mapping.yaml:5: this group has no id: add the group's object id or app role",
        "mapping.yaml:6: the id 'a' is already mapped on line 3: give each group once, with all "
        "its roles and teams",
        "mapping.yaml:8: unknown key 'colour' in a group: the keys are id, name, roles, teams",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "claim: group\ngroups:\n  - id: a\n    roles: [auditor]\n",
            "1: claim must be groups or roles",
        ),
        ("groups: {id: a}\n", "1: groups must be a list"),
        ("claim: groups\n", "1: the file has no groups"),
        ("groups:\n  - id: a\n", "2: this group has no roles"),
        ("groups:\n  - id: a\n    roles: []\n", "3: roles is empty"),
        ("groups:\n  - id: a\n    roles: {x: 1}\n", "3: roles must be a list"),
        ("groups:\n  - id: [a, b]\n    roles: [auditor]\n", "2: id must be a single value"),
        ("groups:\n  - id: a\n    roles: [auditor]\n    teams: 7\n", None),
        ("groups:\n  - a\n", "2: each group must be a mapping"),
        ("- a\n", "1: the file must be a mapping"),
        ("groups:\n  - id: a\n   roles: [x\n", "YAML syntax error"),
        (
            "colour: red\ngroups:\n  - id: a\n    roles: [auditor]\n",
            "1: unknown key 'colour' at the top",
        ),
    ],
)
def test_wrong_shapes(text, expected):
    if expected is None:  # a single team may be written without brackets
        assert parse_mapping(text).groups[0].teams == ("7",)
        return
    found = problems(text)
    assert any(expected in p for p in found), found
    assert all(p.startswith("mapping.yaml:") for p in found)


def test_files(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(GOOD)
    assert len(load_mapping(path).groups) == 3
    path.write_bytes(b"groups:\n  - id: \xff\n")
    with pytest.raises(MappingError, match="not UTF-8"):
        load_mapping(path)
    path.write_text("#" * (MAX_MAPPING_BYTES + 1))
    with pytest.raises(MappingError, match="over 256 KB"):
        load_mapping(path)
    with pytest.raises(MappingError, match=r"nowhere.yaml:1: the file cannot be read"):
        load_mapping(tmp_path / "nowhere.yaml")


def test_the_shipped_example_reads():
    example = Path(__file__).resolve().parents[2] / "deploy" / "sso_mapping.example.yaml"
    mapping = load_mapping(example)
    assert mapping.claim == "groups"
    assert {role for group in mapping.groups for role in group.roles} == set(Role)
    assert mapping.team_names == ["Assessment Team 1"]
