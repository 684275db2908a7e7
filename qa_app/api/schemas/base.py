"""The building blocks of the API's schemas (pydantic models, which both validate requests and
give the OpenAPI document its JSON Schema 2020-12): the two base classes, the shared field
types, and the error body every failure answers with.

`Body` is for what a client sends: strict (no "5" for 5, no 1 for true), closed (an unknown
field is refused), and every string in it keeps to the rule of qa_app.rules.control_characters,
stated in the schema as a pattern. `Shape` is for what the API answers: closed too, so a
field added to a response without being described here fails the tests that check real
responses against the document."""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from qa_app.api.blueprint import ID_MAX
from qa_app.rules.control_characters import CONTROL

# The class of what no text may hold, as qa_app.rules.control_characters writes it, in escapes
# (\x00) that Python's re and JSON Schema's ECMA-262 patterns read alike; less the lone surrogates,
# which are no characters (a pattern cannot name them in validators that work in Unicode
# scalar values; JSON can only send them as \ud800 escapes, refused as the 422 says).
LONE_SURROGATES = r"\ud800-\udfff"
REFUSED = CONTROL.pattern.removeprefix("[").removesuffix("]").replace(LONE_SURROGATES, "")
if LONE_SURROGATES not in CONTROL.pattern:
    raise RuntimeError("qa_app.rules.control_characters changed its class: say it here too")
TEXT_PATTERN = f"^[^{REFUSED}]*$"
# At least one character that is not white space: what a required text must hold.
FILLED_PATTERN = f"^[^{REFUSED}]*[^\\s{REFUSED}][^{REFUSED}]*$"
KEY_PATTERN = "^[a-z][a-z0-9_]*$"  # a template, section, theme or question key
KEY_LENGTH = 60


def optional(*, json_schema_extra: dict | None = None, **kwargs: Any) -> Any:
    """A field the client may leave out, but not send as null (unless its type says so): the
    view tells the two apart with `model_fields_set`."""

    def extra(schema: dict) -> None:
        schema.pop("default", None)
        schema.update(json_schema_extra or {})

    return Field(None, json_schema_extra=extra, **kwargs)


def text(max_length: int | None = None, **kwargs: Any) -> Any:
    """Field constraints of any text sent: no refused characters, at most `max_length`."""
    return Field(pattern=TEXT_PATTERN, max_length=max_length, **kwargs)


def _whole(value: Any) -> Any:
    """JSON has numbers, not integers: 5.0 is the whole number 5, as JSON Schema says."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def whole(**constraints: int) -> Any:
    """A whole number within `constraints` (ge, le), 5.0 taken as 5. (The constraints come
    before the validator, or pydantic leaves them out of the JSON Schema.)"""
    return Annotated[int, Field(**constraints), BeforeValidator(_whole)]


Text = Annotated[str, text()]
Filled = Annotated[str, Field(pattern=FILLED_PATTERN)]  # required: not empty, not blank
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=KEY_LENGTH)]
Id = whole(ge=1, le=ID_MAX)  # an id or lock_version the database holds


def _iso_date(value: Any) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "must be a date like 2026-03-27")


DateIn = Annotated[date, BeforeValidator(_iso_date), Field(examples=["2026-03-27"])]


class Body(BaseModel):
    """A request body (or query): strict and closed."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re")


class Shape(BaseModel):
    """A response (or part of one): closed; a field with a default may be absent."""

    model_config = ConfigDict(extra="forbid")


# ---- what every error answers ----------------------------------------------------------------

Date = Annotated[str, Field(json_schema_extra={"format": "date"}, examples=["2026-03-27"])]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Count = Annotated[int, Field(ge=0)]


class Problem(Shape):
    field: str | None = Field(description="The field of the request, or null")
    message: str
    section: str = optional(description="On submit: the section key, or 'themes' / 'overall'")


class Change(Shape):
    at: DateTime
    user_id: int | None
    action: str = Field(examples=["section_saved"])
    version: int | None
    fields: list[str]


class ErrorDetail(Shape):
    message: str
    field: str | None
    problems: list[Problem]
    lock_version: int = optional(
        description="409 only: the current version of the audit (or action)"
    )
    changes_since: list[Change] = optional(
        description="409 only: what changed since the version you sent"
    )


class Error(Shape):
    error: ErrorDetail
