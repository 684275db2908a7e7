"""The themes page: a theme none of whose questions were answered is suggested "not
assessed", the auditor can choose it, and it is stored and shown as such."""

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Role, ThemeMark
from tests.audits.factory import make_audit
from tests.helpers import csrf_token


def test_an_unanswered_theme_is_suggested_and_stored_not_assessed(client_as, loaded_templates):
    client = client_as(Role.AUDITOR)
    audit = make_audit("single_assessment", auditor=client.user)
    page = client.get(f"/audits/{audit.id}/themes").get_data(as_text=True)
    assert "Suggested from your answers: not assessed" in page
    assert 'value="not_assessed" checked' in page  # the suggestion is chosen
    data = {
        "csrf_token": csrf_token(client),
        "lock_version": str(audit.lock_version),
        "theme__voice_of_child": "strength",
        "action": "later",
    }
    response = client.post(f"/audits/{audit.id}/themes", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    marks = dict(
        db.session.execute(
            select(ThemeMark.theme_key, ThemeMark.mark).where(ThemeMark.audit_id == audit.id)
        ).all()
    )
    assert marks["voice_of_child"] == "strength"  # the auditor's own
    assert marks["fathers_wider_family"] == "not_assessed"  # nothing answered: not counted
