"""Schemas of GET /findings: the figures of qa_app.findings.compute_findings (its query is in
qa_app.api.schemas.queries). Counts are never percentages (those are worked out where they are
shown). In the board tier a count below the small-number threshold is null, and so is a summary
(median, range, kappa) over such a count."""

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from qa_app.api.schemas.base import Date, DateTime, Shape, optional

Count = Annotated[
    int | None,
    Field(
        ge=0,
        description="A count; null in the board tier when it is below the small-number "
        "threshold (or hidden with it, so it cannot be worked out by subtraction)",
    ),
]
Counts = Annotated[
    dict[str, Count],
    Field(description="Count per key (grade level, answer value...), in the order shown"),
]
GroupId = Annotated[
    int | None, Field(description="null: the audits with no team (or locality) recorded")
]
SCALE_NOTE = (
    "good_or_better and worst are given for the row itself only when one grading scale is in "
    "play; by_scale always gives them per scale (never added across scales)"
)


class Level(Shape):
    key: str
    label: str


class Distribution(Shape):
    counts: Counts = Field(description="Audits per grade level of the scale, best first")
    n: Count = Field(description="Judgements with a grade on the scale")
    good_or_better: Count


class CountedQuestion(Shape):
    key: str
    text: str
    section: str = Field(description="The section's title")
    type: Literal["yes_partly_no", "single_choice", "multiple_choice", "grade"]
    labels: dict[str, str] = Field(description="Value key: label, in order")
    counts: Counts = Field(description="Audits per value (multiple choice: per option ticked)")
    n: Count = Field(description="Audits that answered")
    finding: dict[str, Any] = optional(
        description="How an answer reads as a finding, where the template phrases it "
        "(docs/templates.md); absent otherwise"
    )


class NumberQuestion(Shape):
    key: str
    text: str
    section: str = Field(description="The section's title")
    type: Literal["number"]
    unit: str
    n: Count
    median: float | None
    min: float | None
    max: float | None
    finding: dict[str, Any] = optional(description="As for a counted question")


FindingsQuestion = Annotated[
    CountedQuestion | NumberQuestion,
    Field(
        description="A counted question: answers per value, or a number's median and range "
        "(text and date answers are read, not counted)"
    ),
]


class Scale(Shape):
    key: str
    name: str
    levels: list[Level] = Field(description="Best first")
    good_or_better: list[str]


class SectionDistribution(Distribution):
    key: str
    title: str


class RepeatBlock(Shape):
    key: str
    label: str
    n: Count
    questions: list[FindingsQuestion]


class Repeat(Shape):
    key: str
    text: str
    repeat_label: str
    blocks: list[RepeatBlock]


class ByStatus(Shape):
    not_started: Count
    in_progress: Count
    submitted: Count
    moderated: Count


class FindingsTemplate(Shape):
    key: str
    name: str
    noun: dict[str, str] | None = Field(
        description="What the template's audits are called in a sentence, "
        '{"one": "assessment", "many": "assessments"}, or null'
    )
    by_status: ByStatus
    completed: Count
    scale: Scale
    overall: Distribution = Field(description="Overall grades")
    sections: list[SectionDistribution] = Field(
        description="Graded sections, in the template's order"
    )
    questions: list[FindingsQuestion]
    repeats: list[Repeat] = Field(
        description="Repeat groups (e.g. one block per agency), per block label"
    )


class FindingsTheme(Shape):
    key: str
    name: str
    strength: Count
    development: Count
    not_seen: Count
    n: Count = Field(
        description="Audits that assessed the theme: strength + development + not seen"
    )
    # figures frozen before "not assessed" existed lack it
    not_assessed: Count = optional(
        description="Audits that did not assess the theme: never counted in n or a share"
    )


class ScaleCell(Shape):
    scale: str
    completed: Count
    good_or_better: Count
    worst: Count = optional()


class Breakdown(Shape):
    completed: Count
    good_or_better: Count = optional()
    worst: Count = optional()
    by_scale: list[ScaleCell] = Field(description=SCALE_NOTE)


class TeamRow(Breakdown):
    team_id: GroupId
    team: str
    locality: str


class LocalityRow(Breakdown):
    locality_id: GroupId
    locality: str


class MonthRow(Shape):
    month: str = Field(pattern="^[0-9]{4}-[0-9]{2}$")
    completed: Count
    good_or_better: Count = optional()
    by_scale: list[ScaleCell] = Field(description=SCALE_NOTE)


class ScaleRow(Distribution):
    """Overall grades of the completed audits graded on one scale."""

    scale: str
    name: str
    levels: list[Level] = Field(description="Best first")
    good_or_better_levels: list[str]
    templates: list[str]
    completed: Count


