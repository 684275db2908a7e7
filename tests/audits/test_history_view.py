"""An audit's history reads as the audit page does: option labels, grades on the template's
scale, theme marks and dates in words, never the stored keys ("requires_improvement") or ISO
dates."""

import re

import pytest

from qa_app.audits.history_view import answer_text
from qa_app.models import Role
from tests.audits.factory import latest_version, make_audit
from tests.audits.filling import fill_whole_audit
from tests.support.visible_text import visible_text


@pytest.fixture
def auditor_client(client_as, loaded_templates):
    return client_as(Role.AUDITOR)


def test_the_history_of_a_filled_audit_shows_labels_and_dates_in_words(auditor_client):
    audit = make_audit("single_assessment", auditor=auditor_client.user)
    fill_whole_audit(auditor_client, audit)
    text = visible_text(auditor_client.get(f"/audits/{audit.id}/history").get_data(as_text=True))
    assert "Section saved" in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None, text
    stored = {key for key in _stored_keys(audit.template_version.content) if "_" in key}
    assert stored, "the template has keys to look for"
    shown = set(re.findall(r"\b[a-z]+_[a-z_]+\b", text)) & stored
    assert shown == set(), shown


def _stored_keys(content: dict) -> set[str]:
    """The keys an answer, grade or theme mark is stored as."""
    keys = {"not_seen", "not_assessed", "in_progress", "not_started"}
    keys |= {level["key"] for scale in content["scales"].values() for level in scale["levels"]}
    for section in content["template"]["sections"]:
        for q in section["questions"]:
            for inner in [q, *q.get("questions", [])]:
                keys |= {o["key"] for o in inner.get("options", [])}
    return keys


def test_each_kind_of_stored_answer_reads_as_its_label(loaded_templates):
    content = latest_version("single_assessment").content
    scale = content["template"]["scale"]
    worst = content["scales"][scale]["levels"][-1]
    assert answer_text(content, "overall_grade", worst["key"]) == worst["label"]
    theme = next(iter(content["themes"]))
    assert answer_text(content, f"theme__{theme}", "development") == "Area for development"
    assert answer_text(content, "status", "in_progress") == "In progress"
    assert answer_text(content, "overall_rationale", "") == "(blank)"
