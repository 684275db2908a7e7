"""The scrutiny pack's shared words and tables: a column of counts keeps the same decimals on
every row (the most any value has, up to 2), a count keeps its own two decimals, a section's
text becomes bullets, dates read the UK way and missing parts read as sentences."""

from qa_app.documents import scrutiny_closing as closing
from qa_app.documents import scrutiny_parts as parts
from tests.documents import scrutiny_data as seed


def test_a_column_takes_the_most_decimals_any_of_its_values_has_up_to_two():
    assert parts.column_decimals([32.0, 14.0, 197.01, 67.81]) == 2
    assert parts.column_decimals([2.5, 1.0]) == 1
    assert parts.column_decimals([7.0, None, 70]) == 0
    assert parts.column_decimals([1.23456]) == 2
    assert parts.column_value(32.0, "count", 2) == "32.00"
    assert parts.column_value(1234.5, "count", 2) == "1,234.50"
    assert parts.column_value(58.0, "percentage", 1) == "58.0%"
    assert parts.column_value(None, "count", 2) == "–"


def test_the_recruitment_table_reads_as_seed_004_does():
    area = seed.figures()["areas"][2]
    (table,) = parts.area_tables(area)
    assert [r[1] for r in table["rows"]] == ["32.00", "14.00", "197.01", "67.81", "33.81"]
    assert [r[2] for r in table["rows"]] == ["2.50", "1.15", "36.05", "14.27", "5.39"]
    assert table["total"] == ["Total", "348.63", "63.36", "18.2%", "69.0%", "27.2%"]


def test_a_count_keeps_its_own_two_decimals_and_a_percentage_is_the_scorecards():
    assert parts.value(348.63, "count") == "348.63"
    assert parts.value(686.0, "count") == "686"
    assert parts.value(2380, "count") == "2,380"
    assert parts.value(77.0, "percentage") == "77%"
    assert parts.value(None, "count") == "–"
    assert parts.value("n/a", "count") == "–"


def test_a_sections_text_becomes_bullets_one_a_line_without_its_dash():
    text = "- First point\n\n  • Second point\nThird point\n-\n"
    assert parts.bullets(text) == ["First point", "Second point", "Third point"]
    assert parts.section_bullets(seed.SECTIONS, "area:recruitment") == []
    assert parts.section_bullets(seed.SECTIONS, "nowhere") == []


def test_the_cover_names_the_month_and_dates_read_the_uk_way():
    assert parts.subtitle(seed.figures()) == "Performance to the end of September 2021"
    assert parts.uk_date("2021-11-30") == "30 November 2021"
    assert ("Figures to", "30 September 2021") in parts.meta(seed.figures())


def test_the_breakdown_line_names_each_category_its_value_and_rag():
    visits = seed.figures()["areas"][1]["indicators"][1]
    locality, service = parts.breakdown_blocks(visits)
    assert locality["line"] == (
        "Locality: South 77% (amber), North 59% (red), Mid and East 58% (red), City 82% (green)"
    )
    assert service["rows"][0] == ["Disabled Children Service", "67%", "Red", "–", "–"]


def test_an_indicator_needs_two_values_for_a_trend_and_a_count_or_percentage_for_a_chart():
    one = {"unit": "count", "trend": [["2021-08-01", None], ["2021-09-01", 4.0]]}
    two = {"unit": "rate_per_10000", "trend": [["2021-08-01", 3.0], ["2021-09-01", 4.0]]}
    assert not parts.has_trend(one)
    assert parts.has_trend(two) and not parts.charted(two)
    assert parts.charted({**two, "unit": "percentage"})


def test_missing_closing_parts_read_as_sentences():
    assert closing.audits_line(None) == "No case-file audits were completed in the period."
    assert closing.audits_line({"count": 1, "good_or_better": None}) == (
        "1 audit was completed in the period."
    )
    assert closing.practice_week({"practice_week": None}) is None
    assert closing.action_rows({"actions": [{"number": "1"}]}) == [["1", "", "", "no date", ""]]
    assert closing.action_fills({"actions": [{"status": "made_up"}, {"status": "off_track"}]}) == [
        "#eeefef",
        "#f6d7d2",
    ]


def test_a_breakdown_the_areas_own_table_lays_out_is_not_repeated_under_its_indicator():
    by_role = {
        "dimension": "role",
        "title": "Role",
        "rows": [{"category": "Team Manager", "value": 32.0}],
    }
    by_locality = {
        "dimension": "locality",
        "title": "Locality",
        "rows": [{"category": "South", "value": 30.0}],
    }
    indicator = {
        "name": "Budgeted FTE establishment",
        "unit": "count",
        "breakdowns": [by_role, by_locality],
    }
    area = {"indicators": [indicator], "tables": [{"dimension": "role"}]}

    blocks = parts.breakdown_blocks(indicator, parts.table_dimensions(area))

    assert [b["title"] for b in blocks] == ["Locality"]
    assert [b["title"] for b in parts.breakdown_blocks(indicator)] == ["Role", "Locality"]
