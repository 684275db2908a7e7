"""The Jinja environment of the app: Flask's, with template globals Jinja can compare quickly.

On every `{% from ... import ... %}` (the GOV.UK macros import a dozen smaller macros on each
call) Jinja takes the set difference of the rendering context's global names and the imported
template's globals (`ctx.globals_keys - template.globals.keys()`). The globals are a ChainMap,
whose keys view answers each membership test in Python through three calls; on the audit
section page that comparison alone was about a twentieth of the time. Here the globals'
`keys()` is a plain set, so the difference is one C-level set operation. Nothing else changes:
lookups and the overlay of template globals on the environment's are the ChainMap's own."""

from collections import ChainMap

from flask import Flask
from flask.templating import Environment as FlaskEnvironment


class TemplateGlobals(ChainMap):
    def keys(self):
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    def make_globals(self, d):
        return TemplateGlobals({} if d is None else d, self.globals)


class App(Flask):
    jinja_environment = Environment
