"""What a sortable, filterable, paged list may be asked for, and reading a request's asking into
a safe state. Pure: the web layer hands in the query string as a plain mapping
(qa_app.web.listing), the data layer turns the state into SQL (qa_app.data.listing).

Nothing a person types in the address bar can break a list: an unknown sort key, a direction
other than asc/desc, a filter value not on offer, a page that is not a small whole number, each
falls back to the list's default instead of an error page."""

from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_PAGE = 1_000_000
MAX_FILTER_LENGTH = 100
ASC, DESC = "asc", "desc"


@dataclass(frozen=True)
class ListSpec:
    """One list's rules.

    `sorts`: sort key -> column label (the keys the data layer maps to SQL columns);
    `filters`: filter name -> the values on offer (None: any whole number, e.g. an id);
    `default_sort`/`default_direction`: the order of a list nobody has sorted."""

    sorts: Mapping[str, str]
    default_sort: str
    default_direction: str = ASC
    filters: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    page_size: int = 50

    def __post_init__(self) -> None:
        if self.default_sort not in self.sorts:
            raise ValueError(f"default sort {self.default_sort!r} is not a sort key")
        if self.default_direction not in (ASC, DESC):
            raise ValueError("default direction must be asc or desc")


@dataclass(frozen=True)
class ListState:
    """What a request asked of a list, every part checked against the spec."""

    spec: ListSpec
    sort: str
    direction: str
    filters: Mapping[str, str]
    page: int

    @property
    def descending(self) -> bool:
        return self.direction == DESC

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.spec.page_size

    def args(self, **changes: object) -> dict[str, str]:
        """The query-string arguments that recreate this state, with `changes` applied (a value
        of None drops the argument); defaults are left out so addresses stay short."""
        out: dict[str, object] = dict(self.filters)
        if (self.sort, self.direction) != (self.spec.default_sort, self.spec.default_direction):
            out["sort"], out["direction"] = self.sort, self.direction
        if self.page != 1:
            out["page"] = self.page
        out.update(changes)
        return {k: str(v) for k, v in out.items() if v is not None and v != ""}

    def sorted_by(self, key: str) -> dict[str, str]:
        """Arguments for a column header's link: sort by `key`, the other way round if the list
        is already sorted by it; back to the first page."""
        direction = ASC
        if key == self.sort:
            direction = ASC if self.descending else DESC
        return self.args(sort=key, direction=direction, page=None)

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    def with_page(self, page: int) -> "ListState":
        return ListState(self.spec, self.sort, self.direction, self.filters, page)


def whole_number(value: str | None, limit: int) -> int | None:
    """`value` as a whole number from 1 to `limit` (ASCII digits only, so never an
    OverflowError or a ValueError on '²'), else None."""
    if value is None:
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(limit)):
        return None
    number = int(value)
    return number if 1 <= number <= limit else None


def read_state(spec: ListSpec, args: Mapping[str, str]) -> ListState:
    """The state a query string asks for; anything not allowed is the default."""
    sort = args.get("sort", spec.default_sort)
    if sort not in spec.sorts:
        sort = spec.default_sort
    direction = args.get("direction", "")
    if direction not in (ASC, DESC):
        direction = spec.default_direction if sort == spec.default_sort else ASC
    filters: dict[str, str] = {}
    for name, allowed in spec.filters.items():
        value = (args.get(name) or "").strip()
        if not value or len(value) > MAX_FILTER_LENGTH:
            continue
        if allowed is None:
            if whole_number(value, 2**62) is not None:
                filters[name] = str(int(value))
        elif value in allowed:
            filters[name] = value
    return ListState(spec, sort, direction, filters, whole_number(args.get("page"), MAX_PAGE) or 1)


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))
