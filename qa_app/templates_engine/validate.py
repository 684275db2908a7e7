"""Validating audit template YAML (templates, scales.yaml, themes.yaml) into normalised dicts."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_app.templates_engine.cross_checks import check_section_checks
from qa_app.templates_engine.finding_phrases import check_noun
from qa_app.templates_engine.questions import (
    TemplateContext,
    Vocabulary,
    check_questions,
    note_key,
)
from qa_app.templates_engine.source import (
    MAX_TEMPLATE_BYTES,
    Checker,
    Document,
    LineDict,
    describe,
    line_of,
    load_yaml,
    too_long,
)

SCALES_FILE = "scales.yaml"
THEMES_FILE = "themes.yaml"
VOCABULARY_FILES = (SCALES_FILE, THEMES_FILE)
TEMPLATE_SUFFIXES = (".yaml", ".yml")
NAME_MAX = 200
KINDS = ("case_audit", "observation", "shadowing")
TEMPLATE_FIELDS: tuple[str, ...] = ("key", "name", "kind", "description", "scale", "themes")
TEMPLATE_FIELDS += ("overall_grade", "sections", "finding_noun")
OVERALL_FIELDS = ("graded", "limiting_rule", "help")
SECTION_FIELDS = ("key", "title", "help", "graded", "limiting", "questions", "checks")

# Conventions beyond the format spec:
# * problem lines are 1-based; line 0 means the whole file (missing or unreadable file);
# * string values are stripped of surrounding whitespace in the normalised form;
# * an optional field given as null (`help:` with nothing after it) takes its default, except
#   booleans, which must be true or false;
# * template, scale and theme names are at most 200 characters (the database column size);
# * if scales.yaml or themes.yaml cannot be read at all, templates are still checked, but none
#   is returned in the library, since their references could not be checked;
# * a reference to a scale or theme that is defined but has problems is a problem in the
#   template too (so the library never holds a template whose scale or theme it lacks);
# * a template's key need not match its file name; a duplicate key is reported on the later file.


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class TemplateLibrary:
    scales: dict[str, dict[str, Any]]  # key -> normalised scale
    themes: dict[str, dict[str, Any]]  # key -> normalised theme
    templates: dict[str, dict[str, Any]]  # key -> normalised template (see spec "Normalised form")
    files: dict[str, str]  # template key -> path of the file it came from


def validate_path(
    path: str | Path, vocabulary_dir: str | Path | None = None
) -> tuple[TemplateLibrary, list[Problem]]:
    """path: a directory (reads scales.yaml, themes.yaml and every other *.yaml/*.yml as a template,
    sorted by name) or a single template file. For a single file, scales/themes come from
    vocabulary_dir if given, else from the file's own directory if it holds scales.yaml, else an
    error Problem. Problems sorted by (file, line). A template with any problem is left out of
    library.templates. Never raises for bad input.

    For a directory, vocabulary_dir (if given) replaces the directory's own scales/themes. A
    single file named scales.yaml or themes.yaml checks that directory's vocabulary only.
    """
    path = Path(path)
    problems: list[Problem] = []
    library = TemplateLibrary(scales={}, themes={}, templates={}, files={})
    vocab_dir = Path(vocabulary_dir) if vocabulary_dir is not None else None
    template_files: list[Path] = []
    if path.is_dir():
        vocab_dir = vocab_dir or path
        template_files = sorted(
            (p for p in path.iterdir() if _is_template_file(p)), key=lambda p: p.name
        )
    elif path.exists():
        if path.name in VOCABULARY_FILES:
            vocab_dir = path.parent
        else:
            template_files = [path]
            if vocab_dir is None and (path.parent / SCALES_FILE).exists():
                vocab_dir = path.parent
    else:
        problems.append(Problem(str(path), 0, "no such file or directory"))
        return library, problems

    if vocab_dir is None:
        missing = path.parent / SCALES_FILE
        message = "missing scales.yaml: no vocabulary_dir given and none next to the template"
        problems.append(Problem(str(missing), 0, message))
        vocab = Vocabulary()
    else:
        vocab = _load_vocabulary(vocab_dir, library, problems)

    first_file: dict[str, str] = {}  # template key -> file that used it first
    for file in template_files:
        ck = Checker()
        doc = _read(file, ck)
        normalised = _check_template(doc, vocab, ck)
        key = normalised["key"] if normalised else ""
        if key in first_file:
            ck.add(
                line_of(doc.value if doc else None, "key"),
                f"duplicate template key '{key}' (already used in {first_file[key]})",
            )
        elif key:
            first_file[key] = str(file)
        problems.extend(Problem(str(file), line, message) for line, message in ck.problems)
        if normalised and not ck.problems and vocab.loaded:
            library.templates[key] = normalised
            library.files[key] = str(file)
    problems.sort(key=lambda p: (p.file, p.line))
    return library, problems


def _is_template_file(p: Path) -> bool:
    return (
        p.suffix in TEMPLATE_SUFFIXES
        and p.name not in VOCABULARY_FILES
        and not p.name.startswith(".")
        and p.is_file()
    )


def _read(path: Path, ck: Checker) -> Document | None:
    """The YAML document in a file, or None (problems go to `ck`)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TEMPLATE_BYTES + 1)  # a huge file is not read whole
    except OSError as exc:
        ck.add(0, f"cannot read file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_TEMPLATE_BYTES:
        ck.add(1, too_long())
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ck.add(data.count(b"\n", 0, exc.start) + 1, "file is not valid UTF-8 text")
        return None
    doc = load_yaml(text)
    for line, message in doc.problems:
        ck.add(line, message)
    return doc


def _top_level(doc: Document | None, ck: Checker, expected: str) -> LineDict | None:
    if doc is None:
        return None
    if isinstance(doc.value, LineDict):
        return doc.value
    if doc.value is None and not doc.problems:
        ck.add(doc.line, f"file is empty: expected {expected}")
    elif doc.value is not None:
        ck.add(doc.line, f"top level must be {expected}, got {describe(doc.value)}")
    return None


# --- scales.yaml and themes.yaml ----------------------------------------------------------


def _load_vocabulary(
    directory: Path, library: TemplateLibrary, problems: list[Problem]
) -> Vocabulary:
    vocab = Vocabulary()
    for name, check in ((SCALES_FILE, _check_scale), (THEMES_FILE, _check_theme)):
        file = directory / name
        ck = Checker()
        if not file.is_file():
            ck.add(0, f"missing {name} in {directory}")
        else:
            valid, keys = _check_vocabulary_file(file, name.removesuffix(".yaml"), check, ck)
            if name == SCALES_FILE:
                vocab.scales, vocab.scale_keys = valid, keys
            else:
                vocab.themes, vocab.theme_keys = valid, keys
        problems.extend(Problem(str(file), line, message) for line, message in ck.problems)
    library.scales = dict(vocab.scales or {})
    library.themes = dict(vocab.themes or {})
    return vocab


# checks one scale or theme: (the entry, what to call it in messages, where problems go)
_EntryCheck = Callable[[LineDict, str, Checker], dict[str, Any]]


def _check_vocabulary_file(
    file: Path, field: str, check: _EntryCheck, ck: Checker
) -> tuple[dict[str, dict[str, Any]] | None, set[str]]:
    """(valid entries by key or None if unreadable, every key defined) for a vocabulary file."""
    singular = field.removesuffix("s")
    top = _top_level(_read(file, ck), ck, f"a mapping with a '{field}' list")
    if top is None:
        return None, set()
    ck.unknown_fields(top, (field,), file.name)
    if not ck.required_fields(top, (field,), file.name):
        return None, set()
    items = ck.list(top, field, file.name)
    if items is None and top[field] is not None:
        return None, set()
    if not items and field == "scales":
        ck.add(line_of(top, field), "scales.yaml defines no scales")
    valid: dict[str, dict[str, Any]] = {}
    first: dict[str, int] = {}
    for i, item in enumerate(items or []):
        where = f"{singular} {i + 1}"
        if not ck.mapping(item, line_of(items, i), where):
            continue
        before = len(ck.problems)
        key = ck.key(item, "key", where)
        note_key(ck, first, key, line_of(item, "key"), f"{singular} key '{key}'")
        normalised = check(item, f"{singular} '{key}'" if key else where, ck)
        if key and len(ck.problems) == before:
            valid[key] = normalised
    return valid, set(first)


def _check_scale(item: LineDict, what: str, ck: Checker) -> dict[str, Any]:
    ck.required_fields(item, ("key", "name", "levels"), what)
    ck.unknown_fields(item, ("key", "name", "description", "levels"), what)
    levels_out: list[dict[str, Any]] = []
    result = {
        "key": item.get("key"),
        "name": ck.string(item, "name", what, required=True, max_length=NAME_MAX),
        "description": ck.string(item, "description", what),
        "levels": levels_out,
    }
    levels = ck.list(item, "levels", what)
    if (
        "levels" in item
        and len(levels or []) < 2
        and (levels is not None or item["levels"] is None)
    ):
        count = len(levels or [])
        ck.add(line_of(item, "levels"), f"{what} needs at least 2 levels (has {count})")
    first: dict[str, int] = {}
    for i, level in enumerate(levels or []):
        where = f"level {i + 1} of {what}"
        if not ck.mapping(level, line_of(levels, i), where):
            continue
        key = ck.key(level, "key", where)
        note_key(ck, first, key, line_of(level, "key"), f"level key '{key}' in {what}")
        where = f"level '{key}' of {what}" if key else where
        ck.required_fields(level, ("key", "label"), where)
        ck.unknown_fields(level, ("key", "label", "description"), where)
        levels_out.append(
            {
                "key": key,
                "label": ck.string(level, "label", where, required=True),
                "description": ck.string(level, "description", where),
            }
        )
    return result


def _check_theme(item: LineDict, what: str, ck: Checker) -> dict[str, Any]:
    ck.required_fields(item, ("key", "name"), what)
    ck.unknown_fields(item, ("key", "name", "description"), what)
    return {
        "key": item.get("key"),
        "name": ck.string(item, "name", what, required=True, max_length=NAME_MAX),
        "description": ck.string(item, "description", what),
    }


# --- templates ----------------------------------------------------------------------------


def _check_template(doc: Document | None, vocab: Vocabulary, ck: Checker) -> dict[str, Any] | None:
    """A normalised template (problems go to `ck`), or None if the top level is not a mapping."""
    top = _top_level(doc, ck, "a mapping of template fields (key, name, scale, sections)")
    if top is None:
        return None
    key = ck.key(top, "key", "the template") or ""
    what = f"template '{top['key']}'" if isinstance(top.get("key"), str) else "the template"
    ck.required_fields(top, ("key", "name", "scale", "sections"), what)
    ck.unknown_fields(top, TEMPLATE_FIELDS, what)
    ctx = TemplateContext(ck=ck, vocab=vocab)
    kind = top.get("kind")
    if kind is None:
        kind = "case_audit"
    elif not isinstance(kind, str):
        ck.bad_type(top, "kind", what, "a string")
    elif kind not in KINDS:
        ck.add(
            top.key_lines["kind"], f"unknown kind '{kind}' (expected one of: {', '.join(KINDS)})"
        )
    if "scale" in top:
        ctx.scale = ctx.scale_ref(top, "scale", what)
    sections_out: list[dict[str, Any]] = []
    result: dict[str, Any] = {
        "key": key,
        "name": ck.string(top, "name", what, required=True, max_length=NAME_MAX),
        "kind": kind,
        "description": ck.string(top, "description", what),
        "scale": ctx.scale,
        "themes": ctx.theme_refs(top, "themes", what),
        "overall_grade": _check_overall(top, what, ck),
        "sections": sections_out,
    }
    overall_grade: dict[str, Any] = result["overall_grade"]
    noun = check_noun(ck, top, what)
    if noun:
        result["finding_noun"] = noun
    sections = ck.list(top, "sections", what)
    if "sections" in top and (sections == [] or top["sections"] is None):
        ck.add(top.key_lines["sections"], f"{what} has no sections")
    first: dict[str, int] = {}
    for i, item in enumerate(sections or []):
        section = _check_section(ctx, item, line_of(sections, i), i, first)
        if section is not None:
            sections_out.append(section)

    overall = top.get("overall_grade")
    if overall_grade["limiting_rule"] and isinstance(overall, LineDict):
        rule_line = overall.key_lines["limiting_rule"]
        if not overall_grade["graded"]:
            ck.add(
                rule_line, "overall_grade.limiting_rule is true but overall_grade.graded is false"
            )
        elif not any(section["limiting"] for section in sections_out):
            ck.add(
                rule_line, "overall_grade.limiting_rule is true but no section is marked limiting"
            )
    return result


def _check_overall(top: LineDict, what: str, ck: Checker) -> dict[str, Any]:
    value = top.get("overall_grade")
    if value is not None and not isinstance(value, LineDict):
        ck.bad_type(top, "overall_grade", what, "a mapping")
    if not isinstance(value, LineDict):
        return {"graded": True, "limiting_rule": False, "help": ""}
    where = f"overall_grade of {what}"
    ck.unknown_fields(value, OVERALL_FIELDS, where)
    return {
        "graded": ck.boolean(value, "graded", where, True),
        "limiting_rule": ck.boolean(value, "limiting_rule", where, False),
        "help": ck.string(value, "help", where),
    }


def _check_section(
    ctx: TemplateContext, item: object, line: int, index: int, first: dict[str, int]
) -> dict[str, Any] | None:
    ck = ctx.ck
    where = f"section {index + 1}"
    if not ck.mapping(item, line, where):
        return None
    key = ck.key(item, "key", where) or ""
    if isinstance(item.get("key"), str) and item["key"]:
        where = f"section '{item['key']}'"
    ck.required_fields(item, ("key", "title", "questions"), where)
    ck.unknown_fields(item, SECTION_FIELDS, where)
    note_key(ck, first, key, line_of(item, "key"), f"section key '{key}'")
    result = {
        "key": key,
        "title": ck.string(item, "title", where, required=True),
        "help": ck.string(item, "help", where),
        "graded": ck.boolean(item, "graded", where, False),
        "limiting": ck.boolean(item, "limiting", where, False),
    }
    if result["limiting"] and not result["graded"]:
        ck.add(item.key_lines["limiting"], f"{where} is marked limiting but is not graded")
    questions = check_questions(ctx, item, where, in_repeat=False)
    result["questions"] = questions
    checks = check_section_checks(ck, item, where, questions)
    if checks:  # only when declared, so versions without checks keep their content hash
        result["checks"] = checks
    return result
