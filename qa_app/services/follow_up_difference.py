"""The difference made for the child, for one reader: a follow-up cycle's comparison
(qa_app.findings.follow_up over qa_app.data.follow_up_answers) in the tier the reader may read.

Readers who may see case records (view_all_audits: QA leads, moderators, senior managers) read
the internal tier, child by child; other readers of findings (board viewers) the partnership
tier. Anyone may ask for a tier below their own (the public version, to see what would be
published), never one above."""

from qa_app.data.follow_up_answers import impact_pairs
from qa_app.data.organisation import get_settings
from qa_app.findings.audiences import Audience, rules_for
from qa_app.findings.follow_up import Comparison, compare, for_audience
from qa_app.models import AuditCycle
from qa_app.rules.permissions import may

ORDER = (Audience.INTERNAL, Audience.PARTNERSHIP, Audience.PUBLIC)


def own_audience(user) -> Audience:
    """The highest tier `user` (a reader of findings) may read."""
    return Audience.INTERNAL if may(user, "view_all_audits") else Audience.PARTNERSHIP


def tiers_for(user) -> list[Audience]:
    """The tiers `user` may open, their own first."""
    return list(ORDER[ORDER.index(own_audience(user)) :])


def chosen_audience(user, asked: str | None) -> Audience:
    """The tier asked for when `user` may read it; otherwise their own."""
    allowed = tiers_for(user)
    for audience in allowed:
        if asked == audience.value:
            return audience
    return allowed[0]


def difference(cycle: AuditCycle, audience: Audience) -> Comparison:
    """The follow-up cycle's comparison as `audience` may read it."""
    questions, pairs = impact_pairs(cycle)
    return for_audience(compare(questions, pairs), rules_for(audience, get_settings()))
