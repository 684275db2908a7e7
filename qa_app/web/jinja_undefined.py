"""A Jinja undefined that raises in our own templates, yet leaves the GOV.UK macros alone.

In templates of this app, an undefined name or attribute raises, so a typo fails a test
instead of rendering blank. The govuk-frontend-jinja and govuk-frontend-wtf macros are written
for lenient undefineds (`{% if successBanner %}`, `params.hint`, a bare `undefined`), so when
the undefined is used from one of their templates, or is a missing key of a params dict, it
behaves like Jinja's default."""

import sys
from types import FrameType

from jinja2 import Undefined
from jinja2.utils import missing

LENIENT_PACKAGES = ("govuk_frontend_jinja", "govuk_frontend_wtf")


def _used_in_library_template() -> bool:
    """Whether the nearest template frame on the stack belongs to a GOV.UK macro package."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.endswith(".html"):
            return any(package in filename for package in LENIENT_PACKAGES)
        frame = frame.f_back
    return False


class StrictObjectUndefined(Undefined):
    __slots__ = ()

    def _check(self) -> None:
        if self._undefined_name == "caller":  # a macro called without {% call %}
            return
        if self._undefined_obj is not missing and isinstance(self._undefined_obj, dict):
            return  # an optional key of a params dict
        if _used_in_library_template():
            return
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
