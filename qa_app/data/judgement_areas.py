"""The judgement areas the annual self-evaluation is written to, read from a YAML file
(qa_app/data/frameworks/ofsted_ilacs.yaml): each area's key, title and the evidence that feeds
it (audit templates, indicator areas, themes, practice weeks). Checked as the audit templates
are: every problem names the file and its line (JudgementAreasError)."""

from dataclasses import dataclass
from pathlib import Path

from qa_app.data.indicator_areas import AREAS
from qa_app.templates_engine.source import (
    MAX_TEMPLATE_BYTES,
    Checker,
    LineDict,
    line_of,
    load_yaml,
)

FRAMEWORK_FILE = Path(__file__).with_name("frameworks") / "ofsted_ilacs.yaml"
QUESTION_KEYS = ("know", "how", "doing")
AREA_FIELDS = ("key", "title", "templates", "indicator_areas", "themes", "practice_weeks")
TITLE_MAX = 200


@dataclass(frozen=True)
class JudgementArea:
    key: str
    title: str
    templates: tuple[str, ...]
    indicator_areas: tuple[str, ...]
    themes: tuple[str, ...]
    practice_weeks: bool


@dataclass(frozen=True)
class Framework:
    name: str
    questions: dict[str, str]  # know, how, doing: the three questions Ofsted asks
    areas: tuple[JudgementArea, ...]


class JudgementAreasError(ValueError):
    """The file's problems, each "file:line: message"."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _keys(ck: Checker, area: LineDict, name: str, what: str) -> tuple[str, ...]:
    items = ck.list(area, name, what)
    if items is None:
        return ()
    out = []
    for i, item in enumerate(items):
        line = items.item_lines[i]
        if not isinstance(item, str) or not item.replace("_", "").isalnum() or not item.islower():
            ck.add(line, f"'{name}' of {what} must list keys (lowercase letters, digits and _)")
        elif name == "indicator_areas" and item not in AREAS:
            ck.add(line, f"unknown indicator area '{item}' in {what} (one of {', '.join(AREAS)})")
        else:
            out.append(item)
    return tuple(out)


def _area(ck: Checker, area: object, line: int, seen: dict[str, int]) -> JudgementArea | None:
    if not ck.mapping(area, line, "an area"):
        return None
    ck.unknown_fields(area, AREA_FIELDS, "an area")
    if not ck.required_fields(area, ("key", "title"), "an area"):
        return None
    key = ck.key(area, "key", "an area")
    what = f"area '{key}'"
    title = ck.string(area, "title", what, required=True, max_length=TITLE_MAX)
    if key in seen:
        ck.add(area.key_lines["key"], f"duplicate area key '{key}' (first on line {seen[key]})")
        return None
    if key is None or not title:
        return None
    seen[key] = area.key_lines["key"]
    return JudgementArea(
        key=key,
        title=title,
        templates=_keys(ck, area, "templates", what),
        indicator_areas=_keys(ck, area, "indicator_areas", what),
        themes=_keys(ck, area, "themes", what),
        practice_weeks=ck.boolean(area, "practice_weeks", what, default=False),
    )


def parse(text: str, file_name: str) -> Framework:
    """The framework in `text`, or JudgementAreasError naming `file_name` and each line."""
    ck = Checker()
    doc = load_yaml(text)
    for line, message in doc.problems:
        ck.add(line, message)
    top = doc.value
    framework: Framework | None = None
    if not doc.problems and ck.mapping(top, doc.line, "the file's top level"):
        ck.unknown_fields(top, ("framework", "questions", "areas"), "the file")
        ck.required_fields(top, ("framework", "questions", "areas"), "the file")
        name = ck.string(top, "framework", "the file", required=True, max_length=TITLE_MAX)
        questions: dict[str, str] = {}
        asked = top.get("questions")
        if "questions" in top and ck.mapping(asked, top.key_lines["questions"], "'questions'"):
            ck.unknown_fields(asked, QUESTION_KEYS, "'questions'")
            ck.required_fields(asked, QUESTION_KEYS, "'questions'")
            questions = {k: ck.string(asked, k, "'questions'", required=True) for k in asked}
        items = ck.list(top, "areas", "the file")
        seen: dict[str, int] = {}
        areas = [
            found
            for i, item in enumerate(items or [])
            if (found := _area(ck, item, line_of_item(items, i), seen)) is not None
        ]
        if "areas" in top and not areas and not ck.problems:
            ck.add(top.key_lines["areas"], "'areas' must list at least one area")
        framework = Framework(name=name, questions=questions, areas=tuple(areas))
    if ck.problems or framework is None:
        raise JudgementAreasError([f"{file_name}:{line}: {m}" for line, m in sorted(ck.problems)])
    return framework


def line_of_item(items: object, i: int) -> int:
    return line_of(items, i)


def load(path: Path = FRAMEWORK_FILE) -> Framework:
    """The judgement areas in `path` (the shipped file by default), checked."""
    data = path.read_bytes()[: MAX_TEMPLATE_BYTES + 1]
    if len(data) > MAX_TEMPLATE_BYTES:
        raise JudgementAreasError([f"{path.name}:1: the file is too large"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise JudgementAreasError([f"{path.name}:{line}: file is not valid UTF-8 text"]) from None
    return parse(text, path.name)
