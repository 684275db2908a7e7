"""Storing audit templates as immutable versions: store_library."""

import shutil
from pathlib import Path

from conftest import REPO
from sqlalchemy import func, select, text

from qa_app.data.templates import get_version, list_templates, store_library
from qa_app.extensions import db
from qa_app.models import AuditTemplate, ChangeLogEntry, Role, Scale, TemplateVersion, Theme
from qa_app.templates_engine.content import content_hash
from qa_app.templates_engine.validate import validate_path

SHIPPED = {
    "cin_plan",
    "cp_plan_visits",
    "icpc_reports",
    "observe_meeting",
    "shadow_practitioner",
    "single_assessment",
}


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "audit_templates"
    shutil.copytree(REPO / "audit_templates", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    source = path.read_text()
    assert source.count(old) == 1, f"{old!r} not found exactly once in {path.name}"
    path.write_text(source.replace(old, new))


def _library(directory: Path):
    library, problems = validate_path(directory)
    assert not problems, problems
    return library


def _load(directory: Path, actor=None) -> dict[str, tuple[str, int]]:
    return {r.key: (r.outcome, r.version) for r in store_library(_library(directory), actor=actor)}


def _version_count() -> int:
    return db.session.scalar(select(func.count(TemplateVersion.id)))


def _raw_versions() -> dict[int, tuple[str, str, str]]:
    """Every stored version's row as the database holds it: content as text, hash, file."""
    rows = db.session.execute(
        text("SELECT id, CAST(content AS TEXT), content_hash, source_file FROM template_versions")
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _numbers(key: str) -> list[int]:
    return list(
        db.session.scalars(
            select(TemplateVersion.number)
            .join(AuditTemplate)
            .where(AuditTemplate.key == key)
            .order_by(TemplateVersion.number)
        )
    )


def _version_log() -> list[ChangeLogEntry]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == "template", ChangeLogEntry.action == "version_created"
            )
            .order_by(ChangeLogEntry.id)
        )
    )


def test_first_load_creates_version_1_of_each_template(app):
    results = _load(REPO / "audit_templates")

    assert results == {key: ("created", 1) for key in SHIPPED}
    assert _version_count() == len(SHIPPED)
    for key in SHIPPED:
        version = get_version(key, 1)
        assert version.content["template"]["key"] == key
        assert version.content_hash == content_hash(version.content)
        assert version.source_file.endswith(f"{key}.yaml")
    assert {s.template.key: (s.latest_version, s.version_count) for s in list_templates()} == {
        key: (1, 1) for key in SHIPPED
    }


def test_first_load_stores_the_shared_scales_and_themes(app):
    library = _library(REPO / "audit_templates")
    store_library(library)
    assert set(db.session.scalars(select(Scale.key))) == set(library.scales)
    assert set(db.session.scalars(select(Theme.key))) == set(library.themes)


def test_version_content_snapshots_only_the_scales_and_themes_the_template_uses(app):
    _load(REPO / "audit_templates")
    icpc = get_version("icpc_reports", 1).content
    assert set(icpc["scales"]) == {"three_point"}
    assert "purposeful_visits" not in icpc["themes"]
    assert {"voice_of_child", "multi_agency_working"} <= set(icpc["themes"])
    assert icpc["scales"]["three_point"]["levels"][1]["label"] == "Adequate"


def test_loading_an_unchanged_library_again_creates_nothing(app):
    _load(REPO / "audit_templates")
    count, rows, log = _version_count(), _raw_versions(), len(_version_log())
    all_log = db.session.scalar(select(func.count(ChangeLogEntry.id)))

    results = _load(REPO / "audit_templates")

    assert results == {key: ("unchanged", 1) for key in SHIPPED}
    assert _version_count() == count
    assert _raw_versions() == rows
    assert len(_version_log()) == log
    assert db.session.scalar(select(func.count(ChangeLogEntry.id))) == all_log


