"""Characters no text in the service may hold: the one rule, and the one way to make stored
text safe for a writer.

The rule is XML 1.0's: PostgreSQL refuses NUL (U+0000); XLSX and DOCX are XML and cannot carry
the other C0 control characters, the non-characters U+FFFE and U+FFFF, or a lone surrogate
(U+D800 to U+DFFF, which is not a character at all and cannot be encoded as UTF-8); DEL (U+007F)
is refused with the controls. None of them has any use in what people write. Tab, line feed and
carriage return are text. Each way text comes in applies this rule:

- web forms refuse it, naming the field (qa_app.web.forms_base.QAForm, the base of every form);
- CSV and XLSX imports refuse the file, naming each cell (qa_app.imports.tabular);
- the JSON API refuses the body, naming each field (qa_app.api.blueprint);
- an audit section's draft answers, which keep whatever else was typed, lose them with a
  message (qa_app.audits.routes), as the data layer's last guard does everywhere
  (qa_app.templates_engine.answers.clean_text);
- an address whose path holds one names nothing: 404 (qa_app.factory, qa_app.api.blueprint);
- the security log stores what it records (a refused path, a username tried) without them.

Text stored before the rule covered a character still reaches the writers: every writer passes
text through `writable` (XLSX, DOCX, PDF, CSV, JSON), and `flask qa clean-text` finds and
removes such characters from a database."""

import re
from typing import TypeVar, overload

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# The bidirectional formatting controls (Unicode's Bidi_Control property: ALM, LRM, RLM, the
# embeddings and overrides U+202A to U+202E, the isolates U+2066 to U+2069). XML can carry them,
# so stored text keeps them; but text that is only echoed back (a search query) has no use for
# them and, echoed, an override such as U+202E reverses what follows it on the page.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def has_bidi_controls(text: str) -> bool:
    return BIDI.search(text) is not None


def without_control_characters(text: str) -> str:
    return CONTROL.sub("", text)


T = TypeVar("T")


@overload
def writable(value: str) -> str: ...
@overload
def writable(value: T) -> T: ...
def writable(value: object) -> object:
    """`value` as a writer may write it: text without the characters above (they are dropped,
    so an export of damaged text still opens); anything else unchanged."""
    if isinstance(value, str) and CONTROL.search(value):
        return CONTROL.sub("", value)
    return value


def describe(character: str) -> str:
    """One refused character in words: "the NUL character (U+0000)", "the control character
    U+0007", "the non-character U+FFFE", "a lone surrogate (U+D800)"."""
    code = ord(character)
    if code == 0:
        return "the NUL character (U+0000)"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (U+{code:04X}), which is not a character"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    return f"the control character U+{code:04X}"


def which_character(text: str) -> str:
    """The first refused character of `text` in words, for a message (see `describe`). NUL is
    named first wherever it is: it is the one that cannot be stored."""
    if "\x00" in text:
        return describe("\x00")
    found = CONTROL.search(text)
    return describe(found.group()) if found else ""
