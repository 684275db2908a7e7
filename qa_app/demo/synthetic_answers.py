"""What one synthetic audit holds: grades drawn with a realistic skew, answers to every
question (within each question's type and limits, leaning with the section's grade: a weaker
section answers "no" and "partly" more often), theme marks that follow the answers, and its
moderation, actions and concerns. qa_app/demo/synthetic.py writes the rows. No text names anyone."""

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from qa_app.demo.consistent import consistent_rows
from qa_app.models import OVERALL
from qa_app.rules.uk_time import add_working_days
from qa_app.templates_engine.answers import BLOCK_MARKER, scale_levels

# Share of audits at each level, best first, by scale key (or by the scale's length).
SKEW = {"ofsted4": (5, 45, 38, 12), "three_point": (30, 48, 22)}
TEXTS = (
    "Synthetic evidence text.",
    "Synthetic evidence text: clearly recorded.",
    "Synthetic evidence text: partly recorded; the latest note is brief.",
    "Synthetic evidence text: not found in the record.",
)
EXCLUSIVE = ("none", "not_")  # multiple-choice options that stand alone ("none recorded")
ACTIONS = (
    "Update the plan so that every action has an owner and a date.",
    "Discuss the case in supervision and record the direction given.",
    "Record the child's wishes and feelings at the next visit.",
    "Complete agency checks on every adult in the household.",
    "Bring the chronology up to date.",
    "Hold a family network meeting.",
)
OWNERS = ("Team manager", "Social worker", "Practice lead", "Child protection chair")
CONCERNS = (
    "Synthetic concern: no record of the child being seen within timescale.",
    "Synthetic concern: a new adult in the household has not been checked.",
    "Synthetic concern: the safety plan has not been reviewed after a new incident.",
)


@dataclass
class Spec:
    """A template version, read once: what drawing an audit of it needs."""

    version_id: int
    template_id: int
    key: str
    levels: list[str]
    skew: tuple
    limiting_rule: bool
    overall_graded: bool
    sections: list[dict]
    themes: list[str]
    scales: dict[str, list[str]]  # every scale the version uses, by key


def compile_version(version) -> Spec:
    content = version.content
    template = content["template"]
    levels = scale_levels(content, template["scale"])
    skew = SKEW.get(template["scale"]) or tuple(range(len(levels), 0, -1))
    return Spec(
        version_id=version.id,
        template_id=version.template_id,
        key=template["key"],
        levels=levels,
        skew=skew[: len(levels)],
        limiting_rule=bool(template["overall_grade"]["limiting_rule"]),
        overall_graded=bool(template["overall_grade"]["graded"]),
        sections=template["sections"],
        themes=list(content["themes"]),
        scales={key: scale_levels(content, key) for key in content["scales"]},
    )


def draw_grades(rng: random.Random, spec: Spec, bias: float) -> tuple[int, dict[str, int]]:
    """(overall level index, {graded section key: level index}); index 0 is the best level.
    `bias` > 0 favours better grades. The overall grade keeps the template's limiting rule:
    it is no better than the worst limiting section."""
    last = len(spec.levels) - 1
    weights = [w * math.exp(-bias * i / max(1, last)) for i, w in enumerate(spec.skew)]
    quality = rng.choices(range(last + 1), weights)[0]
    sections = {}
    for section in spec.sections:
        if section["graded"]:
            deltas = (25, 65, 10) if section["limiting"] else (15, 65, 20)
            step = rng.choices((-1, 0, 1), deltas)[0]
            sections[section["key"]] = min(last, max(0, quality + step))
    overall = quality
    if spec.limiting_rule:
        limiting = [sections[s["key"]] for s in spec.sections if s["graded"] and s["limiting"]]
        overall = max([quality, *limiting])
    return overall, sections