def test_unchanged_copy_in_another_directory_is_still_unchanged(app, tmp_path):
    _load(REPO / "audit_templates")
    results = _load(_copy(tmp_path))
    assert results == {key: ("unchanged", 1) for key in SHIPPED}
    assert _version_count() == len(SHIPPED)


def test_changed_file_creates_version_2_and_leaves_version_1_byte_for_byte(app, tmp_path):
    _load(REPO / "audit_templates")
    before = _raw_versions()
    v1_id = get_version("cin_plan", 1).id
    directory = _copy(tmp_path)
    _edit(
        directory / "cin_plan.yaml",
        "text: Primary need recorded for the child\n",
        "text: Primary need recorded for the child in the census\n",
    )

    results = _load(directory)

    assert results["cin_plan"] == ("new_version", 2)
    assert {k: v for k, v in results.items() if k != "cin_plan"} == {
        key: ("unchanged", 1) for key in SHIPPED - {"cin_plan"}
    }
    assert _numbers("cin_plan") == [1, 2]
    after = _raw_versions()
    assert set(after) == set(before) | {get_version("cin_plan", 2).id}
    for version_id, row in before.items():
        assert after[version_id] == row  # no stored version was touched
    db.session.expire_all()
    v1 = db.session.get(TemplateVersion, v1_id)
    assert v1.content_hash == content_hash(v1.content)
    texts = [q["text"] for s in v1.content["template"]["sections"] for q in s["questions"]]
    assert "Primary need recorded for the child" in texts
    v2 = get_version("cin_plan", 2)
    assert v2.content_hash != v1.content_hash
    assert "Primary need recorded for the child in the census" in [
        q["text"] for s in v2.content["template"]["sections"] for q in s["questions"]
    ]


def test_loading_the_old_file_again_after_a_change_makes_a_third_version(app, tmp_path):
    _load(REPO / "audit_templates")
    directory = _copy(tmp_path)
    _edit(
        directory / "cin_plan.yaml",
        "name: Child in need plan\n",
        "name: Child in need plan audit\n",
    )
    _load(directory)

    results = _load(REPO / "audit_templates")

    assert results["cin_plan"] == ("new_version", 3)
    assert get_version("cin_plan", 3).content == get_version("cin_plan", 1).content
    assert (
        db.session.scalar(select(AuditTemplate.name).where(AuditTemplate.key == "cin_plan"))
        == "Child in need plan"
    )


def test_theme_description_change_makes_a_new_version_of_only_the_templates_using_it(app, tmp_path):
    """Documented behaviour: a version snapshots the themes it uses, so rewording a theme in
    themes.yaml (no template file touched) gives each template using it a new version, and
    leaves the others alone."""
    _load(REPO / "audit_templates")
    directory = _copy(tmp_path)
    _edit(
        directory / "themes.yaml",
        "include direct work with the\n",
        "always include direct work with the\n",
    )

    results = _load(directory)

    assert results == {
        "cin_plan": ("new_version", 2),
        "cp_plan_visits": ("new_version", 2),
        "icpc_reports": ("unchanged", 1),
        "observe_meeting": ("unchanged", 1),
        "shadow_practitioner": ("new_version", 2),  # it targets purposeful visits too
        "single_assessment": ("unchanged", 1),
    }
    old = get_version("cin_plan", 1).content["themes"]["purposeful_visits"]["description"]
    new = get_version("cin_plan", 2).content["themes"]["purposeful_visits"]["description"]
    assert "always include direct work" not in old
    assert "always include direct work" in new
    theme = db.session.scalar(select(Theme).where(Theme.key == "purposeful_visits"))
    assert "always include direct work" in theme.description
    [entry] = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "theme", ChangeLogEntry.action == "updated"
        )
    )
    assert entry.entity_id == "purposeful_visits"
    assert list(entry.changes) == ["description"]


