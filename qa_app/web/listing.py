"""Lists on a page: a list's state read from the query string (so the address carries it), the
column headers' sort links and the govukPagination parameters. The macros that draw them are
in templates/_lists.html."""

from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from qa_app.data.listing import Page
from qa_app.findings.present import counted
from qa_app.rules.listing import ListSpec, ListState, read_state, whole_number

# The largest id the database holds (a 64-bit integer).
MAX_ID = 2**63 - 1


def list_state(spec: ListSpec) -> ListState:
    return read_state(spec, {k: v for k, v in request.args.items() if isinstance(v, str)})


def query_int(name: str, limit: int = MAX_ID) -> int | None:
    """The query-string argument `name` as a whole number from 1 to `limit`, or None for
    anything else (missing, words, '²', more digits than a database id): the one reader of a
    number in a query string, so none can overflow a query or raise on odd digits."""
    value = request.args.get(name)
    return whole_number(value, limit) if isinstance(value, str) else None


def _href(**args: str) -> str:
    assert request.endpoint is not None
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    return url_for(request.endpoint, **values)


@dataclass(frozen=True)
class Listing:
    """What a list's template needs: the page, the links, the counts in words."""

    page: Page
    noun: str
    plural: str | None = None
    extra: tuple[tuple[str, str], ...] = ()  # other arguments every link keeps (a search's q)

    def href(self, **args: str) -> str:
        return _href(**dict(self.extra), **args)

    @property
    def rows(self) -> list[Any]:
        return self.page.rows

    @property
    def state(self) -> ListState:
        return self.page.state

    def sort_href(self, key: str) -> str:
        return self.href(**self.state.sorted_by(key))

    def aria_sort(self, key: str) -> str:
        return self.state.aria_sort(key)

    def label(self, key: str) -> str:
        return self.state.spec.sorts[key]

    def select_items(self, name: str, options: list[tuple[object, str]]) -> list[dict]:
        """govukSelect items for filter `name`: "Any", then `options`, the chosen one selected."""
        chosen = self.state.filters.get(name, "")
        items = [{"value": "", "text": "Any", "selected": not chosen}]
        return items + [
            {"value": str(v), "text": text, "selected": str(v) == chosen} for v, text in options
        ]

    def clear_href(self) -> str:
        """The list with no filters, in the same order."""
        args = self.state.args(page=None)
        return self.href(**{k: v for k, v in args.items() if k in ("sort", "direction")})

    def count(self) -> str:
        """'1 audit', '120 audits': the whole list, whatever page is shown."""
        return counted(self.page.total, self.noun, self.plural)

    def see_all(self) -> str:
        """A link's words to the whole list from a page showing part of it (a search's first
        rows): 'See all 360 audits (18 pages)', not the page this list is on."""
        text = f"See all {self.count()}"
        if self.page.pages > 1:
            text += f" ({counted(self.page.pages, 'page')})"
        return text

    def summary(self) -> str:
        """'1 audit', or '120 audits, page 2 of 3': the list as it is shown on its own page."""
        text = self.count()
        if self.page.pages > 1:
            text += f", page {self.state.page} of {self.page.pages}"
        return text

    def beyond_message(self) -> str | None:
        if not self.page.asked_beyond:
            return None
        last = self.page.pages
        return f"There is no such page: this is the last one, page {last}."

    def pagination(self) -> dict | None:
        """govukPagination parameters: first, last and the pages either side of this one."""
        pages, page = self.page.pages, self.state.page
        if pages <= 1:
            return None
        items: list[dict[str, object]] = []
        last = 0
        for n in range(1, pages + 1):
            if n in (1, pages) or abs(n - page) <= 1:
                if last and n - last > 1:
                    items.append({"ellipsis": True})
                href = self.href(**self.state.args(page=n if n > 1 else None))
                items.append({"number": n, "href": href, "current": n == page})
                last = n
        out: dict[str, object] = {"items": items}
        if page > 1:
            before = page - 1 if page > 2 else None
            out["previous"] = {"href": self.href(**self.state.args(page=before))}
        if page < pages:
            out["next"] = {"href": self.href(**self.state.args(page=page + 1))}
        return out
