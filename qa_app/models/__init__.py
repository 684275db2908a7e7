"""Typed SQLAlchemy 2 models, one module per aggregate. Importing this registers them all."""

from qa_app.models.audits import (
    OVERALL,
    Answer,
    Audit,
    AuditStatus,
    CaseAction,
    Concern,
    Moderation,
    ModerationGrade,
    PractitionerResponse,
    SectionGrade,
    ThemeMark,
    ThemeMarkValue,
)
from qa_app.models.base import Base, utcnow
from qa_app.models.changelog import ChangeLogEntry
from qa_app.models.cycles import AuditCycle, Case, CycleCase, CycleKind, Sample
from qa_app.models.organisation import Locality, OrgSettings, Team
from qa_app.models.reports import Report, ReportAudience, ReportKind, ReportStatus
from qa_app.models.templates import AuditTemplate, Scale, TemplateVersion, Theme
from qa_app.models.users import (
    ROLE_LABELS,
    ApiToken,
    Role,
    SecurityEvent,
    User,
    UserRole,
    UserSession,
)

__all__ = [
    "ApiToken",
    "CycleCase",
    "PractitionerResponse",
    "Sample",
    "OVERALL",
    "ROLE_LABELS",
    "Answer",
    "Audit",
    "AuditCycle",
    "AuditStatus",
    "AuditTemplate",
    "Base",
    "Case",
    "CaseAction",
    "ChangeLogEntry",
    "Concern",
    "CycleKind",
    "Locality",
    "Moderation",
    "ModerationGrade",
    "OrgSettings",
    "Report",
    "ReportAudience",
    "ReportKind",
    "ReportStatus",
    "Role",
    "Scale",
    "SectionGrade",
    "SecurityEvent",
    "Team",
    "TemplateVersion",
    "Theme",
    "ThemeMark",
    "ThemeMarkValue",
    "User",
    "UserRole",
    "UserSession",
    "utcnow",
]
