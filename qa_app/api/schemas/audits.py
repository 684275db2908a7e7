"""Schemas of audits and their moderation: what the API answers, and the bodies that start an
audit, change it (PATCH), submit it and moderate it."""

from typing import Annotated, Literal

from pydantic import Field

from qa_app.api.schemas.base import (
    Body,
    Date,
    DateIn,
    DateTime,
    Id,
    Key,
    Shape,
    Text,
    text,
    whole,
)
from qa_app.api.schemas.catalogue import CaseReference, Worker
from qa_app.templates_engine.answers import THEME_MARKS

Status = Literal["not_started", "in_progress", "submitted", "moderated"]
Mark = Literal[THEME_MARKS]  # type: ignore[valid-type]
# A web-form field name: q__<question> or r__<group>__<block index>__<question>
FIELD_NAME = "^(q__[a-z][a-z0-9_]*|r__[a-z][a-z0-9_]*__[0-9]+__[a-z][a-z0-9_]*)$"
FieldName = Annotated[str, Field(pattern=FIELD_NAME)]
AnswerValue = Annotated[
    str | float | list[str],
    Field(
        description="A list for multiple choice; a number where a number parsed; an ISO date "
        "where a date parsed; otherwise the text as typed"
    ),
]
RawAnswer = Annotated[
    Text | float | None | list[Text | whole()],
    Field(
        description="What was typed: a string; a number; a list of option keys for multiple "
        "choice; a date as YYYY-MM-DD or [day, month, year]; null to clear"
    ),
]


class TemplateRef(Shape):
    key: str
    name: str
    version: int


class AuditSummary(Shape):
    id: int
    case_reference: str
    team: str | None
    worker: str | None
    cycle_id: int | None
    template: TemplateRef
    auditor: str | None = Field(description="The assigned auditor's username")
    status: Status
    due_date: Date | None
    started_at: DateTime | None
    submitted_at: DateTime | None
    own_team_override: bool
    lock_version: int = Field(description="The audit's version: send it back with every change")


class AuditList(Shape):
    items: list[AuditSummary]
    total: int = Field(ge=0)
    limit: int = Field(ge=1, le=200)
    offset: int = Field(ge=0)


class Block(Shape):
    index: int = Field(ge=0)
    label: str = Field(description="The block's option key, e.g. police")
    answers: dict[str, AnswerValue]


class SectionGrade(Shape):
    grade: str | None
    rationale: str


class ThemeMark(Shape):
    mark: Mark
    suggested: bool


class Overall(Shape):
    overall_grade: str | None = Field(description="A level key of the template's scale")
    overall_rationale: str = Field(max_length=4000)
    evidence: str = Field(max_length=20000)
    practitioner_comments: str = Field(max_length=20000)
    moderation_requested: bool


class Audit(AuditSummary):
    answers: dict[str, AnswerValue] = Field(
        description="Answers outside repeat groups, by question key"
    )
    blocks: dict[str, list[Block]] = Field(
        description="Repeat groups by group key: their blocks, in order"
    )
    section_grades: dict[str, SectionGrade]
    theme_marks: dict[str, ThemeMark]
    suggested_theme_marks: dict[str, Mark]
    overall: Overall
    can_edit: bool = Field(description="Whether the caller may change it now")


class AuditCreate(Body):
    case_reference: CaseReference
    template: Key = Field(description="Template key (its latest version)")
    cycle_id: Id | None = None
    auditor: Text | None = Field(None, description="Username of someone who does audits")
    due_date: DateIn | None = None
    team: Text | None = Field(
        None, description="Team name: required when the case is new; updates an existing case"
    )
    worker: Worker | None = Field(
        None, description="Updates a known case's worker; null or left out keeps it"
    )
    own_team_override: bool | None = Field(
        False, description="Assign an auditor from the case's own team, knowingly"
    )


class SectionGradePatch(Body):
    grade: Text | None = None
    rationale: Annotated[str, text(4000)] | None = None


class OverallPatch(Body):
    overall_grade: Text | None = None
    overall_rationale: Annotated[str, text(4000)] | None = None
    evidence: Annotated[str, text(20000)] | None = None
    practitioner_comments: Annotated[str, text(20000)] | None = None
    moderation_requested: bool | None = None


class BlockToAdd(Body):
    group: Key = Field(description="The repeat group's key")
    label: Text = Field(description="The block's option key, e.g. police")


class BlockToRemove(Body):
    group: Key
    index: whole(ge=0)


class AuditPatch(Body):
    lock_version: Id
    answers: dict[FieldName, RawAnswer] | None = Field(
        None,
        description="By web-form field name: q__<question> or "
        "r__<group>__<block index>__<question>",
    )
    section_grades: dict[Key, SectionGradePatch] | None = None
    theme_marks: dict[Key, Mark] | None = Field(
        None,
        description="Marks to set; the others keep their stored (or suggested) mark. Send {} "
        "to confirm the suggested marks.",
    )
    overall: OverallPatch | None = None
    add_blocks: list[BlockToAdd] | None = None
    remove_blocks: list[BlockToRemove] | None = None


class Submit(Body):
    lock_version: Id


class ModerationRequest(Body):
    grades: dict[Text, Text | None] | None = Field(
        None,
        description="The moderator's grade per judgement: graded section keys, and "
        "__overall__ for the overall grade",
    )
    reasons: dict[Text, Text | None] | None = None
    complete: bool | None = False
    blind: bool | None = Field(
        False, description="When starting: grade without seeing the auditor's grades first"
    )


class Judgement(Shape):
    key: str
    title: str
    auditor_grade: str | None
    moderator_grade: str | None
    reason: str


class Moderation(Shape):
    audit_id: int
    status: Literal["pending", "in_progress", "completed"]
    reason: Literal["sample", "requested"]
    blind: bool
    moderator_id: int | None
    completed_at: DateTime | None
    audit_status: Status
    judgements: list[Judgement]
