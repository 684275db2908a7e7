"""Who may open the concern pages. The sample concern is on another auditor's case in the
team "MASH"; none of the role-only test accounts is in that team, so only the QA lead (who
signs concerns off) may open it.

OWNER: the owner raised the concern, on their own audit, and is in the case's team "MASH".
Whoever does case-level work raises a concern on an audit they can see (their own), reads the
concern they raised and, being of the case's team, responds to it; signing off stays the QA
lead's (the one who raised it does not mark their own concern dealt with)."""

from tests.support.route_walk import ALL_AUDITS, AUDITORS, QA_LEAD

EXPECTED = {
    "concerns.index": AUDITORS,
    "concerns.raise_concern": ALL_AUDITS,  # anyone who can see the audit
    "concerns.show": QA_LEAD,
    "concerns.respond": QA_LEAD,
    "concerns.sign_off": QA_LEAD,
}

OWNER = {
    "concerns.raise_concern": AUDITORS,
    "concerns.show": AUDITORS,
    "concerns.respond": AUDITORS,
}


def sample_values(values: dict) -> dict:
    from qa_app.data.audits import get_audit
    from qa_app.data.concerns import raise_concern

    concern = raise_concern(
        get_audit(values["audit_id"]), "Sample concern", actor=values["_other_user"]
    )
    return {"concern_id": concern.id}
