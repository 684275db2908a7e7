"""Finding identifiers in free text before it leaves the internal tier.

`scan(text, case_pattern)` lists every likely identifier in a text: the council's case
references (its own pattern, as a whole token), email addresses, UK phone numbers, UK
postcodes, dates of birth (a date near "date of birth", "DOB", "born" or "aged N"), NHS
numbers and National Insurance numbers, each with its line and column. What reports
legitimately say is not flagged: period dates, percentages, counts with thousands
separators, years, financial years ("2024-25"), decimals, sums of money and times.

The case-reference pattern is the council's, so it is used with care: it is matched against
each short candidate on its own (anchors such as ^ and $ then work as written), a pattern that
does not compile or whose shape could take exponential time is refused as "cannot check"
(UncheckablePattern), and a scan that still runs too long stops the same way. Pure: no
database, no Flask."""

import re
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # typeshed types re's private parser under its deprecated public names
    import sre_constants
    import sre_parse as sre_parser
else:
    from re import _constants as sre_constants  # the parser's opcodes
    from re import _parser as sre_parser  # the only way to read a pattern's shape

DEFAULT_CASE_PATTERN = r"[0-9]{6,10}"
MAX_REFERENCE_LENGTH = 40  # the longest candidate the council's pattern is tried against
MAX_VARIABLE_REPEATS = 4  # more variable-width parts than this and matching may crawl
TIME_LIMIT = 5.0  # seconds for the case-reference part of one scan

KIND_WORDS = {
    "case_reference": "looks like a case reference",
    "email": "an email address",
    "phone": "a phone number",
    "postcode": "a postcode",
    "date_of_birth": "a date of birth",
    "nhs_number": "looks like an NHS number",
    "ni_number": "looks like a National Insurance number",
}
# Which kind is named when two hits cover the same text (the longer hit wins first).
PRIORITY = list(KIND_WORDS)


class UncheckablePattern(ValueError):
    """The council's case-reference pattern cannot be used to check text."""


@dataclass(frozen=True)
class Hit:
    kind: str
    text: str
    line: int  # from 1
    column: int  # from 1
    start: int  # offsets in the whole text
    end: int

    @property
    def words(self) -> str:
        """What was found, for a person: 'an email address (“a@b.org”)'."""
        return f"{KIND_WORDS[self.kind]} (“{self.text}”)"


