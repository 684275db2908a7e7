"""The identifier scanner (qa_app.findings.identifiers): generated case references, email
addresses, phone numbers and postcodes embedded in prose are found, with their line and
column; what reports legitimately say (period dates, percentages, counts, years, financial
years, indicator values, times, money) is not flagged; and a council's pattern that is
anchored, invalid or could take exponential time is handled, never a crash or a hang."""

import re
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qa_app.findings.identifiers import UncheckablePattern, compile_case_pattern, scan

PATTERNS = [
    r"[0-9]{6,10}",
    r"[A-Z]{2}[0-9]{6}",
    r"^[0-9]{8}$",
    r"\A(CR|EH)-?[0-9]{5,8}\Z",
    r"[0-9]{4}/[0-9]{4}",
]
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=9)
PUNCTUATED = st.tuples(WORD, st.sampled_from(["", ".", ",", ";", ":", "!", "?", ")", "'"])).map(
    "".join
)
PROSE = st.lists(PUNCTUATED, max_size=12).map(" ".join)
BREAK = st.sampled_from([" ", "\n", " (", "\n\n"])


def covered(hits, start: int, end: int) -> list:
    return [h for h in hits if h.start <= start and h.end >= end]


def embedded(thing: str, before: str, gap: str, after: str) -> tuple[str, int]:
    text = f"{before}{gap}{thing} {after}"
    return text, len(before) + len(gap)


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    pattern=st.sampled_from(PATTERNS),
    before=PROSE,
    gap=BREAK,
    after=PROSE,
)
def test_a_case_reference_in_prose_is_found(data, pattern, before, gap, after):
    reference = data.draw(
        st.from_regex(pattern.strip("^$").removeprefix(r"\A").removesuffix(r"\Z"), fullmatch=True)
    )
    # A financial year ("2012/2013") is what reports say, whatever the council's pattern.
    assume(not re.fullmatch(r"(19|20)[0-9]{2}/(19|20)[0-9]{2}", reference))
    text, start = embedded(reference, before, gap, after)
    hits = scan(text, pattern)
    found = covered(hits, start, start + len(reference))
    assert found, (text, hits)
    assert found[0].text.lower().find(reference.lower()) >= 0


def test_a_case_reference_is_named_with_its_line_and_column():
    text = "Key developments this quarter.\nThe audit of case 12345678 found gaps."
    [hit] = scan(text)
    assert (hit.kind, hit.text, hit.line, hit.column) == ("case_reference", "12345678", 2, 19)
    assert hit.words == "looks like a case reference (“12345678”)"


def test_a_reference_typed_in_lower_case_or_in_brackets_is_still_found():
    hits = scan("See (ab123456), ref:cd654321.", r"[A-Z]{2}[0-9]{6}")
    assert [h.text for h in hits] == ["ab123456", "cd654321"]


@pytest.mark.parametrize(
    "text",
    [
        "123456789012 contacts",  # a longer number
        "a rate of 1.12345678",  # a decimal
        "12345678.5 per cent",
        "1,234,567 contacts",
        "£1250000 was spent",
        "12345678% is absurd but a figure",
    ],
)
def test_a_reference_shape_inside_a_longer_figure_is_not_a_case_reference(text):
    assert [h for h in scan(text) if h.kind == "case_reference"] == []


# ---- email addresses, phone numbers, postcodes --------------------------------------------------

LOCAL = st.from_regex(r"[a-z0-9]([a-z0-9._+-]{0,10}[a-z0-9])?", fullmatch=True)
DOMAIN = st.from_regex(
    r"[a-z0-9]{1,10}(\.[a-z0-9]{1,8}){0,2}\.(uk|com|org|gov\.uk|net)", fullmatch=True
)
EMAIL = st.builds(
    lambda a, b, upper: f"{a}@{b}".upper() if upper else f"{a}@{b}", LOCAL, DOMAIN, st.booleans()
)