class Kappa(Shape):
    scale: str
    name: str
    n: Count
    kappa: float | None
    words: str = Field(examples=["substantial"])


class Agreement(Shape):
    completed_audits: Count
    moderated: Count
    pending: Count = Field(description="Selected for moderation, not yet completed")
    pairs: Count = Field(description="Auditor and moderator grades compared")
    agreed: Count
    changed_up: Count
    changed_down: Count
    unchanged: Count
    kappa: list[Kappa] = Field(description="Weighted kappa per grading scale")


class AuditorAgreement(Agreement):
    auditor_id: int
    auditor: str


class FindingsModeration(Agreement):
    by_auditor: list[AuditorAgreement] = optional(
        description="Case tier only: left out of the board tier"
    )


class ThemesOfTemplate(Shape):
    template: str
    name: str
    themes: list[FindingsTheme]


class ThemesOfTeam(Shape):
    team_id: GroupId
    team: str
    themes: list[FindingsTheme]


class ThemesOfLocality(Shape):
    locality_id: GroupId
    locality: str
    themes: list[FindingsTheme]


class Period(Shape):
    from_: Date | None = Field(alias="from")
    to: Date | None


class WholePeriod(Shape):
    from_: Date = Field(alias="from")
    to: Date


class Previous(Shape):
    period: WholePeriod
    completed: Count
    good_or_better: Count = optional()
    by_scale: list[ScaleCell] = Field(description=SCALE_NOTE)
    themes: list[FindingsTheme]


class Totals(Shape):
    """Audits in scope by status (not yet submitted ones dated by when they were created);
    completed = submitted + moderated."""

    not_started: Count
    in_progress: Count
    submitted: Count
    moderated: Count
    completed: Count
    audits: Count


class AppliedFilters(Shape):
    """The filters applied, as query parameters."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = optional(alias="from")
    to: str = optional()
    cycle: str = optional()
    template: str = optional()
    team: str = optional()
    locality: str = optional()
    auditor: str = optional()


class Actions(Shape):
    """Actions for the case raised in the audits in scope."""

    open: Count
    overdue: Count
    completed: Count


class Concerns(Shape):
    """Urgent concerns raised in the audits in scope."""

    open: Count
    overdue: Count
    responded: Count
    signed_off: Count


class Suppression(Shape):
    """Board tier only: counts from 1 to threshold - 1 are null."""

    threshold: int = Field(ge=0)


def _by_tier(schema: dict) -> None:
    """The board (partnership) tier has a suppression and no figures per auditor; the case
    (internal) tier the reverse."""
    schema["if"] = {"properties": {"tier": {"const": "partnership"}}}
    schema["then"] = {
        "required": ["suppression"],
        "properties": {"moderation": {"not": {"required": ["by_auditor"]}}},
    }
    schema["else"] = {
        "not": {"required": ["suppression"]},
        "properties": {"moderation": {"required": ["by_auditor"]}},
    }


class Findings(Shape):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_by_tier)
    schema_: int = Field(alias="schema", description="The layout version of the figures")
    tier: Literal["internal", "partnership"] = Field(
        description="The audience: internal (case level) or partnership (the board: whole "
        "months, no per-auditor figures, counts null only where the council sets a partnership "
        "threshold)"
    )
    filters: AppliedFilters
    period: Period
    generated_at: DateTime
    totals: Totals
    templates: list[FindingsTemplate]
    by_team: list[TeamRow]
    by_locality: list[LocalityRow]
    by_month: list[MonthRow]
    by_scale: list[ScaleRow] = Field(
        description="Overall grades per grading scale; good or better is each scale's own"
    )
    themes: list[FindingsTheme]
    top_strengths: list[str] = Field(
        description="Theme keys marked a strength more often than for development, most often "
        "first (share of the audits that assessed the theme), at most 5"
    )
    top_development: list[str] = Field(
        description="Theme keys marked for development more often than a strength, most often "
        "first, at most 5"
    )
    top_mixed: list[str] = Field(
        description="Theme keys marked a strength exactly as often as for development, at most "
        "5 (a theme is in one of the three lists at most)"
    )
    themes_by_template: list[ThemesOfTemplate]
    themes_by_team: list[ThemesOfTeam]
    themes_by_locality: list[ThemesOfLocality]
    moderation: FindingsModeration
    actions: Actions
    concerns: Concerns
    previous: Previous | None = Field(
        description="The period of the same length just before (only when both from and to "
        "are given), to compare with"
    )
    suppression: Suppression = optional()
