"""Words the pages share: counts with their nouns in the right number, and stored keys shown as
the labels the pages use.

`{{ n | counted("open audit") }}` writes "1 open audit" or "12 open audits" (`many` for an
irregular plural: `{{ n | counted("child", "children") }}`); where the number is a link of its
own, `{{ n | noun_for("audit") }}` writes only the noun. Both are the pure
qa_app.findings.present helpers, so the PDF and spreadsheet renderers say the same."""

from flask import Flask

from qa_app.findings.present import counted, noun_for


def register_wording(app: Flask) -> None:
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.filters["noun_for"] = noun_for
