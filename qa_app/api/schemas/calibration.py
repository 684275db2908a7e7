"""Schemas of the calibration endpoints: rounds (auditors grading the same records blind) and a
closed round's agreement figures. Auditors are named (by account id) against their answers only
for the QA lead and moderators; another reader gets null for everyone but themselves."""

from typing import Literal

from pydantic import Field

from qa_app.api.schemas.base import Count, Date, DateTime, Shape

Figure = float | None


class CalibrationRound(Shape):
    id: int
    name: str
    template: str = Field(description="The template's key")
    template_version: int
    status: Literal["open", "closed"]
    opened_at: DateTime
    due_date: Date | None
    closed_at: DateTime | None
    cases: list[str] = Field(description="The cases' references")
    participants: Count
    submitted: Count = Field(description="Participants who have submitted (never what)")


class CalibrationRoundList(Shape):
    items: list[CalibrationRound]


class CalibrationLevel(Shape):
    key: str
    label: str


class CalibrationOutlier(Shape):
    auditor: int | None = Field(description="Account id; null where the reader may not see it")
    case_reference: str
    answer: str
    reference: str = Field(description="The agreed grade, or else the most common one")


class CalibrationItem(Shape):
    key: str = Field(description="section:<key>, overall or question:<key>")
    label: str
    section: str
    kind: Literal["grade", "answer"] = Field(
        description="grade: ordinal alpha on the scale; answer: nominal alpha"
    )
    levels: list[CalibrationLevel]
    counts: dict[str, Count] = Field(description="Answers per level key, every case together")
    agreement: Figure = Field(description="Share of pairs of auditors agreeing, 0 to 1")
    alpha: Figure = Field(description="Krippendorff's alpha; null when not defined")
    alpha_interval: list[float] | None = Field(
        description="95% bootstrap interval [from, to] (1,000 seeded resamples)"
    )
    ac1: Figure = Field(description="Gwet's AC1")
    undefined_reason: str | None
    outliers: list[CalibrationOutlier]


class CalibrationDistance(Shape):
    auditor: int
    mean_steps: Figure = Field(description="Mean scale steps from the agreed grades")
    matching: Count
    compared: Count


class CalibrationResults(Shape):
    round: CalibrationRound
    headline: str
    items: list[CalibrationItem]
    distances: list[CalibrationDistance] = Field(
        description="Everyone's for the QA lead and moderators; otherwise the reader's own"
    )
