"""The Jinja environment of the app: Flask's, with template globals Jinja can compare quickly.

On every `{% from ... import ... %}` (the GOV.UK macros import a dozen smaller macros on each
call) Jinja takes the set difference of the rendering context's global names and the imported
template's globals (`ctx.globals_keys - template.globals.keys()`). The globals are a ChainMap,
whose keys view answers each membership test in Python through three calls; on the audit
section page that comparison alone was about a twentieth of the time. Here the globals'
`keys()` is a plain set, so the difference is one C-level set operation. Nothing else changes:
lookups and the overlay of template globals on the environment's are the ChainMap's own.

What a template writes ({{ ... }}) goes through `writable_output`, the environment's finalize:
stored text holding a character XML cannot carry (qa_app.rules.control_characters) is
written without it, so a lone surrogate cannot make the page's UTF-8 encoding fail (a 500)
and U+FFFE or a control character does not reach the browser. The app's JSON is cleaned the same way
(qa_app.web.json_provider)."""

from collections import ChainMap

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from markupsafe import Markup

from qa_app.rules.control_characters import has_control_characters, without_control_characters
from qa_app.web.json_provider import WritableJSONProvider


def writable_output(value):
    """A value as a template writes it: text without the refused characters (Markup stays
    Markup, so it is not escaped twice); anything else unchanged."""
    if isinstance(value, str) and has_control_characters(value):
        cleaned = without_control_characters(value)
        if isinstance(value, Markup):  # safe markup stays safe with characters dropped
            return Markup(cleaned)  # noqa: S704  # nosec B704
        return cleaned
    return value


class TemplateGlobals(ChainMap):
    def keys(self):
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    def __init__(self, app, **options):
        options.setdefault("finalize", writable_output)
        super().__init__(app, **options)

    def make_globals(self, d):
        return TemplateGlobals({} if d is None else d, self.globals)


class App(Flask):
    jinja_environment = Environment
    json_provider_class = WritableJSONProvider
