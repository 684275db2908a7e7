"""Schemas of the improvement plan: plans, actions, their impact and progress updates, and the
bodies that create and change them."""

from typing import Annotated, Literal

from pydantic import Field

from qa_app.api.schemas.base import (
    Body,
    Count,
    Date,
    DateIn,
    DateTime,
    Filled,
    Id,
    Key,
    Shape,
    Text,
    optional,
    text,
)
from qa_app.data.improvement import NOTE_MAX, TEXT_MAX
from qa_app.models import ActionSource, ActionStatus

STATUSES = tuple(s.value for s in ActionStatus)
Status = Annotated[
    Literal[STATUSES],  # type: ignore[valid-type]
    Field(description="not_started, on_track, at_risk, off_track or complete"),
]
Source = Literal[tuple(s.value for s in ActionSource)]  # type: ignore[valid-type]
Rag = Annotated[
    Literal["grey", "green", "amber", "red", "blue"],
    Field(
        description="The status's colour: grey not started, green on track, amber at risk, "
        "red off track, blue complete"
    ),
]
Description = Annotated[Filled, Field(max_length=TEXT_MAX)]
LongText = Annotated[str, text(TEXT_MAX)]


class Share(Shape):
    n: Count = Field(description="Audits that marked the theme")
    strength: Count
    development: Count
    not_seen: Count
    percent: int | None = Field(
        ge=0, le=100, description="The strength share (rounded half up); null when n is 0"
    )
    from_: Date = Field(alias="from")
    to: Date


class ThemeImpact(Shape):
    theme: str
    name: str
    before: Share = Field(description="Completed audits in the months before work began")
    since: Share = Field(description="Completed audits since work began")
    enough: bool = Field(description="Both sides have enough audits to say anything")
    change: int | None = Field(
        description="Percentage points, since minus before; null when there are too few "
        "audits to tell"
    )
    sentence: str = Field(description="The impact in plain words")


class ActionImpact(Shape):
    message: str = Field(
        description="Empty when the themes are measured; otherwise why not (not started yet, "
        "or no themes targeted)"
    )
    themes: list[ThemeImpact] = Field(description="One per targeted theme, in the action's order")


class PlanRef(Shape):
    id: int
    title: str


class Priority(Shape):
    id: int
    number: int
    title: str


class ImprovementActionSummary(Shape):
    id: int
    plan: PlanRef
    number: int = Field(ge=1, description="Unique in the plan, never reused")
    priority: Priority | None
    description: str
    owner: str | None = Field(description="The owner's username")
    owner_name: str | None = Field(description="The owner's display name")
    due_date: Date | None
    status: Status
    rag: Rag
    overdue: bool = Field(description="Past its due date and not complete")
    started_on: Date | None = Field(
        description="When work began: impact compares before and since this day"
    )
    completed_on: Date | None
    source_kind: Source
    source_cycle: int | None = Field(description="The audit cycle it answers")
    source_week: int | None = Field(description="The practice week it answers")
    source_note: str
    themes: list[str] = Field(description="Theme keys")
    expected_outcome: str
    lock_version: int = Field(description="The action's version: send it back with every change")
    created_at: DateTime
    updated_at: DateTime


class ImprovementActionList(Shape):
    items: list[ImprovementActionSummary]
    total: int = Field(ge=0)
    limit: int = Field(ge=1, le=200)
    offset: int = Field(ge=0)


class ActionUpdate(Shape):
    id: int
    at: DateTime
    author: str | None = Field(description="The author's username")
    author_name: str | None
    note: str
    status_from: str | None = Field(description="Set when the status changed")
    status_to: str | None


class ImprovementAction(ImprovementActionSummary):
    updates: list[ActionUpdate] = Field(description="Progress updates, oldest first")
    impact: ActionImpact
    can_update: bool = Field(description="Whether the caller may post progress on it")


class ActionFields(Body):
    """What creating or changing an action may set. Left out: unchanged (or the default); null
    clears an id, an owner or a date; text takes "" instead."""

    description: Description = optional()
    priority: Id | None = optional(description="One of the plan's priorities (id); null: none")
    owner: Text | None = optional(description="The username of an active account; null: none")
    due_date: DateIn | None = optional()
    status: Status = optional()
    started_on: DateIn | None = optional(
        description="When work began; set to today when the status first leaves not_started, "
        "unless given"
    )
    source_kind: Source = optional()
    source_cycle: Id | None = optional(description="An audit cycle's id")
    source_week: Id | None = optional(description="A practice week's id")
    source_note: Annotated[str, text(NOTE_MAX)] = optional(
        description="A source with no record here, e.g. an inspection's recommendation"
    )
    themes: list[Key] = optional(description="Keys of active themes the action targets")
    expected_outcome: LongText = optional()


class ImprovementActionCreate(ActionFields):
    plan: Id = Field(description="The plan's id (an active plan)")
    description: Description


class ImprovementActionPatch(ActionFields):
    lock_version: Id
    note: LongText | None = Field(None, description="Recorded as a progress update with the change")


class ProgressUpdateCreate(Body):
    note: Description
    status: Status | None = Field(None, description="A new status, if it changed")
    lock_version: Id | None = Field(None, description="If sent, 409 when the action has changed")


class ImprovementPlan(Shape):
    id: int
    title: str
    description: str
    starts_on: Date | None
    ends_on: Date | None
    status: Literal["active", "closed"]
    priorities: list[Priority]
    by_status: dict[Literal[STATUSES], Count] = Field(  # type: ignore[valid-type]
        description="Actions by status"
    )
    total: Count
    overdue: Count = Field(description="Past due, not complete")


class ImprovementPlanList(Shape):
    items: list[ImprovementPlan]
