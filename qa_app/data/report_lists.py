"""The reports a person may read, sorted, filtered by kind and status, and paged (the report
bodies, figures and sections are not read for the list)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import load_only

from qa_app.data.listing import Page, ordered, paged
from qa_app.data.reports import readable_filter
from qa_app.models import Report, ReportKind, ReportStatus
from qa_app.rules.listing import DESC, ListSpec, ListState
from qa_app.rules.permissions import Person

SORT_COLUMNS: dict[str, Any] = {
    "title": Report.title,
    "kind": Report.kind,
    "number": Report.number,
    "status": Report.status,
    "drafted": Report.created_at,
}
REPORTS = ListSpec(
    sorts={
        "title": "Report",
        "kind": "For",
        "number": "Version",
        "status": "Status",
        "drafted": "Drafted",
    },
    default_sort="drafted",
    default_direction=DESC,
    filters={
        "kind": frozenset(k.value for k in ReportKind),
        "status": frozenset(s.value for s in ReportStatus),
    },
)
FILTERS = [
    (
        "kind",
        "Kind",
        [
            (ReportKind.CYCLE.value, "Audit findings"),
            (ReportKind.LSCB.value, "Safeguarding board"),
            (ReportKind.SCRUTINY.value, "Scrutiny committee"),
            (ReportKind.SELF_EVALUATION.value, "Self-evaluation for Ofsted"),
        ],
    ),
    ("status", "Status", [(ReportStatus.DRAFT.value, "Draft"), ("published", "Published")]),
]


def report_page(user: Person, state: ListState) -> Page:
    where = [readable_filter(user)]
    if "kind" in state.filters:
        where.append(Report.kind == state.filters["kind"])
    if "status" in state.filters:
        where.append(Report.status == state.filters["status"])
    columns = (Report.id, Report.kind, Report.number, Report.title, Report.audience)
    stmt = (
        select(Report)
        .where(*where)
        .options(load_only(*columns, Report.status, Report.created_at, Report.series_key))
    )
    stmt = ordered(stmt, state, SORT_COLUMNS, (Report.id.desc(),))
    return paged(stmt, state, scalars=True, counting=select(Report.id).where(*where))
