"""Benchmark-only WSGI app for `python -m benchmarks.load`: Practice QA itself, with a bare page
mounted beside it in the same process (so in the same gunicorn server and workers) at
/bare/form. The bare page renders a 60-field form with plain Jinja: no GOV.UK macros, no
WTForms, no database, no sign-in. It is the floor the app's own audit form page is compared
with. Never used outside the benchmark:

    gunicorn --workers 2 --bind 127.0.0.1:PORT 'benchmarks.load_app:create_app()'
"""

from flask import Flask, render_template
from jinja2 import DictLoader
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from qa_app import create_app as create_qa_app

FIELDS = 60
BARE_PREFIX = "/bare"
BARE_PATH = f"{BARE_PREFIX}/form"

# Plain Jinja, written out by hand with the GOV.UK class names, roughly the markup the macros
# produce for the same kinds of question: text, textarea, radios and select, each with a hint.
PAGE = """<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/build/app.css"></head>
<body class="govuk-template__body">
<main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">{{ title }}</h1>
<form method="post" action="/bare/form" novalidate>
<input type="hidden" name="csrf_token" value="{{ token }}">
{% for field in fields %}
<div class="govuk-form-group">
{% if field.kind == "radios" %}
<fieldset class="govuk-fieldset" aria-describedby="{{ field.name }}-hint">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{{ field.label }}</legend>
<div id="{{ field.name }}-hint" class="govuk-hint">{{ field.hint }}</div>
<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
{% for value, text in field.options %}
<div class="govuk-radios__item">
<input class="govuk-radios__input" id="{{ field.name }}-{{ loop.index }}" name="{{ field.name }}"
 type="radio" value="{{ value }}"{% if value == field.value %} checked{% endif %}>
<label class="govuk-label govuk-radios__label" for="{{ field.name }}-{{ loop.index }}">
{{- text }}</label>
</div>
{% endfor %}
</div>
</fieldset>
{% else %}
<label class="govuk-label govuk-label--s" for="{{ field.name }}">{{ field.label }}</label>
<div id="{{ field.name }}-hint" class="govuk-hint">{{ field.hint }}</div>
{% if field.kind == "textarea" %}
<textarea class="govuk-textarea" id="{{ field.name }}" name="{{ field.name }}" rows="5"
 aria-describedby="{{ field.name }}-hint">{{ field.value }}</textarea>
{% elif field.kind == "select" %}
<select class="govuk-select" id="{{ field.name }}" name="{{ field.name }}"
 aria-describedby="{{ field.name }}-hint">
{% for value, text in field.options %}
<option value="{{ value }}"{% if value == field.value %} selected{% endif %}>{{ text }}</option>
{% endfor %}
</select>
{% else %}
<input class="govuk-input" id="{{ field.name }}" name="{{ field.name }}" type="text"
 value="{{ field.value }}" aria-describedby="{{ field.name }}-hint">
{% endif %}
{% endif %}
</div>
{% endfor %}
<button type="submit" class="govuk-button" data-module="govuk-button">Save and continue</button>
</form>
</main>
</body>
</html>
"""

TOKEN = "x" * 91  # a stand-in for a CSRF token, the same length
KINDS = ("radios", "text", "textarea", "select")
OPTIONS = [("yes", "Yes"), ("partly", "Partly"), ("no", "No"), ("not_seen", "Not seen")]


def bare_fields(count: int = FIELDS) -> list[dict]:
    return [
        {
            "name": f"q__question_{n}",
            "kind": KINDS[n % len(KINDS)],
            "label": f"Question {n + 1}: does the record show what was done & why?",
            "hint": "Look at the case notes, the plan and the latest review <before> answering.",
            "value": "yes" if n % 2 else f"Evidence for question {n + 1}: the record shows it.",
            "options": OPTIONS,
        }
        for n in range(count)
    ]


def create_bare_app() -> Flask:
    """The bare page: one route, templates compiled once and cached like the app's."""
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"form.html": PAGE})
    fields = bare_fields()

    @app.get("/form")
    def form():
        return render_template("form.html", fields=fields, token=TOKEN, title="A 60-field form")

    return app


def create_app():
    """Practice QA (configured from the environment as usual) with the bare page beside it."""
    app = create_qa_app()
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {BARE_PREFIX: create_bare_app()})
    return app
