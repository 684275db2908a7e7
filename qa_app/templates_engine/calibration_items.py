"""What a calibration round asks of a template version, without a database: each graded section
(graded on the template's scale, an ordinal item), the overall grade where the template grades
one, and each counted question (yes / partly / no and single choice, nominal items: "not
applicable" is an answer, not a point on a line, so yes / partly / no stays nominal).

Item keys: "section:<key>", "overall", "question:<key>"."""

from dataclasses import dataclass
from typing import Any

from qa_app.templates_engine.answers import YES_PARTLY_NO_LABELS

COUNTED_TYPES = ("yes_partly_no", "single_choice")


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    section: str  # the section's title
    graded: bool  # a grade on the scale (True) or an answer to a question
    levels: tuple[tuple[str, str], ...]  # (key, label), scale order, best first for grades
    hints: tuple[str, ...] = ()  # one per level: the scale's description, where it has one

    @property
    def ordinal(self) -> bool:
        return self.graded

    def index(self, value: str | None) -> int | None:
        keys = [key for key, _ in self.levels]
        return keys.index(value) if value in keys else None

    def label_of(self, value: str | None) -> str:
        return dict(self.levels).get(value or "", "")


def _scale(content: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    levels = content["scales"][content["template"]["scale"]]["levels"]
    return (
        tuple((lvl["key"], lvl["label"]) for lvl in levels),
        tuple(lvl.get("description", "") for lvl in levels),
    )


def _question_levels(question: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    if question["type"] == "single_choice":
        return tuple((o["key"], o["label"]) for o in question["options"])
    keys = ["yes", "partly", "no"] + (["not_applicable"] if question["not_applicable"] else [])
    return tuple((k, YES_PARTLY_NO_LABELS[k]) for k in keys)


def calibration_items(content: dict[str, Any]) -> list[Item]:
    """The items of a version, in the template's order: per section its counted questions and
    then its grade; the overall grade last."""
    levels, hints = _scale(content)
    template = content["template"]
    items: list[Item] = []
    for section in template["sections"]:
        for question in section["questions"]:
            if question["type"] in COUNTED_TYPES:
                items.append(
                    Item(
                        f"question:{question['key']}",
                        question["text"],
                        section["title"],
                        False,
                        _question_levels(question),
                    )
                )
        if section.get("graded"):
            items.append(
                Item(
                    f"section:{section['key']}",
                    f"Grade: {section['title']}",
                    section["title"],
                    True,
                    levels,
                    hints,
                )
            )
    if template.get("overall_grade", {}).get("graded"):
        items.append(Item("overall", "Overall grade", "Overall", True, levels, hints))
    return items
