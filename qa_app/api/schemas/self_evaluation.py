"""Schemas of the self-evaluation's read endpoints: its versions, and one version with each
area's text and the drafted statements with their evidence (a web page on the internal tier)."""

from typing import Any, Literal

from pydantic import Field

from qa_app.api.schemas.base import Date, DateTime, Shape


class Statement(Shape):
    text: str = Field(description="A statement as drafted from the data")
    evidence: str | None = Field(
        description="The web page the statement rests on (the findings view with its filters, "
        "the scorecard, the practice week, the action); null where there is none or the caller "
        "may not open it"
    )


class SelfEvaluationSection(Shape):
    key: str = Field(examples=["help_and_protection:know"])
    area: str = Field(description="The judgement area's key", examples=["help_and_protection"])
    area_title: str
    heading: Literal["What we know", "How we know", "What we are doing about it"]
    text: str = Field(description="The QA lead's text (the drafted statements to start with)")
    statements: list[Statement]


class SelfEvaluationSummary(Shape):
    id: int
    version: int = Field(description="The version's number in its series (one per period)")
    title: str
    status: Literal["draft", "published"]
    period_from: Date
    period_to: Date
    drafted_at: DateTime
    published_at: DateTime | None


class SelfEvaluationList(Shape):
    items: list[SelfEvaluationSummary]


class SelfEvaluation(SelfEvaluationSummary):
    framework: str = Field(description="The inspection framework the areas come from")
    sections: list[SelfEvaluationSection] = Field(
        description="Per judgement area, its three headings in order"
    )
    figures: dict[str, Any] = Field(
        description="The frozen figures the version was drafted from "
        "(qa_app.services.self_evaluation_figures)"
    )
