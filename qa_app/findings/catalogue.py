"""What the figures are about: templates, their scales, graded sections, counted questions and
themes, read from the template versions in scope. The newest version of a template gives the
wording; a key only older versions have (a question since removed) keeps its old wording, so
audits done with any version are counted and labelled.

Every version keeps the scale it was graded on. A template whose versions in scope use two
scales (e.g. a historic review imported on good / adequate / inadequate) has one entry per
scale (`entries`), so grades on different scales are never added together."""

from dataclasses import dataclass, field
from typing import Any

from qa_app.findings import queries
from qa_app.models import TemplateVersion
from qa_app.templates_engine.answers import YES_PARTLY_NO_LABELS

YES_PARTLY_NO_ORDER = ["yes", "partly", "no", "not_applicable"]


@dataclass
class QuestionInfo:
    key: str
    text: str
    type: str
    section: str  # section title
    group: str = ""  # the repeat question's key, for questions inside a repeat group
    unit: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # value key -> label, in order
    finding: dict[str, Any] = field(
        default_factory=dict
    )  # how an answer reads as a finding (optional)


@dataclass
class TemplateInfo:
    id: int
    key: str
    name: str
    scale_key: str
    scale_name: str
    levels: list[dict[str, Any]]  # [{"key", "label"}], best first
    good_or_better: list[str]
    sections: list[tuple[str, str]] = field(default_factory=list)  # graded (key, title)
    questions: dict[str, QuestionInfo] = field(default_factory=dict)
    repeats: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # key -> {"text", "label", "options"}
    themes: dict[str, str] = field(default_factory=dict)  # key -> name
    noun: dict[str, Any] | None = None  # {"one": "assessment", "many": "assessments"} (optional)
    version_ids: set[int] = field(default_factory=set)  # for an entry: its versions in scope

    @property
    def level_keys(self) -> list[str]:
        return [lvl["key"] for lvl in self.levels]


@dataclass(frozen=True)
class ScaleInfo:
    key: str
    name: str
    levels: list[dict[str, Any]]  # [{"key", "label"}], best first
    good_or_better: list[str]

    @property
    def level_keys(self) -> list[str]:
        return [lvl["key"] for lvl in self.levels]


def good_or_better(levels: list[str]) -> list[str]:
    """The levels counted as 'good or better': down to 'good' where the scale has it,
    otherwise the best level alone."""
    if "good" in levels:
        return levels[: levels.index("good") + 1]
    return levels[:1]


def _labels(content: dict[str, Any], q: dict[str, Any]) -> dict[str, str]:
    kind = q["type"]
    if kind == "yes_partly_no":
        allowed = YES_PARTLY_NO_ORDER if q.get("not_applicable", True) else YES_PARTLY_NO_ORDER[:3]
        return {k: YES_PARTLY_NO_LABELS[k] for k in allowed}
    if kind in ("single_choice", "multiple_choice"):
        return {o["key"]: o["label"] for o in q["options"]}
    if kind == "grade":
        scale = content["scales"][q.get("scale") or content["template"]["scale"]]
        return {lvl["key"]: lvl["label"] for lvl in scale["levels"]}
    return {}


def _add_version(info: TemplateInfo, content: dict[str, Any]) -> None:
    """Add what this version has and `info` lacks (versions are added newest first)."""
    template = content["template"]
    known_sections = {k for k, _ in info.sections}
    for section in template["sections"]:
        if section.get("graded") and section["key"] not in known_sections:
            info.sections.append((section["key"], section["title"]))
        for q in section["questions"]:
            if q["type"] == "repeat":
                info.repeats.setdefault(
                    q["key"],
                    {
                        "text": q["text"],
                        "label": q.get("repeat_label") or "Block",
                        "options": {o["key"]: o["label"] for o in q["options"]},
                    },
                )
                inner = q["questions"]
                group = q["key"]
            else:
                inner = [q]
                group = ""
            for question in inner:
                if (
                    question["type"] in queries.COUNTED_TYPES
                    and question["key"] not in info.questions
                ):
                    info.questions[question["key"]] = QuestionInfo(
                        key=question["key"],
                        text=question["text"],
                        type=question["type"],
                        section=section["title"],
                        group=group,
                        unit=question.get("unit") or "",
                        labels=_labels(content, question),
                        finding=question.get("finding") or _about_the_audit(question),
                    )
    for key, theme in content.get("themes", {}).items():
        info.themes.setdefault(key, theme["name"])


