"""Building PATCH bodies that fill a whole audit, from its template version's content."""

from qa_app.templates_engine.answers import parse_field_name, placed_questions, scale_levels
from tests.audits.filling import good_answer


def full_body(content: dict, lock_version: int, agencies=("police", "school", "gp")) -> dict:
    """Every answer, section grade and the overall judgement (the second-best level throughout,
    so the limiting rule allows it); repeat groups get one block per agency, added in the same
    request (new blocks take the next indices, from 0 on a fresh audit)."""
    template = content["template"]
    levels = scale_levels(content, template["scale"])
    body = {"lock_version": lock_version, "answers": {}, "section_grades": {}, "add_blocks": []}
    for section in template["sections"]:
        for q in section["questions"]:
            if q["type"] != "repeat":
                body["answers"][f"q__{q['key']}"] = good_answer(content, q)
                continue
            for index, agency in enumerate(agencies):
                body["add_blocks"].append({"group": q["key"], "label": agency})
                for inner in q["questions"]:
                    name = f"r__{q['key']}__{index}__{inner['key']}"
                    body["answers"][name] = good_answer(content, inner)
        if section["graded"]:
            body["section_grades"][section["key"]] = {
                "grade": levels[1],
                "rationale": f"Grade for {section['key']}: the record shows it.",
            }
    body["theme_marks"] = {}  # confirm the suggested marks
    body["overall"] = {
        "evidence": "Case 12345678: assessment timely, child seen alone twice.",
        "practitioner_comments": "The worker agreed with the findings.",
    }
    if template["overall_grade"]["graded"]:
        body["overall"]["overall_grade"] = levels[1]
        body["overall"]["overall_rationale"] = "Overall, the record shows good work."
    return body


def steps_of(content: dict, body: dict) -> int:
    """How many versions (and change-log entries) a PATCH body makes: one per added or
    removed block, one per section with answers or a grade, one for themes, one for overall."""
    placed = placed_questions(content)
    sections = set(body.get("section_grades", {}))
    for name in body.get("answers", {}):
        sections.add(placed[parse_field_name(name)[0]].section_key)
    return (
        len(body.get("add_blocks", []))
        + len(sections)
        + len(body.get("remove_blocks", []))
        + ("theme_marks" in body)
        + ("overall" in body)
    )
