"""qa_app/demo/consistent.py: the demo's answers pass a `required_if` check (the text it
demands is there when the other answer is the one named), whichever way they are made."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from qa_app.demo.consistent import (
    REQUIRED_TEXT,
    SYNTHETIC_TEXT,
    consistent_raw,
    consistent_rows,
)
from qa_app.templates_engine.answer_checks import check_failures
from qa_app.templates_engine.answers import Value

SECTION = {
    "key": "visits",
    "title": "Visits",
    "questions": [
        {"key": "purposeful", "type": "yes_partly_no", "text": "Purposeful?"},
        {"key": "evidence", "type": "text", "text": "Evidence", "required": False},
    ],
    "checks": [
        {
            "kind": "required_if",
            "question": "evidence",
            "when": {"question": "purposeful", "is": "no"},
        }
    ],
}
CONTENT = {"template": {"sections": [SECTION]}, "scales": {}, "themes": {}}
ANSWER = st.sampled_from(["yes", "partly", "no"])
EVIDENCE = st.sampled_from([None, "", "Seen on the visit of 3 March."])


def failures(answers: dict) -> list:
    values = {("", 0, k): Value(text=v) for k, v in answers.items() if v}
    return check_failures(CONTENT, values, today=date(2026, 12, 7))


@given(answer=ANSWER, evidence=EVIDENCE)
def test_what_the_demo_types_passes_required_if(answer, evidence):
    raw = {"q__purposeful": answer}
    if evidence is not None:
        raw["q__evidence"] = evidence
    consistent_raw([SECTION], raw)
    assert failures({"purposeful": raw["q__purposeful"], "evidence": raw.get("q__evidence")}) == []
    if evidence:
        assert raw["q__evidence"] == evidence  # nothing typed is replaced
    elif answer == "no":
        assert raw["q__evidence"] == REQUIRED_TEXT


@given(answer=ANSWER, evidence=EVIDENCE)
def test_the_synthetic_history_rows_pass_required_if(answer, evidence):
    def row(key, text):
        return {
            "audit_id": 1,
            "group_key": "",
            "block_index": 0,
            "block_label": "",
            "question_key": key,
            "value_text": text,
            "value_number": None,
            "value_date": None,
            "value_choices": None,
        }

    rows = [row("purposeful", answer)] + ([row("evidence", evidence)] if evidence else [])
    consistent_rows([SECTION], rows)
    answers = {r["question_key"]: r["value_text"] for r in rows}
    assert failures(answers) == []
    assert len(rows) == (2 if evidence or answer == "no" else 1)
    if answer == "no" and not evidence:
        assert answers["evidence"] == SYNTHETIC_TEXT
