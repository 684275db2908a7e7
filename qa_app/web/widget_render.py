"""Rendering GOV.UK form widgets fast, with exactly the markup the GOV.UK macros give.

govuk-frontend-wtf renders every field through Flask's `render_template`, so each field of a
form ran the context processors and signals of a whole page, and then the GOV.UK macro, which
is slow (a radios group imports and calls a dozen smaller macros). On an audit section of a
dozen questions that was three quarters of the page's time.

Here a widget's template is rendered straight from the Jinja environment with its `params`
(the only name the widget templates use), and the markup is remembered, keyed by the params:
the same question with the same answer and the same error renders the same markup, whichever
audit it is in. Text the user typed is never part of the key and never kept: before rendering,
each typed value is swapped for a placeholder, and after, each placeholder in the markup is
swapped back for the value, escaped as the macro escapes it. So the cache holds only template
wording, answer keys and placeholders, and stays small however many audits are open.

`FastRender` goes first in a widget's bases: `class Select(FastRender, GovSelect)`; a widget
whose params carry typed text says where in `typed_slots` (TypedValue, TypedDate); radios and
checkboxes (RememberedChoices) are remembered a step earlier still. Page templates call
`component(name, params)` for the same with a GOV.UK component (qa_app/web/widgets.py lists the
widgets; tests/test_widget_render.py compares every kind with the library's own markup).
"""

import re
import secrets
from collections import OrderedDict
from threading import Lock

from flask import current_app
from markupsafe import Markup, escape

CACHE_SIZE = 4096  # rendered widgets kept per process (a few KB each)
# Letters and digits only, so no escaping changes them; random, so no template text holds one.
_TOKEN = f"qa{secrets.token_hex(8)}t"
_PLACEHOLDER = re.compile(_TOKEN + r"(\d+)e")


class _Cache:
    """A small least-recently-used map, safe to share between threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


CACHE = _Cache(CACHE_SIZE)


def freeze(value):
    """A hashable key for widget params that tells apart everything the markup depends on:
    by the type's name, Markup from plain text (one is escaped, the other not) and True from 1."""
    if isinstance(value, dict):
        return ("d", tuple(sorted((str(k), freeze(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("l", tuple(freeze(v) for v in value))
    plain = value if isinstance(value, str | int | float | bool) else repr(value)
    return (type(value).__name__, plain)


def render_widget(template: str, params: dict, typed_slots=()) -> Markup:
    """The markup of a widget template for `params`. `typed_slots` are (dict, key) places in
    params holding text the user typed; params is changed (it is built afresh for each call)."""
    typed: list[str] = []
    for holder, name in typed_slots:
        value = holder.get(name)
        if isinstance(value, str) and value:  # "" and None change the markup: left in the key
            holder[name] = f"{_TOKEN}{len(typed)}e"
            typed.append(value)
    key = (template, freeze(params))
    html = CACHE.get(key)
    if html is None:
        # An .html template renders with autoescape on: its output is already safe HTML.
        html = current_app.jinja_env.get_template(template).render(params=params)
        CACHE.put(key, html)
    if typed:
        html = _PLACEHOLDER.sub(lambda m: str(escape(typed[int(m.group(1))])), html)
    return Markup(html)  # noqa: S704  # nosec B704  # the macro output; typed text escaped


COMPONENTS = "govuk_component"  # the loader prefix of component_source()


def component_source(name: str) -> str:
    """A one-line template calling GOV.UK component `name` (e.g. "service-navigation") with
    `params`, served under COMPONENTS/<name>.html (an .html name: autoescape on)."""
    name = name.removesuffix(".html")
    macro = "govuk" + "".join(part.title() for part in name.split("-"))
    return (
        f'{{% from "govuk_frontend_jinja/components/{name}/macro.html" import {macro} %}}'
        f"{{{{ {macro}(params) }}}}"
    )


def component(name: str, params: dict, vary=()) -> Markup:
    """A GOV.UK component for a page template, remembered like the widgets:
    `{{ component("button", {"text": "Save"}) }}` gives what `govukButton({"text": "Save"})`
    gives. `vary` lists the places in params that differ from request to request (a slot
    holding the sign-out form's CSRF token): given as [("slots", "navigationEnd")], they are
    left out of the key and put back into the markup as they are."""
    slots = []
    for *path, last in vary:
        holder = params
        for step in path:
            holder = holder[step]
        slots.append((holder, last))
    return render_widget(f"{COMPONENTS}/{name}.html", params, slots)


class FastRender:
    """Mixin for a govuk-frontend-wtf widget: render without a page's context, remembered."""

    def typed_slots(self, params: dict) -> list[tuple[dict, str]]:
        return []

    def render(self, params):
        return render_widget(self.template, params, self.typed_slots(params))


class RememberedChoices(FastRender):
    """Radios and checkboxes, remembered a step earlier: before WTForms builds a field for
    each option and govuk-frontend-wtf turns them into items. The key is everything those
    steps read: the field's name, id, label, hint, errors, required flag, choices, the chosen
    value(s) and the template's arguments. A chosen value that is not one of the choices (only
    a hand-made post sends one) is rendered the long way and not remembered."""

    def __call__(self, field, **kwargs):
        chosen = field.data if isinstance(field.data, list | tuple) else [field.data]
        values = {str(value) for value, *_ in field.choices or ()}
        if not all(c is None or str(c) in values for c in chosen):
            return super().__call__(field, **kwargs)
        key = (
            "call",
            type(self).__name__,
            field.name,
            field.id,
            field.label.text,
            field.description,
            tuple(field.errors),
            "required" in getattr(field, "flags", ()),
            freeze(list(field.choices or ())),
            freeze(field.data),
            freeze(kwargs),
        )
        html = CACHE.get(key)
        if html is None:
            html = super().__call__(field, **kwargs)
            CACHE.put(key, html)
        return html


class TypedValue(FastRender):
    """A widget whose `value` param is what the user typed (a text box, a textarea)."""

    def typed_slots(self, params):
        return [(params, "value")]


class TypedDate(FastRender):
    """The GOV.UK date input: each of its day, month and year boxes holds typed text (and the
    params carry the whole date as `value` too, which the macro does not show)."""

    def typed_slots(self, params):
        items = [item for item in params.get("items") or [] if isinstance(item, dict)]
        return [(params, "value"), *((item, "value") for item in items)]