def test_scale_change_makes_a_new_version_of_only_the_templates_on_that_scale(app, tmp_path):
    _load(REPO / "audit_templates")
    directory = _copy(tmp_path)
    _edit(directory / "scales.yaml", "label: Adequate\n", "label: Adequate (meets the basics)\n")

    results = _load(directory)

    assert results["icpc_reports"] == ("new_version", 2)
    assert {k: v for k, v in results.items() if k != "icpc_reports"} == {
        key: ("unchanged", 1) for key in SHIPPED - {"icpc_reports"}
    }
    labels = [
        lvl["label"]
        for lvl in get_version("icpc_reports", 1).content["scales"]["three_point"]["levels"]
    ]
    assert labels == ["Good", "Adequate", "Inadequate"]


def test_new_theme_no_template_uses_makes_no_new_version(app, tmp_path):
    _load(REPO / "audit_templates")
    directory = _copy(tmp_path)
    themes = directory / "themes.yaml"
    themes.write_text(
        themes.read_text()
        + (
            "\n  - key: sibling_relationships\n    name: Sibling relationships\n"
            "    description: Brothers and sisters are kept together where it is safe.\n"
        )
    )

    results = _load(directory)

    assert results == {key: ("unchanged", 1) for key in SHIPPED}
    assert _version_count() == len(SHIPPED)
    assert (
        db.session.scalar(select(Theme.name).where(Theme.key == "sibling_relationships"))
        == "Sibling relationships"
    )


def test_each_new_version_is_recorded_in_the_change_log_with_who_loaded_it(
    app, make_user, tmp_path
):
    lead = make_user(Role.QA_LEAD)
    _load(REPO / "audit_templates", actor=lead)

    entries = _version_log()
    assert sorted(e.entity_id for e in entries) == sorted(SHIPPED)
    for entry in entries:
        version = get_version(entry.entity_id, 1)
        assert entry.user_id == lead.id
        assert entry.changes["version"] == 1
        assert entry.changes["hash"] == version.content_hash
        assert entry.changes["file"] == version.source_file
        assert version.created_by_id == lead.id

    directory = _copy(tmp_path)
    _edit(directory / "icpc_reports.yaml", "text: Comment\n", "text: Any other comment\n")
    _load(directory, actor=lead)

    entries = _version_log()
    assert len(entries) == 7
    assert (entries[-1].entity_id, entries[-1].changes["version"]) == ("icpc_reports", 2)


def test_load_with_no_actor_records_no_user(app):
    _load(REPO / "audit_templates")
    assert {e.user_id for e in _version_log()} == {None}
    assert {v.created_by_id for v in db.session.scalars(select(TemplateVersion))} == {None}


def test_a_template_whose_file_is_removed_is_retired_and_reinstated_when_back(tmp_path):
    import shutil

    from qa_app.data.templates import list_templates, store_library
    from qa_app.models import AuditTemplate, ChangeLogEntry
    from qa_app.templates_engine.validate import validate_path

    shutil.copytree(REPO / "audit_templates", tmp_path / "t")
    store_library(validate_path(tmp_path / "t")[0])
    (tmp_path / "t" / "cin_plan.yaml").rename(tmp_path / "cin_plan.yaml")
    results = store_library(validate_path(tmp_path / "t")[0], loaded_by="command line (test)")
    assert ("cin_plan", "retired") in [(r.key, r.outcome) for r in results]
    row = db.session.scalar(db.select(AuditTemplate).where(AuditTemplate.key == "cin_plan"))
    assert row.active is False and len(row.versions) == 1  # kept for the audits that use it
    assert [s.template.key for s in list_templates()][-1] == "cin_plan"  # listed last
    log = db.session.scalars(
        db.select(ChangeLogEntry).where(ChangeLogEntry.action == "retired")
    ).one()
    assert log.changes == {"loaded_by": "command line (test)"}
    (tmp_path / "cin_plan.yaml").rename(tmp_path / "t" / "cin_plan.yaml")
    results = store_library(validate_path(tmp_path / "t")[0])
    assert ("cin_plan", "unchanged") in [(r.key, r.outcome) for r in results]
    db.session.refresh(row)
    assert row.active is True and len(row.versions) == 1
