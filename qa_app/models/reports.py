"""Reports drafted from the findings: a series of versions, each a draft until a QA lead
publishes it. A version keeps the figures it was drafted from (a frozen snapshot), so a
published report reads the same however the audits change later; drafting again makes a new
version and leaves the published one as it was."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped
from qa_app.models.cycles import AuditCycle
from qa_app.models.users import User


class ReportKind(StrEnum):
    CYCLE = "cycle"  # an audit cycle, or a period with filters
    # the single-agency report to the safeguarding board (qa_app.services.board_reports)
    LSCB = "lscb"
    # the performance report to the scrutiny committee (qa_app.services.scrutiny_reports)
    SCRUTINY = "scrutiny"
    # the annual self-evaluation for Ofsted, internal (qa_app.services.self_evaluation)
    SELF_EVALUATION = "self_evaluation"


class ReportAudience(StrEnum):
    """The three audiences every output is for (qa_app.findings.audiences holds their rules)."""

    # The QA team and managers: case level, marked OFFICIAL-SENSITIVE.
    INTERNAL = "internal"
    # The safeguarding partnership board and the scrutiny committee: aggregates with exact
    # counts (unless the council sets a threshold for them), no case reference, no case free
    # text; OFFICIAL.
    PARTNERSHIP = "partnership"
    # Published on the council's website: small counts suppressed, with secondary
    # suppression; OFFICIAL.
    PUBLIC = "public"


class ReportStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Report(Timestamped, Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("series_key", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default=ReportKind.CYCLE)
    # Versions of one report share a series key (e.g. 'cycle:12:internal'); number counts them.
    series_key: Mapped[str] = mapped_column(String(200), index=True)
    number: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(20), default=ReportAudience.INTERNAL)
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.DRAFT)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_cycles.id", ondelete="SET NULL"), index=True
    )
    scope: Mapped[dict] = mapped_column(JSON)  # the filters, as URL arguments
    figures: Mapped[dict] = mapped_column(JSON)  # the findings it was drafted from
    # [{"key", "title", "text"}]: the narrative, one entry per section, edited by the QA lead
    sections: Mapped[list] = mapped_column(JSON)
    # {"strengths": [...], "development": [...]}: key findings, one sentence each
    key_findings: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    cycle: Mapped[AuditCycle | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED
