"""The app's JSON responses and what its templates write carry no character XML cannot carry
(qa_app.web.json_provider, qa_app.web.jinja_env.writable_output): stored text holding a lone
surrogate, U+FFFE, U+FFFF or a control character is answered without it, whatever the shape of
the value (nested, a dict key, a dataclass), and everything else is written exactly as before."""

import json
from dataclasses import dataclass
from datetime import date

from flask import jsonify, render_template_string
from markupsafe import Markup

from qa_app.web.jinja_env import writable_output

BAD = "a\ud800b\ufffe\uffffc\x07\x08\x0cd\x7f"


@dataclass
class Note:
    text: str


def test_a_json_response_drops_the_refused_characters_wherever_they_are(app):
    with app.test_request_context():
        response = jsonify(
            {
                BAD: [BAD, {"deep": (BAD, 3, 2.5, None, True)}],
                "note": Note(BAD),
                "day": date(2026, 4, 1),
            }
        )
    body = response.get_data()
    assert body.isascii() and b"\\ud800" not in body and b"\\u0007" not in body
    assert json.loads(body) == {
        "abcd": ["abcd", {"deep": ["abcd", 3, 2.5, None, True]}],
        "note": {"text": "abcd"},
        "day": "Wed, 01 Apr 2026 00:00:00 GMT",
    }


def test_clean_json_is_written_as_flask_writes_it(app):
    value = {"text": "tab\there\nnew line, é, \U0001f600, a back\\slash \\b", "n": [1, 2.5]}
    with app.test_request_context():
        ours = jsonify(value).get_data()
        theirs = json.dumps(value, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    assert ours == theirs


def test_what_a_template_writes_drops_the_refused_characters_and_keeps_markup(app):
    with app.test_request_context():
        page = render_template_string(
            "{{ text }}|{{ safe }}|{{ n }}|{{ ok }}",
            text=BAD + "<i>",
            safe=Markup("<b>" + BAD + "</b>"),  # noqa: S704 (a constant, in a test)
            n=7,
            ok="fine",
        )
    assert page == "abcd&lt;i&gt;|<b>abcd</b>|7|fine"
    assert writable_output(Markup("<b>x\ufffe</b>")) == Markup("<b>x</b>")
    assert isinstance(writable_output(Markup("<b>x\ufffe</b>")), Markup)
    assert writable_output(None) is None
