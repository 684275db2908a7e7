"""A Jinja undefined that raises on a typo, yet lets GOV.UK macros probe optional params.

Using an undefined *name* or a missing *attribute of an object* (a model, a form) raises, so a
typo fails a test instead of rendering blank. A missing *key of a dict* stays lenient, because
the govuk-frontend-jinja macros test optional parameters as `params.hint` on dicts."""

from jinja2 import Undefined
from jinja2.utils import missing


# `caller` in a macro called without {% call %}; `undefined`, which the GOV.UK macros use as a
# bare sentinel (`params.x if params.x else undefined`).
LENIENT_NAMES = frozenset({"caller", "undefined"})


class StrictObjectUndefined(Undefined):
    __slots__ = ()

    def _lenient(self) -> bool:
        if self._undefined_name in LENIENT_NAMES:
            return True
        return self._undefined_obj is not missing and isinstance(self._undefined_obj, dict)

    def _check(self) -> None:
        if not self._lenient():
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._check()
        return ""

    def __iter__(self):
        self._check()
        return iter(())

    def __bool__(self) -> bool:
        self._check()
        return False

    def __len__(self) -> int:
        self._check()
        return 0