class AuditAnswers:
    """Answer rows for one audit, and the theme signals they carry."""

    def __init__(self, rng: random.Random, spec: Spec, audit_id: int, first: date, last: date):
        self.rng, self.spec, self.audit_id = rng, spec, audit_id
        self.first, self.span = first, max(0, (last - first).days)
        self.rows: list[dict] = []
        self.strong: dict[str, int] = {}
        self.weak: dict[str, int] = {}
        self.dues: dict[str, int] = {}

    def answer_sections(self, grades: dict[str, int], quality: int, upto: int | None = None):
        last = max(1, len(self.spec.levels) - 1)
        for section in self.spec.sections[:upto]:
            r = grades.get(section["key"], quality) / last
            for q in section["questions"]:
                if q["type"] == "repeat":
                    self._blocks(q, r)
                else:
                    self._answer(q, r)
        consistent_rows(self.spec.sections, self.rows)

    def _blocks(self, group: dict, r: float) -> None:
        options = [o["key"] for o in group["options"]]
        high = min(6, len(options), group["max"] or len(options))
        count = self.rng.randint(min(high, max(2, group["min"])), high)
        for index, label in enumerate(self.rng.sample(options, count)):
            self.rows.append(
                self._row(BLOCK_MARKER, label, None, None, None, group["key"], index, label)
            )
            for inner in group["questions"]:
                if inner["type"] != "repeat":
                    self._answer(inner, r, group["key"], index, label)

    def _answer(self, q: dict, r: float, group: str = "", index: int = 0, label: str = ""):
        rng, kind = self.rng, q["type"]
        if not q["required"] and rng.random() < (0.5 if kind == "text" else 0.15):
            return
        number = day = choices = signal = None
        if kind == "yes_partly_no":
            text, signal = self._yes_partly_no(q, r)
        elif kind == "grade":
            levels = self.spec.scales[q["scale"]]
            step = rng.choice((-1, 0, 0, 0, 1))
            level = min(len(levels) - 1, max(0, round(r * (len(levels) - 1)) + step))
            text = levels[level]
            signal = "strength" if level < max(1, len(levels) // 2) else "development"
        elif kind == "single_choice":
            options = q["options"]
            # better sections lean to the first options, which templates list best first
            pick = rng.random() ** (0.5 + 2 * (1 - r))
            text = options[min(len(options) - 1, int(pick * len(options)))]["key"]
        elif kind == "multiple_choice":
            choices = self._choices(q, r)
            text = ",".join(choices)
        elif kind == "number":
            number = float(self._number(q, r))
            text = f"{number:g}"
        elif kind == "date":
            day = self.first + timedelta(days=rng.randint(0, self.span))
            text = day.isoformat()
        else:
            text = rng.choice(TEXTS)[: q.get("max_length") or None]
        self.rows.append(self._row(q["key"], text, number, day, choices, group, index, label))
        if signal:
            counts = self.strong if signal == "strength" else self.weak
            for theme in q.get("themes", ()):
                counts[theme] = counts.get(theme, 0) + 1

    def _yes_partly_no(self, q: dict, r: float) -> tuple[str, str | None]:
        if q["not_applicable"] and self.rng.random() < 0.04:
            return "not_applicable", None
        u = self.rng.random()
        if u < 0.88 - 0.63 * r:
            return "yes", "strength"
        return ("partly" if u < 0.96 - 0.36 * r else "no"), "development"

    def _choices(self, q: dict, r: float) -> list[str]:
        keys = [o["key"] for o in q["options"]]
        alone = [k for k in keys if k.startswith(EXCLUSIVE)]
        others = [k for k in keys if k not in alone]
        if alone and (not others or self.rng.random() < 0.03 + 0.15 * r):
            return [self.rng.choice(alone)]
        chosen = set(self.rng.sample(others, self.rng.randint(1, min(4, len(others)))))
        return [k for k in others if k in chosen]

    def _number(self, q: dict, r: float) -> int:
        rng, key = self.rng, q["key"]
        low, high = q["min"], q["max"]
        prefix = next((p for p in self.dues if key.startswith(p + "_")), None)
        if key.endswith("_due"):
            value = self.dues[key[:-4]] = rng.randint(2, 12)
        elif prefix:  # e.g. visits_in_timescale after visits_due: no more than were due
            due = self.dues[prefix]
            value = due - int(due * r * rng.random() * 0.8 + 0.5)
        elif "working days" in (q.get("unit") or ""):
            value = int(rng.triangular(5, 40, 8 + 25 * r))
        elif (q.get("unit") or "") == "months":
            value = rng.randint(1, 24)
        elif key.startswith("children"):
            value = rng.choices((1, 2, 3, 4, 5), (40, 30, 17, 9, 4))[0]
        elif key.startswith("previous"):
            value = min(8, int(rng.expovariate(0.9 - 0.5 * r)))
        else:
            start = int(low or 0)
            value = rng.randint(start, int(high) if high is not None else start + 10)
        if low is not None:
            value = max(value, math.ceil(low))
        if high is not None:
            value = min(value, math.floor(high))
        return value

    def _row(self, key, text, number, day, choices, group, index, label) -> dict:
        return {
            "audit_id": self.audit_id,
            "group_key": group,
            "block_index": index,
            "block_label": label,
            "question_key": key,
            "value_text": text,
            "value_number": number,
            "value_date": day,
            "value_choices": choices,
        }

    def theme_marks(self, r_overall: float) -> list[dict]:
        """One mark per theme of the template: mostly what the answers suggest, with the
        auditor's own judgement (and the overall grade) sometimes differing."""
        rng, out = self.rng, []
        for theme in self.spec.themes:
            strong, weak = self.strong.get(theme, 0), self.weak.get(theme, 0)
            # every question is answered, so a theme with no good or weak answer is one no
            # yes/partly/no or grade question evidences: the form suggests "not assessed"
            suggested = "development" if weak else ("strength" if strong else "not_assessed")
            if strong + weak == 0:
                u = rng.random()
                mark = "not_seen" if u < 0.8 else "strength"
                if 0.8 <= u < 0.8 + 0.2 * r_overall:
                    mark = "development"
            else:
                p_development = min(0.95, 0.85 * weak / (strong + weak) + 0.3 * r_overall)
                u = rng.random()
                if u < p_development:
                    mark = "development"
                else:
                    mark = "strength" if u < 0.97 else "not_seen"
            out.append(
                {
                    "audit_id": self.audit_id,
                    "theme_key": theme,
                    "mark": mark,
                    "suggested": mark == suggested,
                }
            )
        return out


class Extras:
    """Moderation, actions for the case and urgent concerns of one completed audit."""

    def __init__(self, rng: random.Random, now: datetime, end: date, moderators: list[int]):
        self.rng, self.now, self.end, self.moderators = rng, now, end, moderators

    def moderation(self, audit_id, spec, status, requested, overall, grades, done_at, rows):
        rng = self.rng
        completed = status == "moderated"
        finished = min(
            done_at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6)), self.now
        )
        rows["moderations"].append(
            {
                "audit_id": audit_id,
                "moderator_id": rng.choice(self.moderators) if completed else None,
                "reason": "requested" if requested else "sample",
                "blind": completed and rng.random() < 0.3,
                "status": "completed" if completed else "pending",
                "summary": "Synthetic moderation summary." if completed else "",
                "completed_at": finished if completed else None,
                "created_at": done_at,
                "updated_at": finished if completed else done_at,
            }
        )
        if not completed:
            return
        index, last = len(rows["moderations"]) - 1, len(spec.levels) - 1
        judged = [(key, level) for key, level in grades.items()]
        if spec.overall_graded:
            judged.append((OVERALL, overall))
        for key, level in judged:
            step = rng.choices((0, 1, -1), (82, 12, 6))[
                0
            ]  # mostly agreed; sometimes a level lower, rarely higher
            theirs = min(last, max(0, level + step))
            rows["moderation_grades"].append(
                {
                    "moderation_id": index,  # replaced by the moderation's id once reserved
                    "section_key": key,
                    "auditor_grade": spec.levels[level],
                    "moderator_grade": spec.levels[theirs],
                    "reason": "" if theirs == level else "Synthetic moderation reason.",
                }
            )

    def actions(self, audit_id: int, day: date, done_at: datetime, r: float, rows) -> None:
        rng = self.rng
        count = rng.choices((0, 1, 2, 3), (70 - 40 * r, 20 + 15 * r, 8 + 15 * r, 2 + 10 * r))[0]
        for _ in range(count):
            due = day + timedelta(days=rng.randint(10, 45))
            completed = rng.random() < (0.8 if due < self.end else 0.2)
            finished = at(due - timedelta(days=rng.randint(-5, 10)), 12, 0)
            finished = min(max(finished, done_at), self.now)
            rows["case_actions"].append(
                {
                    "audit_id": audit_id,
                    "description": rng.choice(ACTIONS),
                    "owner": rng.choice(OWNERS),
                    "due_date": due,
                    "status": "completed" if completed else "open",
                    "completed_at": finished if completed else None,
                    "created_at": done_at,
                    "updated_at": finished if completed else done_at,
                }
            )

    def concern(self, audit_id: int, auditor: int, started_at, done_at, rows) -> None:
        rng = self.rng
        raised = started_at + (done_at - started_at) * rng.random()
        responded = raised + timedelta(hours=rng.randint(2, 40))
        signed = responded + timedelta(hours=rng.randint(1, 48))
        answered = responded <= self.now and rng.random() < 0.92
        closed = answered and signed <= self.now and rng.random() < 0.9
        rows["concerns"].append(
            {
                "audit_id": audit_id,
                "raised_by_id": auditor,
                "description": rng.choice(CONCERNS),
                "respond_by": add_working_days(raised, 1),
                "response": "Synthetic response: the team manager has acted." if answered else None,
                "responded_by_id": rng.choice(self.moderators) if answered else None,
                "responded_at": responded if answered else None,
                "signed_off_by_id": rng.choice(self.moderators) if closed else None,
                "signed_off_at": signed if closed else None,
                "created_at": raised,
                "updated_at": signed if closed else (responded if answered else raised),
            }
        )


def at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)
