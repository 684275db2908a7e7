"""Audit templates as data: grading scales, the theme vocabulary, templates and their versions.

A template version's content is immutable once stored: editing the YAML and loading it again
creates a new version, and audits keep the version they were started with.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped, utcnow


class Scale(Timestamped, Base):
    __tablename__ = "scales"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # {"key", "name", "description", "levels": [{"key", "label", "description"}]}, best first
    definition: Mapped[dict] = mapped_column(JSON)


class Theme(Timestamped, Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)


class AuditTemplate(Timestamped, Base):
    __tablename__ = "audit_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="case_audit")
    active: Mapped[bool] = mapped_column(default=True)

    versions: Mapped[list["TemplateVersion"]] = relationship(
        back_populates="template", order_by="TemplateVersion.number"
    )


class TemplateVersion(Base):
    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("audit_templates.id"), index=True)
    number: Mapped[int]
    # The normalised template plus snapshots of the scales and themes it uses, so the version
    # reads the same however the shared vocabulary changes later.
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_file: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    template: Mapped[AuditTemplate] = relationship(back_populates="versions")
