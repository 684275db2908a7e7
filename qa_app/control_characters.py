"""Control characters: the one rule for what no text in the service may hold.

PostgreSQL refuses NUL (U+0000) in text, and a spreadsheet cannot hold most of the other C0
control characters (nor DEL); none of them has any use in what people write. Tab, line feed
and carriage return are text. Each way text comes in applies this rule:

- web forms refuse it, naming the field (qa_app.forms_base.QAForm, the base of every form);
- CSV and XLSX imports refuse the file, naming each cell (qa_app.imports.tabular);
- the JSON API refuses the body, naming each field (qa_app.api.blueprint);
- an audit section's draft answers, which keep whatever else was typed, lose them with a
  message (qa_app.audits.routes), as the data layer's last guard does everywhere
  (qa_app.templates_engine.answers.clean_text);
- an address whose path holds one names nothing: 404 (qa_app.setup, qa_app.api.blueprint);
- the security log stores what it records (a refused path, a username tried) without them."""

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def without_control_characters(text: str) -> str:
    return CONTROL.sub("", text)


def which_character(text: str) -> str:
    """The first control character of `text` in words, for a message: "the NUL character
    (U+0000)" (NUL is named first wherever it is: it is the one that cannot be stored), or
    "the control character U+0007"."""
    if "\x00" in text:
        return "the NUL character (U+0000)"
    found = CONTROL.search(text)
    return f"the control character U+{ord(found.group()):04X}" if found else ""
