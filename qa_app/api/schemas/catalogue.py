"""Schemas of templates, cycles and the cases added to them: what the API answers, and the
bodies that create a cycle and add a case."""

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from qa_app.api.schemas.base import (
    Body,
    Count,
    Date,
    DateIn,
    DateTime,
    Filled,
    Key,
    Shape,
    optional,
    text,
    whole,
)
from qa_app.models import Case, CycleKind

Kind = Literal[tuple(k.value for k in CycleKind)]  # type: ignore[valid-type]
# A follow-up cycle is made from the cycle it follows (the web page or `qa cycle follow-up`).
CreateKind = Literal[tuple(k.value for k in CycleKind if k != CycleKind.FOLLOW_UP)]  # type: ignore[valid-type]
# What the cases table holds: a longer reference or worker is refused before it reaches it.
CASE_REFERENCE_LENGTH = Case.__table__.c.case_reference.type.length
WORKER_LENGTH = Case.__table__.c.worker.type.length
CaseReference = Annotated[
    Filled,
    Field(
        max_length=CASE_REFERENCE_LENGTH,
        description="The authority's case number (never a child's name); must match the "
        "organisation's case-reference pattern",
    ),
]
Worker = Annotated[str, text(WORKER_LENGTH)]


# ---- templates ----------------------------------------------------------------------------


class TemplateSummary(Shape):
    key: str = Field(examples=["single_assessment"])
    name: str
    kind: str
    active: bool = Field(description="false: retired, kept for old audits")
    latest_version: int
    version_count: int


class TemplateList(Shape):
    items: list[TemplateSummary]


class TemplateVersionSummary(Shape):
    number: int = Field(ge=1)
    created_at: DateTime
    content_hash: str = Field(description="SHA-256 of the stored content")
    source_file: str


class Template(Shape):
    key: str
    name: str
    kind: str
    active: bool
    latest_version: int | None
    versions: list[TemplateVersionSummary]


class TemplateContent(Shape):
    """Immutable: the template as loaded, with its vocabulary. Field names for answers come
    from its question keys (see PATCH /audits/{audit_id})."""

    model_config = ConfigDict(extra="allow")
    template: dict[str, Any] = Field(description="The normalised template")
    scales: dict[str, Any] = Field(description="Snapshots of the scales it uses")
    themes: dict[str, Any] = Field(description="Snapshots of the themes it uses")


class TemplateVersion(TemplateVersionSummary):
    key: str
    content: TemplateContent


# ---- cycles -------------------------------------------------------------------------------


class Progress(Shape):
    total: Count
    not_started: Count
    in_progress: Count
    submitted: Count
    moderated: Count
    overdue: Count


class Cycle(Shape):
    id: int
    name: str
    kind: Kind
    description: str
    period_start: Date
    period_end: Date
    due_date: Date | None
    templates: list[str]
    theme_focus: str | None
    moderation_share: int = Field(ge=0, le=100)
    status: str
    progress: Progress
    case_list_size: Count
    follows: int | None = Field(
        description="A follow-up cycle: the id of the cycle whose children it audits again"
    )
    months_after: int | None = Field(
        description="A follow-up cycle: months after the followed cycle's period ended"
    )


class CycleList(Shape):
    items: list[Cycle]


class CycleCreate(Body):
    name: Annotated[Filled, Field(max_length=200)]
    kind: CreateKind
    description: Annotated[str, text(20000)] | None = None
    period_start: DateIn
    period_end: DateIn
    due_date: DateIn | None = None
    templates: list[Key] = Field(
        min_length=1,
        json_schema_extra={"uniqueItems": True},
        description="Keys of active templates, each once",
    )
    theme_focus: Key | None = Field(None, description="An active theme key")
    moderation_share: whole(ge=0, le=100) | None = 10


class CaseCreate(Body):
    case_reference: CaseReference
    team: Filled = Field(description="Name of an active team")
    worker: Worker | None = optional(
        description="The case's worker: updates a known case's worker; null or an empty "
        "string clears it. Left out: a known case keeps its worker"
    )
    template: Key = Field(description="Key of one of the cycle's templates")