def _info(
    template_id: int,
    newest: TemplateVersion,
    scale: dict[str, Any],
    versions: list[TemplateVersion],
) -> TemplateInfo:
    """A template's metadata on one scale, worded by `versions` (newest first)."""
    levels = [{"key": lvl["key"], "label": lvl["label"]} for lvl in scale["levels"]]
    info = TemplateInfo(
        id=template_id,
        key=newest.template.key,
        name=newest.template.name,
        scale_key=scale["key"],
        scale_name=scale["name"],
        levels=levels,
        good_or_better=good_or_better([lvl["key"] for lvl in levels]),
        version_ids={v.id for v in versions},
        noun=newest.content["template"].get("finding_noun"),
    )
    for v in versions:
        _add_version(info, v.content)
    return info


def _scale_of(content: dict[str, Any]) -> dict[str, Any]:
    return {"key": content["template"]["scale"], **content["scales"][content["template"]["scale"]]}


def _about_the_audit(question: dict[str, Any]) -> dict[str, Any]:
    """A question with no phrasing that evidences no theme ("Has this audit been discussed
    with the practitioner?") is about the audit, not about practice: never a finding."""
    return {} if question.get("themes") else {"practice": False}


class Catalogue:
    """Template metadata for the versions in scope, and which template each version is of."""

    def __init__(self, versions: list[TemplateVersion]) -> None:
        self.template_of: dict[int, int] = {v.id: v.template_id for v in versions}
        self.version_scale: dict[int, str] = {
            v.id: v.content["template"]["scale"] for v in versions
        }
        latest = queries.latest_versions(set(self.template_of.values()))
        self.templates: dict[int, TemplateInfo] = {}
        self.entries: list[TemplateInfo] = []  # per template and scale, newest scale first
        by_template: dict[int, list[TemplateVersion]] = {}
        for v in versions:
            by_template.setdefault(v.template_id, []).append(v)
        for template_id, newest in latest.items():
            in_scope = sorted(by_template.get(template_id, []), key=lambda v: -v.number)
            everything = [newest, *[o for o in in_scope if o.id != newest.id]]
            info = _info(template_id, newest, _scale_of(newest.content), everything)
            info.version_ids = {v.id for v in in_scope}
            self.templates[template_id] = info
            by_scale: dict[str, list[TemplateVersion]] = {}
            for v in in_scope:
                by_scale.setdefault(self.version_scale[v.id], []).append(v)
            for scale_key, mine in sorted(
                by_scale.items(), key=lambda item: item[0] != info.scale_key
            ):
                if list(by_scale) == [info.scale_key]:
                    self.entries.append(info)
                    continue
                wording = [newest, *mine] if scale_key == info.scale_key else mine
                entry = _info(template_id, newest, _scale_of(mine[0].content), wording)
                entry.version_ids = {v.id for v in mine}
                self.entries.append(entry)
        self.scales: dict[str, dict[str, Any]] = {}
        for v in versions:
            for key, scale in v.content["scales"].items():
                self.scales.setdefault(key, scale)

    def ordered(self) -> list[TemplateInfo]:
        return sorted(self.templates.values(), key=lambda t: t.name)

    def ordered_entries(self) -> list[TemplateInfo]:
        """One per template and scale in scope: by name, a template's newest scale first."""
        return sorted(self.entries, key=lambda t: t.name)  # a stable sort keeps scale order

    def scale(self, key: str) -> ScaleInfo:
        definition = self.scales[key]
        levels = [{"key": lvl["key"], "label": lvl["label"]} for lvl in definition["levels"]]
        return ScaleInfo(
            key=key,
            name=definition["name"],
            levels=levels,
            good_or_better=good_or_better([lvl["key"] for lvl in levels]),
        )

    def overall_scales(self) -> list[ScaleInfo]:
        """The scales the versions in scope grade on, in the order of the templates."""
        keys = dict.fromkeys(t.scale_key for t in self.ordered_entries())
        return [self.scale(k) for k in keys]

    def counted_question_keys(self) -> dict[str, set[str]]:
        """The keys of the counted questions, by question type."""
        out: dict[str, set[str]] = {}
        for t in self.templates.values():
            for key, q in t.questions.items():
                out.setdefault(q.type, set()).add(key)
        return out

    def group_of(self, template_id: int, question_key: str) -> str:
        """The repeat group a question is in ('' outside one)."""
        t = self.templates.get(template_id)
        q = t.questions.get(question_key) if t else None
        return q.group if q else ""

    def theme_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for t in self.templates.values():
            for key, name in t.themes.items():
                out.setdefault(key, name)
        return out
