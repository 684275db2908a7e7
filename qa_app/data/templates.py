"""Storing validated audit templates as immutable versions, and reading them back.

Loading a changed template creates a new version; loading an unchanged one does nothing.
A version's content is the normalised template plus a snapshot of the scales and themes it
uses, so it reads the same however the shared vocabulary changes later."""

from dataclasses import dataclass

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import AuditTemplate, Scale, TemplateVersion, Theme, User
from qa_app.templates_engine.content import content_hash, version_content
from qa_app.templates_engine.validate import TemplateLibrary


@dataclass(frozen=True)
class LoadResult:
    key: str
    outcome: str  # "created" | "new_version" | "unchanged"
    version: int


def _upsert_vocabulary(library: TemplateLibrary, actor: User | None) -> None:
    existing_scales = {s.key: s for s in db.session.scalars(select(Scale))}
    for key, scale in library.scales.items():
        row = existing_scales.get(key)
        if row is None:
            db.session.add(Scale(key=key, name=scale["name"], definition=scale))
            changelog.record(actor, "scale", key, "created", {"name": scale["name"]})
        elif row.definition != scale:
            changelog.record(
                actor, "scale", key, "updated", {"definition": [row.definition, scale]}
            )
            row.name, row.definition = scale["name"], scale
    existing_themes = {t.key: t for t in db.session.scalars(select(Theme))}
    for key, theme in library.themes.items():
        theme_row = existing_themes.get(key)
        if theme_row is None:
            db.session.add(Theme(key=key, name=theme["name"], description=theme["description"]))
            changelog.record(actor, "theme", key, "created", {"name": theme["name"]})
        elif (theme_row.name, theme_row.description, theme_row.active) != (
            theme["name"],
            theme["description"],
            True,
        ):
            changelog.record(
                actor,
                "theme",
                key,
                "updated",
                changelog.diff(
                    {
                        "name": theme_row.name,
                        "description": theme_row.description,
                        "active": theme_row.active,
                    },
                    {"name": theme["name"], "description": theme["description"], "active": True},
                ),
            )
            theme_row.name, theme_row.description, theme_row.active = (
                theme["name"],
                theme["description"],
                True,
            )
    for key, theme_row in existing_themes.items():
        if key not in library.themes and theme_row.active:
            theme_row.active = False  # kept for history; no longer offered
            changelog.record(actor, "theme", key, "retired")


def store_library(
    library: TemplateLibrary, actor: User | None = None, *, loaded_by: str | None = None
) -> list[LoadResult]:
    """Store every template in a validated library, in one transaction.

    A template whose file is no longer in the library is retired (kept, with its versions,
    for the audits that use it, but no longer offered); loading it again reinstates it.
    `loaded_by` describes who loaded when there is no signed-in actor (e.g. the CLI)."""
    _upsert_vocabulary(library, actor)
    results = []
    source = {"loaded_by": loaded_by} if loaded_by else {}
    for key, template in library.templates.items():
        content = version_content(template, library.scales, library.themes)
        digest = content_hash(content)
        row = db.session.scalar(select(AuditTemplate).where(AuditTemplate.key == key))
        if row is None:
            row = AuditTemplate(key=key, name=template["name"], kind=template["kind"])
            db.session.add(row)
            db.session.flush()
            latest = None
        else:
            latest = db.session.scalar(
                select(TemplateVersion)
                .where(TemplateVersion.template_id == row.id)
                .order_by(TemplateVersion.number.desc())
                .limit(1)
            )
        if latest is not None and latest.content_hash == digest:
            if not row.active:
                row.active = True
                changelog.record(actor, "template", key, "reinstated", source)
            results.append(LoadResult(key, "unchanged", latest.number))
            continue
        number = 1 if latest is None else latest.number + 1
        row.name, row.kind, row.active = template["name"], template["kind"], True
        version = TemplateVersion(
            template_id=row.id,
            number=number,
            content=content,
            content_hash=digest,
            source_file=library.files.get(key, ""),
            created_by_id=getattr(actor, "id", None),
        )
        db.session.add(version)
        db.session.flush()
        changelog.record(
            actor,
            "template",
            key,
            "version_created",
            {"version": number, "hash": digest, "file": version.source_file, **source},
        )
        results.append(LoadResult(key, "created" if number == 1 else "new_version", number))
    retired = select(AuditTemplate).where(
        AuditTemplate.active.is_(True), AuditTemplate.key.not_in(list(library.templates))
    )
    for row in db.session.scalars(retired):
        row.active = False
        changelog.record(actor, "template", row.key, "retired", source)
        results.append(LoadResult(row.key, "retired", len(row.versions)))
    db.session.commit()
    return results


@dataclass(frozen=True)
class TemplateSummary:
    template: AuditTemplate
    latest_version: int
    version_count: int


def list_templates() -> list[TemplateSummary]:
    stmt = (
        select(AuditTemplate, func.max(TemplateVersion.number), func.count(TemplateVersion.id))
        .join(TemplateVersion, TemplateVersion.template_id == AuditTemplate.id)
        .group_by(AuditTemplate.id)
        .order_by(AuditTemplate.active.desc(), AuditTemplate.name)
    )
    return [TemplateSummary(t, latest, count) for t, latest, count in db.session.execute(stmt)]


def get_template(key: str) -> AuditTemplate | None:
    return db.session.scalar(select(AuditTemplate).where(AuditTemplate.key == key))


def get_version(key: str, number: int) -> TemplateVersion | None:
    return db.session.scalar(
        select(TemplateVersion)
        .join(AuditTemplate)
        .where(AuditTemplate.key == key, TemplateVersion.number == number)
    )
