"""Schema of a follow-up cycle's difference made for the child: per impact question, how the
children's answers moved and the answers then and now; child by child in the internal tier
only."""

from typing import Literal

from pydantic import Field

from qa_app.api.schemas.base import Shape, optional
from qa_app.api.schemas.findings import Count, Counts

Movement = Literal["better", "same", "worse"]


class Moved(Shape):
    better: Count
    same: Count
    worse: Count


class ImpactQuestionFigures(Shape):
    template: str = Field(description="The template's key")
    template_name: str
    question: str = Field(description="The question's key")
    text: str
    answers: list[str] = Field(description="The answers' labels, best first")
    compared: Count = Field(description="Children whose answers then and now were compared")
    not_compared: Count = Field(description="Not applicable or not answered, then or now")
    moved: Moved
    then: Counts = Field(description="Children per answer in the original cycle")
    now: Counts = Field(description="Children per answer in the follow-up")


class ChildMovement(Shape):
    case_reference: str
    team: str
    template: str
    question: str
    then: str = Field(description="The answer's label in the original cycle")
    now: str = Field(description="The answer's label in the follow-up")
    movement: Movement | None = Field(description="null: not compared")


class Difference(Shape):
    cycle: int = Field(description="The follow-up cycle's id")
    follows: int = Field(description="The id of the cycle it follows")
    months_after: int | None
    tier: Literal["internal", "partnership"]
    threshold: int = Field(ge=0, description="Counts from 1 to threshold - 1 are null; 0: none")
    children_compared: Count
    questions: list[ImpactQuestionFigures]
    children: list[ChildMovement] = optional(
        description="Internal tier only: each child's answer then and now (case references)"
    )
