"""What changed between two versions of a template, in words a QA lead reads."""

from qa_app.data.templates import iter_questions


def _questions(content: dict) -> dict[str, dict]:
    return {
        q["key"]: q for s in content["template"]["sections"] for q in iter_questions(s["questions"])
    }


def version_changes(old: dict, new: dict) -> list[str]:
    changes = []
    old_t, new_t = old["template"], new["template"]
    old_sections = {s["key"]: s for s in old_t["sections"]}
    new_sections = {s["key"]: s for s in new_t["sections"]}
    for key in new_sections.keys() - old_sections.keys():
        changes.append(f"Section added: {new_sections[key]['title']}")
    for key in old_sections.keys() - new_sections.keys():
        changes.append(f"Section removed: {old_sections[key]['title']}")
    for key in new_sections.keys() & old_sections.keys():
        a, b = old_sections[key], new_sections[key]
        if (a["graded"], a["limiting"]) != (b["graded"], b["limiting"]):
            changes.append(f"Grading changed for section: {b['title']}")
    old_q, new_q = _questions(old), _questions(new)
    for key in sorted(new_q.keys() - old_q.keys()):
        changes.append(f"Question added: {new_q[key]['text']}")
    for key in sorted(old_q.keys() - new_q.keys()):
        changes.append(f"Question removed: {old_q[key]['text']}")
    for key in sorted(new_q.keys() & old_q.keys()):
        if {k: v for k, v in old_q[key].items() if k != "questions"} != {
            k: v for k, v in new_q[key].items() if k != "questions"
        }:
            changes.append(f"Question changed: {new_q[key]['text']}")
    if old_t["scale"] != new_t["scale"] or old["scales"] != new["scales"]:
        changes.append("Grading scale changed")
    if old_t["overall_grade"] != new_t["overall_grade"]:
        changes.append("Overall grade rule changed")
    for field in ("name", "description", "themes"):
        if old_t[field] != new_t[field]:
            changes.append(f"Template {field} changed")
    return changes or ["Wording of help text or theme descriptions only"]
