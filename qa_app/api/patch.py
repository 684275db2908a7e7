"""PATCH /api/v1/audits/<id>: check the whole body first (one 422 listing every problem,
nothing saved), then apply it through qa_app.data.audits, step by step, each step a version
of the audit and a change-log entry, in this order: add_blocks, answers and section grades
(one save per section, in the template's order), remove_blocks, theme_marks, overall.

Like the web form, answers are drafts: a number or date that does not parse is kept as typed
and reported on submit. Choices (grades, yes/partly/no, options) must be ones the template
offers, as the web form's radios and checkboxes only offer those."""

from dataclasses import dataclass, field

from qa_app.api.blueprint import Problems
from qa_app.api.schemas.audits import AuditPatch
from qa_app.api.validation import read_body
from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.models import Audit
from qa_app.templates_engine.answers import (
    overall_problem,
    parse,
    parse_field_name,
    placed_questions,
    problem,
    scale_levels,
)

CHOICE_KINDS = {"grade", "yes_partly_no", "single_choice", "multiple_choice"}
TEXTS = ("overall_rationale", "evidence", "practitioner_comments")


@dataclass
class Plan:
    lock_version: int | None = None
    add_blocks: list[tuple[str, str]] = field(default_factory=list)
    sections: dict[str, dict] = field(default_factory=dict)  # key -> {raw, grade, rationale}
    remove_blocks: list[tuple[str, int]] = field(default_factory=list)
    theme_marks: dict[str, str] | None = None
    overall: dict | None = None


def _raw_ok(question: dict, raw) -> bool:
    if raw is None or isinstance(raw, str):
        return True
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        return question["type"] in ("number", "text")
    if isinstance(raw, list):
        return question["type"] in ("multiple_choice", "date") and all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in raw
        )
    return False


def plan(audit: Audit, body: dict) -> Plan:
    """Check the body against the schema (qa_app.api.schemas.audits.AuditPatch) and the
    audit's template version; 422 (nothing saved) listing every problem once if anything is
    wrong, otherwise what to save. The template's checks read the body as sent, so that one
    422 names what the schema refuses and what the template does not know alike."""
    check = _Check(audit, body)
    check.blocks_to_add()
    check.answers()
    check.checks_between_answers()
    check.section_grades()
    check.blocks_to_remove()
    check.theme_marks()
    if "overall" in body:
        check.out.overall = _overall(
            check.content, _part(body, "overall", dict), check.grades, check.problems
        )
    first = {}
    for item in check.problems.items:
        first.setdefault(item["field"], item)
    check.problems.items = list(first.values())
    check.problems.check()
    return check.out


def _part(body: dict, name: str, kind: type):
    """body[name] if it is a `kind` (the schema names it otherwise), or an empty one."""
    value = body.get(name)
    return value if isinstance(value, kind) else kind()


