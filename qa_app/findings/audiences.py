"""The three audiences every output is for, and the one rule each (PRODUCT.md):

- *internal* (the QA team and managers): case level, marked OFFICIAL-SENSITIVE;
- *partnership* (the safeguarding partnership board, the scrutiny committee): aggregates with
  exact counts, never a case reference or case free text, marked OFFICIAL. A council may set
  a small-number threshold for this tier too; by default there is none, because a board must
  read "2 judged inadequate";
- *public* (published on the council's website): counts from 1 to the threshold - 1
  suppressed, with secondary suppression; OFFICIAL.

Below the internal tier nothing is per auditor, and team or locality breakdowns appear only
for groups of at least the council's minimum size. Pure: the settings are passed in."""

from dataclasses import dataclass
from typing import Protocol

from qa_app.models.reports import ReportAudience as Audience

__all__ = ["Audience", "AudienceRules", "LABELS", "MARKINGS", "rules_for"]

LABELS = {
    Audience.INTERNAL: "Internal (the QA team and managers)",
    Audience.PARTNERSHIP: "Partnership (the safeguarding board and scrutiny committee)",
    Audience.PUBLIC: "Public (published on the council's website)",
}
SHORT_LABELS = {
    Audience.INTERNAL: "Internal",
    Audience.PARTNERSHIP: "Partnership",
    Audience.PUBLIC: "Public",
}
MARKINGS = {
    Audience.INTERNAL: "OFFICIAL-SENSITIVE",
    Audience.PARTNERSHIP: "OFFICIAL",
    Audience.PUBLIC: "OFFICIAL",
}


def audience_label(audience: str) -> str:
    """How pages and documents name an audience, with its marking: "Partnership (the
    safeguarding board and scrutiny committee), OFFICIAL"."""
    audience = Audience(audience)
    return f"{LABELS[audience]}, {MARKINGS[audience]}"


@dataclass(frozen=True)
class AudienceRules:
    audience: Audience
    # Counts from 1 to threshold - 1 are hidden; 0 or 1 hides nothing.
    threshold: int
    # Team and locality rows only for groups with at least this many completed audits; 0: all.
    min_group_size: int

    @property
    def case_level(self) -> bool:
        """Case references, case free text and figures per auditor may be shown."""
        return self.audience == Audience.INTERNAL

    @property
    def suppresses(self) -> bool:
        return self.threshold > 1

    @property
    def whole_periods_only(self) -> bool:
        """Readers below the internal tier choose whole months, quarters or years, never
        arbitrary days (two periods a day apart would difference one audit out)."""
        return not self.case_level

    @property
    def marking(self) -> str:
        return MARKINGS[self.audience]

    @property
    def label(self) -> str:
        return SHORT_LABELS[self.audience]


class Thresholds(Protocol):
    """The organisation's small-number threshold (an OrgSettings row, or anything with it; the
    partnership threshold and the minimum group size are read where present)."""

    @property
    def small_number_threshold(self) -> int: ...


def rules_for(audience: str, settings: Thresholds) -> AudienceRules:
    """The rules for `audience` under the organisation's `settings` (an OrgSettings row, or
    anything with small_number_threshold, partnership_threshold and min_group_size)."""
    audience = Audience(audience)
    if audience == Audience.INTERNAL:
        return AudienceRules(audience, 0, 0)
    if audience == Audience.PARTNERSHIP:
        threshold = getattr(settings, "partnership_threshold", None) or 0
    else:
        threshold = settings.small_number_threshold
    return AudienceRules(audience, int(threshold), int(getattr(settings, "min_group_size", 0) or 0))
