"""What changed between two versions of a template, in words a QA lead reads."""

from typing import Any

from qa_app.templates_engine.content import iter_questions


def _questions(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        q["key"]: q for s in content["template"]["sections"] for q in iter_questions(s["questions"])
    }


def _keys(section: dict[str, Any]) -> list[str]:
    return [q["key"] for q in iter_questions(section["questions"])]


def version_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changes = []
    old_t, new_t = old["template"], new["template"]
    old_sections = {s["key"]: s for s in old_t["sections"]}
    new_sections = {s["key"]: s for s in new_t["sections"]}
    for key, section in new_sections.items():
        if key not in old_sections:
            changes.append(f"Section added: {section['title']}")
    for key, section in old_sections.items():
        if key not in new_sections:
            changes.append(f"Section removed: {section['title']}")
    for key, b in new_sections.items():
        a = old_sections.get(key)
        if a is None:
            continue
        if a["title"] != b["title"]:
            changes.append(f"Section renamed: {a['title']} to {b['title']}")
        if (a["graded"], a["limiting"]) != (b["graded"], b["limiting"]):
            changes.append(f"Grading changed for section: {b['title']}")
        if a["help"] != b["help"]:
            changes.append(f"Section help text changed: {b['title']}")
        kept = set(_keys(a)) & set(_keys(b))
        if [k for k in _keys(a) if k in kept] != [k for k in _keys(b) if k in kept]:
            changes.append(f"Questions reordered in section: {b['title']}")
    old_q, new_q = _questions(old), _questions(new)
    for key in sorted(new_q.keys() - old_q.keys()):
        changes.append(f"Question added: {new_q[key]['text']}")
    for key in sorted(old_q.keys() - new_q.keys()):
        changes.append(f"Question removed: {old_q[key]['text']}")
    old_home = {k: s["key"] for s in old_t["sections"] for k in _keys(s)}
    new_home = {k: s["key"] for s in new_t["sections"] for k in _keys(s)}
    for key in sorted(new_q.keys() & old_q.keys()):
        if old_home[key] != new_home[key]:
            section = new_sections[new_home[key]]["title"]
            changes.append(f"Question moved to {section}: {new_q[key]['text']}")
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
    # The vocabulary snapshot: a theme the template uses may be renamed or reworded in
    # themes.yaml, which makes a new version even though the template file is unchanged.
    old_themes, new_themes = old.get("themes", {}), new.get("themes", {})
    for key in sorted(old_themes.keys() & new_themes.keys()):
        a, b = old_themes[key], new_themes[key]
        if a["name"] != b["name"]:
            changes.append(f"Theme renamed: {a['name']} to {b['name']}")
        if a.get("description") != b.get("description"):
            changes.append(f"Theme description changed: {b['name']}")
    return changes or ["Other changes to the layout of the form"]