class _Check:
    """The checks of one PATCH body, part by part, into one list of problems."""

    def __init__(self, audit: Audit, body: dict):
        self.audit, self.body = audit, body
        self.content = audit.template_version.content
        self.template = self.content["template"]
        self.placed = placed_questions(self.content)
        self.sections = {s["key"]: s for s in self.template["sections"]}
        checked, self.problems = read_body(AuditPatch, body)
        self.out = Plan(lock_version=checked.lock_version)
        stored = audit_data.stored_answers(audit)
        # the block indices of each repeat group, as they will be once blocks are added
        self.block_indices = {
            key: [i for i, _ in audit_data.blocks(stored, key)]
            for key, p in self.placed.items()
            if p.question["type"] == "repeat" and not p.group_key
        }
        self.stored_grades = audit_data.section_grades(audit)
        self.grades = {k: g.grade for k, g in self.stored_grades.items()}

    def repeat_group(self, key, where: str) -> dict | None:
        p = self.placed.get(key) if isinstance(key, str) else None
        if p is None or p.group_key or p.question["type"] != "repeat":
            self.problems.add(where, f"{key!r} is not a repeat group of this template")
            return None
        return p.question

    def blocks_to_add(self) -> None:
        for n, item in enumerate(_part(self.body, "add_blocks", list)):
            where = f"add_blocks[{n}]"
            if not isinstance(item, dict):
                continue
            group = self.repeat_group(item.get("group"), f"{where}.group")
            if group is None:
                continue
            label, noun = item.get("label"), group["repeat_label"].lower()
            if not isinstance(label, str) or label not in {o["key"] for o in group["options"]}:
                self.problems.add(f"{where}.label", f"Unknown {noun} {label!r}")
                continue
            indices = self.block_indices[group["key"]]
            if group["max"] is not None and len(indices) >= group["max"]:
                self.problems.add(where, f"At most {group['max']} {noun} blocks")
                continue
            indices.append(max(indices, default=-1) + 1)
            self.out.add_blocks.append((group["key"], label))

    def answers(self) -> None:
        for name, raw in _part(self.body, "answers", dict).items():
            where = f"answers.{name}"
            parsed = parse_field_name(name)
            p = self.placed.get(parsed[0]) if parsed else None
            if p is None or p.group_key != parsed[1] or p.question["type"] == "repeat":
                self.problems.add(where, f"{name!r} is not a question of this template")
                continue
            if p.group_key and parsed[2] not in self.block_indices[p.group_key]:
                self.problems.add(where, f"There is no block {parsed[2]} in {p.group_key!r}")
                continue
            question = p.question
            if not _raw_ok(question, raw):
                self.problems.add(
                    where, f"Not a valid kind of value for a {question['type']} question"
                )
                continue
            value = parse(question, raw)
            if question["type"] in CHOICE_KINDS and not value.empty:
                if message := problem(self.content, question, value):
                    self.problems.add(where, message)
                    continue
            self.out.sections.setdefault(p.section_key, {"raw": {}})["raw"][name] = raw

    def checks_between_answers(self) -> None:
        """The template's checks between answers, over the stored answers with these (the
        same refusal, in the same words, as the web form's section save)."""
        raw = {n: v for entry in self.out.sections.values() for n, v in entry["raw"].items()}
        if raw:
            for failure in submission.save_check_failures(self.audit, raw, self.out.sections):
                self.problems.add(f"answers.{failure.field}", failure.message)

    def section_grades(self) -> None:
        levels = scale_levels(self.content, self.template["scale"])
        for key, value in _part(self.body, "section_grades", dict).items():
            where = f"section_grades.{key}"
            if key not in self.sections or not self.sections[key]["graded"]:
                self.problems.add(where, f"{key!r} is not a graded section of this template")
                continue
            if not isinstance(value, dict):
                continue  # the schema's problem
            grade, rationale = value.get("grade"), value.get("rationale")
            if isinstance(grade, str) and grade and grade not in levels:
                self.problems.add(f"{where}.grade", "Choose a grade from the scale")
            entry = self.out.sections.setdefault(key, {"raw": {}})
            if "grade" in value and (grade is None or isinstance(grade, str)):
                entry["grade"] = self.grades[key] = grade or None
            if "rationale" in value:
                entry["rationale"] = rationale or ""
        # A section save writes its grade and rationale: keep what is stored unless changed.
        for key, entry in self.out.sections.items():
            if self.sections[key]["graded"]:
                row = self.stored_grades.get(key)
                entry.setdefault("grade", row.grade if row else None)
                entry.setdefault("rationale", row.rationale if row else "")

    def blocks_to_remove(self) -> None:
        removing = self.out.remove_blocks
        for n, item in enumerate(_part(self.body, "remove_blocks", list)):
            where = f"remove_blocks[{n}]"
            if not isinstance(item, dict):
                continue
            group = self.repeat_group(item.get("group"), f"{where}.group")
            if group is None:
                continue
            index = item.get("index")
            if isinstance(index, bool) or not isinstance(index, int):
                continue  # the schema's problem
            if index not in self.block_indices[group["key"]] or ((group["key"], index) in removing):
                self.problems.add(
                    f"{where}.index", f"There is no block {index} in {group['key']!r}"
                )
            else:
                removing.append((group["key"], index))

    def theme_marks(self) -> None:
        """Marks not sent keep their stored mark (save_themes suggests the ones never set)."""
        if "theme_marks" not in self.body:
            return
        marks = {k: m.mark for k, m in audit_data.theme_marks(self.audit).items()}
        for key, mark in _part(self.body, "theme_marks", dict).items():
            if key not in self.content["themes"]:
                self.problems.add(f"theme_marks.{key}", f"{key!r} is not a theme of this template")
            else:
                marks[key] = mark  # the schema checks it is a mark
        self.out.theme_marks = marks


def _overall(content: dict, values: dict, grades: dict, problems: Problems) -> dict:
    """The overall judgement to save (the schema has checked each value's type and length); a
    template whose overall judgement is not graded takes no grade or rationale."""
    graded = content["template"]["overall_grade"]["graded"]
    if not graded:
        for name in ("overall_grade", "overall_rationale"):
            if name in values:
                problems.add(f"overall.{name}", f"Unknown field {name!r}")
    out = {name: values[name] or "" for name in TEXTS if name in values}
    if "moderation_requested" in values:
        out["moderation_requested"] = bool(values["moderation_requested"])
    if "overall_grade" in values and graded:
        grade = values["overall_grade"] or None
        if isinstance(grade, str):
            if message := overall_problem(content, grade, grades):  # scale and limiting rule
                problems.add("overall.overall_grade", message)
        out["overall_grade"] = grade
    return out


def apply(audit: Audit, todo: Plan, *, actor) -> int:
    """Apply a checked plan; returns the audit's new version. StaleAudit / AuditLocked from
    qa_app.data.audits pass through, with `steps_saved` set on them: 0 unless someone else
    saved the audit in the middle of this request (each step is whole, and logged)."""
    version = todo.lock_version
    if audit.lock_version != version:
        raise audit_data.StaleAudit(audit, version)
    for done, (write, args, kwargs) in enumerate(_steps(audit, todo)):
        try:
            version = write(audit, *args, based_on=version, actor=actor, **kwargs)
        except (audit_data.StaleAudit, audit_data.AuditLocked) as error:
            error.steps_saved = done
            raise
    return version


def _steps(audit: Audit, todo: Plan):
    """Each write as (function, arguments, keyword arguments), in the order applied."""
    for group, label in todo.add_blocks:
        yield audit_data.add_block, (group, label), {}
    for section in audit.template_version.content["template"]["sections"]:
        entry = todo.sections.get(section["key"])
        if entry is not None:
            grade = {"grade": entry.get("grade"), "rationale": entry.get("rationale")}
            yield audit_data.save_section, (section["key"], entry["raw"]), grade
    for group, index in todo.remove_blocks:
        yield audit_data.remove_block, (group, index), {}
    if todo.theme_marks is not None:
        yield audit_data.save_themes, (todo.theme_marks,), {}
    if todo.overall is not None:
        yield audit_data.save_overall, (todo.overall,), {}
