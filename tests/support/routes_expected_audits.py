"""Who may open the audit pages. The sample audit belongs to another auditor, so even an
auditor is refused it: auditors see only their own audits and their cycles'.

OWNER: the sample audit's assigned auditor, still in progress. PRODUCT.md: an auditor
"completes case audits assigned to them, records grades, evidence, themes and actions for the
case; talks the audit through with the practitioner". So whoever is assigned, in any role that
does case-level work, reads it, its history, fills in every part, submits it, and adds actions
and the practitioner's responses. Board viewers and administrators never see case records, not
even an audit once assigned to them (a person whose job changed)."""

from tests.support.route_walk import ALL_AUDITS, AUDITORS, MODERATORS

EXPECTED = {
    "audits.mine": AUDITORS,
    "audits.show": ALL_AUDITS,
    "audits.history": ALL_AUDITS,
    # Editing: only the assigned auditor, so every role is refused someone else's audit.
    "audits.section": frozenset(),
    "audits.themes": frozenset(),
    "audits.overall": frozenset(),
    "audits.submit": frozenset(),
}


def sample_values(values: dict) -> dict:
    from tests.audits.factory import make_audit

    audit = make_audit(
        "single_assessment",
        auditor=values["_other_user"],
        team=values["_team"],
        reference="90000001",
    )
    return {
        "audit_id": audit.id,
        "section_key": "timeliness" if "timeliness" in _sections(audit) else _sections(audit)[0],
    }


def _sections(audit) -> list[str]:
    return [s["key"] for s in audit.template_version.content["template"]["sections"]]


# Anyone who can see the audit reads its actions and responses; only its auditor, a
# moderator or the QA lead adds to them.
EXPECTED.update(
    {
        "audits.actions": {"GET": ALL_AUDITS, "POST": MODERATORS},
        "audits.responses": {"GET": ALL_AUDITS, "POST": MODERATORS},
    }
)

OWNER = {
    "audits.show": AUDITORS,
    "audits.history": AUDITORS,
    "audits.section": AUDITORS,
    "audits.themes": AUDITORS,
    "audits.overall": AUDITORS,
    "audits.submit": AUDITORS,
    "audits.actions": AUDITORS,
    "audits.responses": AUDITORS,
}