def digits(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


PHONE = st.one_of(
    st.builds(lambda a, b: f"07{a} {b}", digits(3), digits(6)),
    st.builds(lambda a: f"07{a}", digits(9)),
    st.builds(lambda a, b: f"+44 7{a} {b}", digits(3), digits(6)),
    st.builds(lambda a: f"+447{a}", digits(9)),
    st.builds(lambda a, b: f"(07{a}) {b}", digits(3), digits(6)),
    st.builds(lambda a, b: f"07{a}-{b[:3]}-{b[3:]}", digits(3), digits(6)),
    st.builds(lambda a, b: f"01{a} {b}", digits(3), digits(6)),
    st.builds(lambda a, b: f"(01{a}) {b}", digits(3), digits(6)),
    st.builds(lambda a, b: f"020 {a} {b}", digits(4), digits(4)),
    st.builds(lambda a, b: f"+44 20 {a} {b}", digits(4), digits(4)),
    st.builds(lambda a, b: f"+44 (0)20 {a} {b}", digits(4), digits(4)),
    st.builds(lambda a, b: f"0113 {a} {b}", digits(3), digits(4)),
    st.builds(lambda a, b: f"0800 {a} {b}", digits(3), digits(3)),
)
FIRST, SECOND = "ABCDEFGHIJKLMNOPRSTUWYZ", "ABCDEFGHKLMNOPQRSTUVWXY"
THIRD, FOURTH, INWARD = "ABCDEFGHJKPSTUW", "ABEHMNPRVWXY", "ABDEFGHJLNPQRSTUWXYZ"
OUTWARD = st.one_of(
    st.builds("{}{}".format, st.sampled_from(FIRST), digits(1)),
    st.builds("{}{}".format, st.sampled_from(FIRST), digits(2)),
    st.builds("{}{}{}".format, st.sampled_from(FIRST), st.sampled_from(SECOND), digits(1)),
    st.builds("{}{}{}".format, st.sampled_from(FIRST), st.sampled_from(SECOND), digits(2)),
    st.builds("{}{}{}".format, st.sampled_from(FIRST), digits(1), st.sampled_from(THIRD)),
    st.builds(
        "{}{}{}{}".format,
        st.sampled_from(FIRST),
        st.sampled_from(SECOND),
        digits(1),
        st.sampled_from(FOURTH),
    ),
)
POSTCODE = st.builds(
    lambda out, d, a, b, space, lower: (
        (f"{out}{' ' if space else ''}{d}{a}{b}").lower()
        if lower
        else f"{out}{' ' if space else ''}{d}{a}{b}"
    ),
    OUTWARD,
    digits(1),
    st.sampled_from(INWARD),
    st.sampled_from(INWARD),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(
    kind_and_value=st.one_of(
        st.tuples(st.just("email"), EMAIL),
        st.tuples(st.just("phone"), PHONE),
        st.tuples(st.just("postcode"), POSTCODE),
    ),
    before=PROSE,
    gap=BREAK,
    after=PROSE,
)
def test_an_email_phone_number_or_postcode_in_prose_is_found(kind_and_value, before, gap, after):
    kind, value = kind_and_value
    # "KS2 3rd": an ordinal after a space is prose, not a postcode's inward part.
    assume(not re.search(r" (1st|2nd|3rd|[04-9]th)$", value))
    text, start = embedded(value, before, gap, after)
    found = covered(scan(text), start, start + len(value))
    assert found, (text, scan(text))
    assert found[0].kind == kind and found[0].text == value
    line = text.count("\n", 0, start) + 1
    assert found[0].line == line


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Write to j.bloggs@example.gov.uk today", "email", "j.bloggs@example.gov.uk"),
        ("Call 07700 900123 after 5pm", "phone", "07700 900123"),
        ("Call +44 (0)20 7946 0000", "phone", "+44 (0)20 7946 0000"),
        ("Call (01632) 960123", "phone", "(01632) 960123"),
        ("Lives near SW1A 1AA", "postcode", "SW1A 1AA"),
        ("Lives near m11aa", "postcode", "m11aa"),
        ("Lives near b11st", "postcode", "b11st"),
        ("NHS number 943 476 5919", "nhs_number", "943 476 5919"),
        ("NI number QQ 12 34 56 C", "ni_number", "QQ 12 34 56 C"),
        ("NI number AB123456C", "ni_number", "AB123456C"),
        ("Her DOB is 03/11/2012", "date_of_birth", "03/11/2012"),
        ("d.o.b. 3.11.12", "date_of_birth", "3.11.12"),
        ("Born on 3 November 2012 in hospital", "date_of_birth", "3 November 2012"),
        ("date of birth: 2012-11-03", "date_of_birth", "2012-11-03"),
        ("A boy aged 7 (3rd Nov 2012)", "date_of_birth", "3rd Nov 2012"),
        ("November 3, 2012 (DOB)", "date_of_birth", "November 3, 2012"),
    ],
)
def test_each_kind_of_identifier_is_found(text, kind, value):
    hits = scan(text)
    assert [(h.kind, h.text) for h in hits] == [(kind, value)]


# ---- what reports legitimately say --------------------------------------------------------------

DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


