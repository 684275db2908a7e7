"""The organisation: settings (one row), localities and teams."""

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped

# Letters, digits, / and -, 6 to 30 characters, starting with a letter or digit, its first
# digits at least 4 together: the shapes councils' case management systems use (123456,
# CS-004521, LCS/2024/0012). No space and digits required, so neither "Jane Smith" nor
# "JaneSmith" is a case reference; and the publication check (findings.identifiers), which
# looks for text of this shape in what leaves the internal tier, does not take a count (116)
# or an indicator's code (REF04, ICPC01) for one. A council narrows it under Administration,
# Organisation settings.
DEFAULT_CASE_REFERENCE_PATTERN = r"(?![/-])[A-Za-z]{0,4}(?=[0-9/-]*[0-9]{4})[0-9/-]{6,26}"
DEFAULT_CASE_REFERENCE_HINT = (
    "The case number from the case management system: up to 4 letters, then 6 to 26 "
    "digits, / or -, with at least 4 digits together"
)
# The shapes offered on the settings page: (pattern, what it accepts).
COMMON_CASE_REFERENCE_PATTERNS = (
    (
        DEFAULT_CASE_REFERENCE_PATTERN,
        "letters, digits, / or -, 6 to 30 characters, 4 digits together (the default)",
    ),
    (r"[0-9]{6,10}", "6 to 10 digits (the default before December 2026)"),
    (r"[0-9]{4,12}", "4 to 12 digits"),
    (r"[A-Z]{2,4}[0-9]{4,10}", "2 to 4 capital letters then 4 to 10 digits, like CS004521"),
    (r"[A-Z]{2,4}-[0-9]{4,10}", "capital letters, a hyphen, then digits, like CS-004521"),
)


class OrgSettings(Timestamped, Base):
    """Organisation-wide settings. There is exactly one row, id 1."""

    __tablename__ = "org_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_name: Mapped[str] = mapped_column(String(120), default="Example Council")
    service_name: Mapped[str] = mapped_column(String(120), default="Practice QA")
    case_reference_pattern: Mapped[str] = mapped_column(
        String(200), default=DEFAULT_CASE_REFERENCE_PATTERN
    )
    case_reference_hint: Mapped[str] = mapped_column(
        String(200), default=DEFAULT_CASE_REFERENCE_HINT
    )
    # Counts from 1 to this - 1 are hidden in what is published to the public.
    small_number_threshold: Mapped[int] = mapped_column(default=5)
    # The same for the partnership tier (board, scrutiny); None: exact counts, as a board reads.
    partnership_threshold: Mapped[int | None] = mapped_column(default=None)
    # Team and locality breakdowns below the internal tier only for groups of at least this
    # many completed audits.
    min_group_size: Mapped[int] = mapped_column(default=10)
    # Roles whose accounts must sign in with a second step (an authenticator app code).
    mfa_required_roles: Mapped[list] = mapped_column(JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Locality(Timestamped, Base):
    __tablename__ = "localities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    teams: Mapped[list["Team"]] = relationship(back_populates="locality", order_by="Team.name")


class Team(Timestamped, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("localities.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    locality: Mapped[Locality | None] = relationship(back_populates="teams")
