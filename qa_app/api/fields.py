"""Reading typed fields from a JSON body, collecting every problem before answering 422."""

from datetime import date

from qa_app.api.blueprint import DB_INT_MAX, Problems

MISSING = object()
DB_INT_MIN = -(2**63)


class Reader:
    """body fields by type; problems are collected in `problems` (see Problems.check)."""

    def __init__(
        self, body: dict, allowed: set[str], problems: Problems | None = None, prefix: str = ""
    ):
        self.body = body
        self.problems = problems if problems is not None else Problems()
        self.prefix = prefix
        for name in sorted(set(body) - allowed):
            self.add(name, f"Unknown field {name!r}")

    def add(self, name: str, message: str) -> None:
        self.problems.add(self.prefix + name, message)

    def _get(self, name: str, required: bool):
        value = self.body.get(name, MISSING)
        if value is MISSING or value is None:
            if required:
                self.add(name, f"{name} is required")
            return MISSING
        return value

    def text(self, name: str, *, required=False, max_length: int | None = None) -> str | None:
        value = self._get(name, required)
        if value is MISSING:
            return None
        if not isinstance(value, str):
            self.add(name, f"{name} must be a string")
            return None
        if required and not value.strip():
            self.add(name, f"{name} must not be blank")
            return None
        if max_length is not None and len(value) > max_length:
            self.add(name, f"Use {max_length} characters or fewer")
            return None
        return value

    def date(self, name: str, *, required=False) -> date | None:
        value = self._get(name, required)
        if value is MISSING:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.add(name, f"{name} must be a date like 2026-03-27")
            return None

    def integer(
        self,
        name: str,
        *,
        required=False,
        default: int | None = None,
        low: int = DB_INT_MIN,
        high: int = DB_INT_MAX,
    ) -> int | None:
        """A whole number from `low` to `high` (by default, what the database holds)."""
        value = self._get(name, required)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(name, f"{name} must be a whole number")
            return None
        if not low <= value <= high:
            self.add(name, f"{name} must be from {low} to {high}")
            return None
        return value

    def identifier(self, name: str, *, required=False) -> int | None:
        """An id (or version): a whole number from 1 to the largest the database holds."""
        return self.integer(name, required=required, low=1)

    def boolean(self, name: str, *, default: bool = False) -> bool:
        value = self._get(name, False)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.add(name, f"{name} must be true or false")
            return default
        return value

    def strings(self, name: str, *, required=False) -> list[str]:
        value = self._get(name, required)
        if value is MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(name, f"{name} must be a list of strings")
            return []
        return value

    def mapping(self, name: str) -> dict:
        value = self._get(name, False)
        if value is MISSING:
            return {}
        if not isinstance(value, dict):
            self.add(name, f"{name} must be an object")
            return {}
        return value

    def objects(self, name: str) -> list[dict]:
        value = self._get(name, False)
        if value is MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(name, f"{name} must be a list of objects")
            return []
        return value
