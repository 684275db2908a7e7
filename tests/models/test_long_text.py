"""Free text is not indexed: a long answer (beyond PostgreSQL's B-tree row limit of about
2,700 bytes, and not compressible) is stored on every database."""

import random
import string

from qa_app.extensions import db
from qa_app.models import Answer
from tests.audits.factory import make_audit


def test_a_long_incompressible_free_text_answer_is_stored(loaded_templates):
    audit = make_audit("single_assessment")
    rng = random.Random(7)
    text = "".join(rng.choice(string.ascii_letters + " ") for _ in range(12_000))
    db.session.add(Answer(audit_id=audit.id, question_key="delay_impact", value_text=text))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(db.select(Answer.value_text).where(Answer.audit_id == audit.id))
    assert stored == text
