"""The app's JSON responses (jsonify: the API and its errors): Flask's provider, with every
string - keys too - made writable (qa_app.rules.control_characters.writable). Stored text that holds
a character XML cannot carry (a lone surrogate, U+FFFE, U+FFFF, a control character) is
answered without it: never a 500, and never an escape such as \\ud800 that strict JSON readers
refuse. (`dumps` itself is Flask's: the test client writes request bodies with it, and a test
must be able to send what an attacker would.)

The response is written first as usual (ASCII: every such character is escaped); only if it
shows such an escape (or something that may be one: a backslash-b or -f, a surrogate pair) is
the value walked, its strings cleaned, and written again. Walking every response would cost
twice the writing (measured: 96 ms against 41 ms for 1.2 MB); the check costs 3 to 6 ms."""

import re

from flask.json.provider import DefaultJSONProvider

from qa_app.rules.control_characters import CONTROL, writable

# \u0000-\u001f, \u007f, \ud800-\udfff, \ufffe, \uffff, \b, \f as JSON writes them escaped
ESCAPED = re.compile(
    r"\\(?:u(?:00[01][0-9a-f]|007f|d[89a-f][0-9a-f]{2}|fff[ef])|[bf])", re.IGNORECASE
)


def writable_json(value):
    """`value` with every string in it made writable (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return writable(value)
    if isinstance(value, dict):
        return {writable_json(k): writable_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [writable_json(v) for v in value]
    return value


class WritableJSONProvider(DefaultJSONProvider):
    ensure_ascii = True  # the check below reads the escapes this writes

    @staticmethod
    def default(o):
        """Dates, dataclasses and the rest as Flask writes them, their strings made writable."""
        return writable_json(DefaultJSONProvider.default(o))

    def response(self, *args, **kwargs):
        response = super().response(*args, **kwargs)
        body = response.get_data(as_text=True)
        if CONTROL.search(body) or ESCAPED.search(body):
            response = super().response(*writable_json(args), **writable_json(kwargs))
        return response
