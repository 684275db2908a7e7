"""Filling in an audit through the real web form, as an auditor would."""

import re

from qa_app.extensions import db
from qa_app.models import Audit
from qa_app.templates_engine.answers import scale_levels
from tests.audits.factory import make_audit
from tests.helpers import csrf_token

VERSION_RE = re.compile(r'name="lock_version" type="hidden" value="(\d+)"')


def page_version(html: str) -> str:
    return VERSION_RE.search(html).group(1)


def good_answer(content: dict, q: dict):
    kind = q["type"]
    if kind == "grade":
        levels = scale_levels(content, q["scale"])
        return levels[1] if len(levels) > 1 else levels[0]
    if kind == "yes_partly_no":
        return "yes"
    if kind == "single_choice":
        return q["options"][0]["key"]
    if kind == "multiple_choice":
        return [o["key"] for o in q["options"][:2]]
    if kind == "number":
        value = q["min"] if q["min"] is not None else 3
        return str(int(value) if q["integer"] else value)
    if kind == "date":
        return ["1", "2", "2026"]
    return f"Evidence for {q['key']}: the record shows it."


def section_data(content: dict, section: dict, blocks: dict[str, list[int]]) -> dict:
    data = {}
    for q in section["questions"]:
        if q["type"] == "repeat":
            for index in blocks.get(q["key"], []):
                for inner in q["questions"]:
                    data[f"r__{q['key']}__{index}__{inner['key']}"] = good_answer(content, inner)
        else:
            data[f"q__{q['key']}"] = good_answer(content, q)
    if section["graded"]:
        levels = scale_levels(content, content["template"]["scale"])
        data["section_grade"] = levels[1]
        data["section_rationale"] = f"Grade for {section['key']} because the record shows it."
    return data


def post_section(client, audit_id: int, section_key: str, data: dict, action="continue"):
    url = f"/audits/{audit_id}/sections/{section_key}"
    html = client.get(url).get_data(as_text=True)
    payload = {
        "csrf_token": csrf_token(client, url),
        "lock_version": page_version(html),
        "action": action,
        **data,
    }
    return client.post(url, data=payload)


def add_blocks(client, audit_id: int, section_key: str, group: str, labels: list[str]):
    for label in labels:
        response = post_section(
            client, audit_id, section_key, {f"new_block__{group}": label}, action=f"add__{group}"
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def fill_whole_audit(client, audit, agencies=("police", "school", "gp")) -> None:
    content = audit.template_version.content
    for section in content["template"]["sections"]:
        blocks = {}
        for q in section["questions"]:
            if q["type"] == "repeat":
                add_blocks(client, audit.id, section["key"], q["key"], list(agencies))
                blocks[q["key"]] = list(range(len(agencies)))
        response = post_section(
            client, audit.id, section["key"], section_data(content, section, blocks)
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    url = f"/audits/{audit.id}/themes"
    html = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "lock_version": page_version(html),
            "action": "continue",
        },
    )
    assert response.status_code == 302
    url = f"/audits/{audit.id}/overall"
    html = client.get(url).get_data(as_text=True)
    levels = scale_levels(content, content["template"]["scale"])
    grade = levels[1] if f'value="{levels[1]}"' in html else levels[2]
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "lock_version": page_version(html),
            "overall_grade": grade,
            "overall_rationale": "Overall, the record shows good work.",
            "evidence": "Case 12345678: assessment timely, child seen alone twice.",
            "practitioner_comments": "The worker agreed with the findings.",
        },
    )
    assert response.status_code == 302


def submit(client, audit_id: int):
    html = client.get(f"/audits/{audit_id}").get_data(as_text=True)
    return client.post(
        f"/audits/{audit_id}/submit",
        data={
            "csrf_token": csrf_token(client, f"/audits/{audit_id}"),
            "lock_version": page_version(html),
        },
    )


def submitted_for_moderation(auditor) -> Audit:
    """A single-assessment audit filled in and submitted through the pages by the signed-in
    `auditor` (a client), who asked for it to be moderated."""
    audit = make_audit("single_assessment", auditor=auditor.user)
    fill_whole_audit(auditor, audit)
    audit = db.session.get(Audit, audit.id)
    audit.moderation_requested = True
    db.session.commit()
    assert submit(auditor, audit.id).status_code == 302
    return audit
