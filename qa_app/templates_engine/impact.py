"""Impact questions: the questions of a template that measure the difference made for the
child (`impact: true`), with their answers in order, best first, read from a stored version's
content; and one child's answer to one of them in two cycles (qa_app.findings.follow_up)."""

from dataclasses import dataclass
from typing import Any

from qa_app.templates_engine.answers import YES_PARTLY_NO_LABELS


@dataclass(frozen=True)
class ImpactQuestion:
    """An impact question of a template, with its answers in order, best first."""

    template_key: str
    template_name: str
    key: str
    text: str
    levels: tuple[tuple[str, str], ...]  # (answer key, label), best first

    @property
    def ident(self) -> tuple[str, str]:
        return (self.template_key, self.key)

    def label(self, value: str | None) -> str:
        if value is None:
            return "Not answered"
        return dict(self.levels).get(value) or YES_PARTLY_NO_LABELS.get(value, value)


def impact_questions(content: dict[str, Any], template_name: str) -> list[ImpactQuestion]:
    """The impact questions of a stored template version's content, in template order."""
    template = content["template"]
    found = []
    for section in template["sections"]:
        for q in section["questions"]:
            if not q.get("impact"):
                continue
            if q["type"] == "yes_partly_no":
                levels = tuple((k, YES_PARTLY_NO_LABELS[k]) for k in ("yes", "partly", "no"))
            elif q["type"] == "grade":
                scale = content["scales"].get(q.get("scale") or template["scale"], {})
                levels = tuple((lv["key"], lv["label"]) for lv in scale.get("levels", []))
            else:
                levels = tuple((o["key"], o["label"]) for o in q.get("options", []))
            found.append(
                ImpactQuestion(template["key"], template_name, q["key"], q["text"], levels)
            )
    return found


@dataclass(frozen=True)
class AnswerPair:
    """One child's answer to one impact question in the original cycle and in the follow-up."""

    case_reference: str
    team: str
    template_key: str
    question_key: str
    then: str | None
    now: str | None
