"""What a stored template version holds, without a database: its questions walked depth first,
the snapshot of the scales and themes it uses, and the hash that tells one version's content
from another's (qa_app.data.templates stores versions by it)."""

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any


def iter_questions(questions: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every question, depth first, including those inside repeat groups."""
    for q in questions:
        yield q
        if q["type"] == "repeat":
            yield from iter_questions(q["questions"])


def version_content(
    template: dict[str, Any], scales: dict[str, Any], themes: dict[str, Any]
) -> dict[str, Any]:
    """What a version stores: the template with snapshots of the vocabulary it uses."""
    scale_keys = {template["scale"]}
    theme_keys = set(template["themes"])
    for section in template["sections"]:
        for q in iter_questions(section["questions"]):
            if q["type"] == "grade":
                scale_keys.add(q["scale"])
            theme_keys.update(q.get("themes", []))
    return {
        "template": template,
        "scales": {k: scales[k] for k in sorted(scale_keys)},
        "themes": {k: themes[k] for k in sorted(theme_keys)},
    }


def content_hash(content: dict[str, Any]) -> str:
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()