# ---- the council's pattern ---------------------------------------------------------------------

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_REPEATS |= {getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


def _shape_problem(parsed: sre_parser.SubPattern) -> str | None:
    """Why the parsed pattern could backtrack exponentially, or None: a back-reference, a
    repeated part that itself varies in width or offers alternatives ("(a+)+", "(a|ab)*"), or
    many variable-width parts."""
    variable = 0

    def walk(items: Iterable[tuple[object, Any]], repeated: bool) -> str | None:
        nonlocal variable
        for op, av in items:
            if op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
                return "it refers back to an earlier group"
            if op in _REPEATS:
                low, high, body = av
                if low != high:
                    variable += 1
                    if repeated:
                        return "a repeated part contains another part of varying length"
                if problem := walk(body, repeated or high > 1):
                    return problem
            elif op == sre_constants.BRANCH:
                if repeated:
                    return "a repeated part offers alternatives"
                for branch in av[1]:
                    if problem := walk(branch, repeated):
                        return problem
            elif op == sre_constants.SUBPATTERN:
                if problem := walk(av[-1], repeated):
                    return problem
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                if problem := walk(av[1], repeated):
                    return problem
            elif op == getattr(sre_constants, "ATOMIC_GROUP", None):
                if problem := walk(av, repeated):
                    return problem
        return None

    problem = walk(parsed.data, False)  # its items (a SubPattern iterates over .data)
    if problem is None and variable > MAX_VARIABLE_REPEATS:
        problem = f"it has more than {MAX_VARIABLE_REPEATS} parts of varying length"
    return problem


@lru_cache(maxsize=32)
def compile_case_pattern(pattern: str) -> re.Pattern[str]:
    """The council's pattern, ready to try against one candidate at a time (case-insensitive:
    a reference typed in lower case is still the reference). UncheckablePattern says why it
    cannot be used."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise UncheckablePattern("the case-reference pattern is empty")
    if len(pattern) > 200:
        raise UncheckablePattern("the case-reference pattern is longer than 200 characters")
    try:
        with warnings.catch_warnings():  # "possible nested set" and the like: not our concern
            warnings.simplefilter("ignore")
            parsed = sre_parser.parse(pattern, re.IGNORECASE)
            compiled = re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UncheckablePattern(
            f"the case-reference pattern is not a valid regular expression ({exc})"
        ) from exc
    if problem := _shape_problem(parsed):
        raise UncheckablePattern(
            f"the case-reference pattern could take too long to check: {problem}"
        )
    return compiled


# ---- what reports legitimately say ---------------------------------------------------------------

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A run of digits and letters joined by number punctuation: what a candidate sits inside.
_COMPOSITE = re.compile(r"[0-9A-Za-z]+(?:[.,:/\-][0-9A-Za-z]+)*")
_LEGITIMATE = re.compile(
    r"""(?x)
      (?:19|20)[0-9]{2}                              # a year
    | (?:19|20)[0-9]{2}[-/](?:[0-9]{2}|(?:19|20)[0-9]{2})  # a financial year: 2024-25
    | [0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?          # a count: 1,234,567
    | [0-9]+\.[0-9]+                                 # a decimal or an indicator value
    | [0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2})?        # a time: 10:30
    | [0-9]{1,4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,4}     # a date: 03/11/2012, 2012-11-03
    """
)


def _legitimate(text: str, start: int, end: int) -> bool:
    """Whether the candidate text[start:end] is, or sits inside, a figure a report may state."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (before and before in "£$€") or after == "%":
        return True
    for m in _COMPOSITE.finditer(text, max(0, start - 60), min(len(text), end + 60)):
        if m.start() <= start and m.end() >= end:
            composite = m.group()
            if _LEGITIMATE.fullmatch(composite) or _LEGITIMATE.fullmatch(text[start:end]):
                return True
            # A candidate inside a longer figure ("1.12345678", "12345678,5")
            inner = text[start:end]
            if inner != composite and re.fullmatch(r"[0-9.,]+", composite):
                return True
    return False


# ---- the other identifiers ---------------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
PHONE = re.compile(
    r"""(?x)
    (?<![\w+/.,:-])
    (?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)   # +44 (maybe with (0)) or the national 0
    [1-35789]                          # the first digit of the area or service code
    (?:[ \-]?\)?[ \-]?[0-9]){8,9}      # the rest, in any grouping
    (?![0-9]|[.,:/][0-9])
    """
)
POSTCODE = re.compile(
    r"""(?xi)
    \b(?:
        [A-PR-UWYZ][0-9][0-9]?
      | [A-PR-UWYZ][A-HK-Y][0-9][0-9]?
      | [A-PR-UWYZ][0-9][A-HJKPSTUW]
      | [A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]
    )\ ?[0-9][ABD-HJLNP-UW-Z]{2}\b
    """
)
# "KS2 3rd", "S1 1st": an ordinal after a space is prose, not a postcode's inward part.
_ORDINAL = re.compile(r" (?:1st|2nd|3rd|[04-9]th)")
NHS = re.compile(r"(?<![0-9.,/:-])[0-9]{3}([ \-]?)[0-9]{3}\1[0-9]{4}(?![0-9]|[.,/:-][0-9])")
NI = re.compile(
    r"""(?xi)
    \b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-TW-Z][A-CEGHJ-NP-TW-Z]
    \ ?[0-9]{2}\ ?[0-9]{2}\ ?[0-9]{2}\ ?[A-D]\b
    """
)
DATE = re.compile(
    rf"""(?xi)
    (?<![0-9/.\-])(?:
        [0-9]{{1,2}}[/.\-][0-9]{{1,2}}[/.\-](?:[0-9]{{4}}|[0-9]{{2}})
      | (?:19|20)[0-9]{{2}}-[0-9]{{1,2}}-[0-9]{{1,2}}
      | [0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+(?:[0-9]{{4}}|'?[0-9]{{2}})
      | {MONTHS}\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}}
    )(?![0-9]|[/.\-][0-9])
    """
)
# A cue for a date of birth: before the date on its line, or just after it ("(DOB)").
DOB_CUE = re.compile(r"(?i)date\s+of\s+birth|\bd\.?\s?o\.?\s?b\b\.?|\bborn\b|\bbirth\s?day\b")
# "aged 7, 3 November 2012": the age right before the date, nothing else between them.
AGED_CUE = re.compile(
    r"(?i)\baged?\s+[0-9]{1,2}(?:\s*(?:years?|yrs?)(?:\s+old)?)?[\s,;:(\u2013-]*$"
)
# "(DOB)" right after the date.
CUE_AFTER = re.compile(r"(?i)^[\s,;:(\[\u2013-]*(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\b|born\b)")
# Between a cue and the date: a period of time ("born between 1 April and …"), not a birthday.
PERIOD_WORDS = re.compile(r"(?i)\b(?:between|from|since|after|before|during|until|period|to)\b")
CUE_BEFORE = 30  # how far before a date its cue may be (on the same line)


def _cued(before: str, after: str) -> bool:
    """Whether a date is a date of birth, by the words around it on its line."""
    if CUE_AFTER.search(after) or AGED_CUE.search(before):
        return True
    cues = list(DOB_CUE.finditer(before))
    return bool(cues) and not PERIOD_WORDS.search(before[cues[-1].end() :])


def _fixed_hits(text: str) -> list[tuple[str, int, int]]:
    hits = [("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    for m in PHONE.finditer(text):  # "(07700 900123": the bracket is the prose's
        unmatched = m.group().startswith("(") and ")" not in m.group()
        hits.append(("phone", m.start() + unmatched, m.end()))
    for m in POSTCODE.finditer(text):
        if not _ORDINAL.fullmatch(m.group()[-4:]):
            hits.append(("postcode", m.start(), m.end()))
    hits += [("nhs_number", m.start(), m.end()) for m in NHS.finditer(text)]
    hits += [("ni_number", m.start(), m.end()) for m in NI.finditer(text)]
    for m in DATE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[max(line_start, m.start() - CUE_BEFORE) : m.start()]
        if _cued(before, text[m.end() : line_end]):
            hits.append(("date_of_birth", m.start(), m.end()))
    return hits


# ---- case references -------------------------------------------------------------------------


_DIGIT = re.compile(r"[0-9]")


def _case_hits(text: str, compiled: re.Pattern[str]) -> list[tuple[str, int, int]]:
    """Every whole-token match of the council's pattern, leftmost-longest, not overlapping. A
    case reference is a number: a candidate without a digit ("children" for [A-Z0-9]{8}) is a
    word."""
    starts = [
        i for i, c in enumerate(text) if c.isalnum() and (i == 0 or not text[i - 1].isalnum())
    ]
    ends = {
        i + 1
        for i, c in enumerate(text)
        if c.isalnum() and (i + 1 == len(text) or not text[i + 1].isalnum())
    }
    hits = []
    covered = 0
    began = time.monotonic()
    for start in starts:
        if start < covered:
            continue
        if time.monotonic() - began > TIME_LIMIT:
            raise UncheckablePattern(
                "checking the text against the case-reference pattern took too long"
            )
        limit = min(len(text), start + MAX_REFERENCE_LENGTH)
        for end in range(limit, start, -1):
            if end not in ends:
                continue
            candidate = text[start:end]
            if _DIGIT.search(candidate) and compiled.fullmatch(candidate):
                if not _legitimate(text, start, end):
                    hits.append(("case_reference", start, end))
                    covered = end
                break
    return hits


# ---- the scan ----------------------------------------------------------------------------------


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def scan(text: str, case_pattern: str = DEFAULT_CASE_PATTERN) -> list[Hit]:
    """Every likely identifier in `text`, in reading order; where two overlap, the longer (then
    the more specific) is kept. UncheckablePattern if the case-reference pattern cannot be
    used."""
    compiled = compile_case_pattern(case_pattern)
    text = text or ""
    found = _case_hits(text, compiled) + _fixed_hits(text)
    found.sort(key=lambda h: (-(h[2] - h[1]), PRIORITY.index(h[0]), h[1]))
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in found:
        if all(end <= s or start >= e for _, s, e in kept):
            kept.append((kind, start, end))
    kept.sort(key=lambda h: h[1])
    return [Hit(kind, text[s:e], *_position(text, s), s, e) for kind, s, e in kept]


WITHHELD = (
    "Description withheld: it holds what looks like an identifier (change it in the "
    "improvement plan)"
)


def withheld_if_identifying(text: str, case_pattern: str) -> str:
    """Typed text read as it is now (an improvement action's description), for a tier below
    the internal one: text that looks like it holds an identifier, or that cannot be checked,
    is withheld rather than shown. The practice-week report and the scrutiny pack use this."""
    try:
        found = scan(text or "", case_pattern)
    except UncheckablePattern:
        return WITHHELD
    return WITHHELD if found else text