SENTENCE = st.one_of(
    st.builds(lambda a, b: f"The period {long_date(a)} to {long_date(b)}.", DAY, DAY),
    st.builds(lambda a, b: f"From {a:%d/%m/%Y} to {b:%d/%m/%Y} inclusive.", DAY, DAY),
    st.builds(lambda a, b: f"Audits completed {a.isoformat()} to {b.isoformat()}.", DAY, DAY),
    st.builds(lambda a: f"As at {a:%B %Y}, in the year {a.year}.", DAY),
    st.builds(lambda n: f"There were {n:,} contacts.", st.integers(0, 50_000_000)),
    st.builds(
        lambda n, m: f"{n} of {m} audits were good or better.",
        st.integers(0, 999),
        st.integers(0, 999),
    ),
    st.builds(lambda p: f"{p}% were seen within 10 days.", st.integers(0, 100)),
    st.builds(
        lambda p: f"A rate of {p:.1f} per 10,000 children.", st.floats(0, 99_999, allow_nan=False)
    ),
    st.builds(lambda p: f"Re-referrals: {p:.2f}%.", st.floats(0, 100, allow_nan=False)),
    st.builds(
        lambda y: f"In {y}-{(y + 1) % 100:02d} and {y}/{(y + 1) % 100:02d}.",
        st.integers(2000, 2035),
    ),
    st.builds(
        lambda h, m: f"The panel met at {h:02d}:{m:02d}.", st.integers(0, 23), st.integers(0, 59)
    ),
    st.builds(lambda n: f"The budget was £{n:,} (£{n}).", st.integers(0, 99_999_999)),
    st.builds(
        lambda a, b: f"Children aged 10 to 17 between {long_date(a)} and {long_date(b)}.", DAY, DAY
    ),
    st.builds(
        lambda q, y: f"Q{q} {y}: the median was 15 working days.",
        st.integers(1, 4),
        st.integers(2000, 2035),
    ),
    st.just("Section 47 enquiries (S47) rose; ICPCs within 15 days: 87.5%."),
    st.just("4 of the 12 assessments had no evidence of agency checks."),
    st.just("Pupils in KS2 3rd year and S1 1st term were seen."),
    st.builds(
        lambda a, b: f"Babies born between {long_date(a)} and {long_date(b)} were seen.", DAY, DAY
    ),
    st.builds(lambda a: f"The period ended {long_date(a)}. Babies born then were seen.", DAY),
    st.just("No GP report was received for any of the 9 conferences."),
)


@settings(max_examples=200, deadline=None)
@given(sentences=st.lists(SENTENCE, min_size=1, max_size=6), separator=st.sampled_from([" ", "\n"]))
def test_what_reports_legitimately_say_is_not_flagged(sentences, separator):
    text = separator.join(sentences)
    assert scan(text) == [], text


# ---- the council's pattern ------------------------------------------------------------------


def test_a_pattern_of_letters_and_digits_finds_references_not_words():
    hits = scan("The children of AB12CD34 and the assessment.", r"[A-Z0-9]{8}")
    assert [h.text for h in hits] == ["AB12CD34"]


def test_an_anchored_pattern_still_finds_references_inside_text():
    assert [h.text for h in scan("seen: 12345678 and 87654321.", "^[0-9]{8}$")] == [
        "12345678",
        "87654321",
    ]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("(", "not a valid regular expression"),
        ("", "empty"),
        ("(a+)+$", "could take too long"),
        (r"([0-9]+)*X", "could take too long"),
        (r"(a|aa)+", "could take too long"),
        (r"(\d)\1", "could take too long"),
        (r"\d?\d?\d?\d?\d?\d{6}", "could take too long"),
    ],
)
def test_a_pattern_that_cannot_be_used_is_refused_not_crashed_on(pattern, words):
    with pytest.raises(UncheckablePattern, match=re.escape(words)):
        scan("Case 12345678 " + "a" * 50 + "!", pattern)


def test_a_pattern_that_could_crawl_is_refused_before_it_runs():
    with pytest.raises(UncheckablePattern):
        compile_case_pattern(r"(?:[0-9]+[ -]?)+$")


@settings(max_examples=300, deadline=None)
@given(pattern=st.text(alphabet="[]{}()*+?|^$\\.-,0123456789azAZdws:=!<>", max_size=30))
def test_any_pattern_at_all_is_either_used_or_refused_with_a_reason(pattern):
    try:
        scan("Case 12345678 and AB-1234 on 3 November 2012.", pattern)
    except UncheckablePattern as refused:
        assert str(refused).startswith("the case-reference pattern") or "took too long" in str(
            refused
        )


def test_a_scan_that_runs_too_long_stops_as_cannot_check(monkeypatch):
    from qa_app.findings import identifiers

    monkeypatch.setattr(identifiers, "TIME_LIMIT", -1)
    with pytest.raises(UncheckablePattern, match="took too long"):
        scan("Case 12345678 was seen.")
