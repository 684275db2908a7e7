"""Schemas of the query strings: the filters and pages of the lists, and of the findings. Each
parameter is read from its text (so limit=5 is the number 5); an unknown one is a problem."""

from typing import Annotated, Literal

from pydantic import Field

from qa_app.api.blueprint import BIGINT_MAX
from qa_app.api.schemas.base import Body, DateIn, Id, Key, optional
from qa_app.api.schemas.improvement import Status as ActionStatus
from qa_app.data.improvement_queries import VIEWS
from qa_app.findings.filters import MAX_ID

MAX_LIMIT = 200
FilterId = Annotated[int, Field(ge=1, le=MAX_ID)]
YEARS = "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"  # the findings' dates: 1900 to 2999


class Page(Body):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Page size")
    offset: int = Field(0, ge=0, le=BIGINT_MAX, description="Items to skip")


class AuditQuery(Page):
    cycle_id: Id = optional(description="Only this cycle's audits")
    status: Literal["not_started", "in_progress", "submitted", "moderated"] = optional(
        description="Only audits with this status"
    )
    mine: bool = Field(False, description="Only audits assigned to the caller")


class ActionQuery(Page):
    plan: Id = optional(description="Only this plan's actions (a plan's id)")
    view: Literal[VIEWS] = Field(  # type: ignore[valid-type]
        "all",
        description="open: not complete; overdue: past due and not complete; at_risk: at risk "
        "or off track; mine: owned by the caller",
    )
    owner: Id = optional(description="Only actions owned by this account (its id)")
    status: ActionStatus = optional(description="Only actions with this status")
    theme: Key = optional(description="Only actions targeting this theme (an active theme key)")


class FindingsQuery(Body):
    """The filters: each narrows the audits the figures cover."""

    from_: DateIn = optional(
        alias="from",
        json_schema_extra={"pattern": YEARS},
        description="Audits completed on or after this day (YYYY-MM-DD)",
    )
    to: DateIn = optional(
        json_schema_extra={"pattern": YEARS},
        description="... and on or before this day (YYYY-MM-DD; not before from). With from, "
        "the figures include the same length of period just before, as previous",
    )
    cycle: FilterId = optional(description="A cycle's id")
    template: str = optional(pattern="^[A-Za-z0-9_]{1,60}$", description="A template's key")
    team: FilterId = optional(description="The case's team's id")
    locality: FilterId = optional(description="The id of the locality of the case's team")
    auditor: FilterId = optional(
        description="The auditor's account id. Case tier only: a board-tier caller gets 403"
    )
