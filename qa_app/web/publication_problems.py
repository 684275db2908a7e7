"""The edit page's view of what keeps a draft for the partnership or the public from being
published (qa_app.services.publication_check): the GOV.UK error summary's list, each problem linking
to the box that holds the text or to the page where it is changed, and each box's own message."""

from flask import url_for
from werkzeug.routing import BuildError


def form_field(form, name: str | None, report=None):
    """The edit form's box a problem names: 'section__<key>' is the report section's box."""
    if report is not None and name and name.startswith("section__"):
        key = name.removeprefix("section__")
        index = next((i for i, s in enumerate(report.sections) if s["key"] == key), None)
        return None if index is None else form.section_fields[index]
    field = getattr(form, name, None) if name else None
    return field if hasattr(field, "errors") else None


def publication_problems(form, found: list, report=None) -> dict:
    """What keeps a draft from being published (`found`: publication_check's problems), for
    the edit page: the error summary's list (each linking to its box on the page, or to the
    page where the text is changed) and each box's own message."""
    summary: list[dict[str, str]] = []
    inline: dict[str, str] = {}
    for problem in found:
        item = {"text": problem.message}
        field = form_field(form, problem.field, report)
        if field is not None:
            item["href"] = f"#{field.id}"
            inline[field.name] = "; ".join(filter(None, [inline.get(field.name), problem.message]))
        elif problem.link is not None:
            endpoint, args = problem.link
            try:
                item["href"] = url_for(endpoint, **args)
            except BuildError:
                pass
        summary.append(item)
    return {"publication_problems": summary, "field_problems": inline, "refused": False}


def text_box(field, rows: int, field_problems: dict, label: str = "govuk-label--m") -> dict:
    """The parameters of an edit page's text box, with its problem when it has one."""
    params = {"rows": rows, "label": {"classes": label}}
    if field.name in field_problems:
        params["errorMessage"] = {"text": field_problems[field.name]}
    return params
