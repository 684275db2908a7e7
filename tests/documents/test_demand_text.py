"""Demand in words (qa_app.documents.demand_text): the sentences cabinet and scrutiny papers
use, for every shape a comparison can take."""

from datetime import date

from qa_app.documents.demand_text import audits_sentence, demand_sentence, months_text

JAN, JUL = date(2019, 1, 1), date(2019, 7, 1)


def test_months_are_said_as_people_say_them():
    assert months_text(JUL, JUL) == "in July 2019"
    assert months_text(JAN, JUL) == "between January and July 2019"
    assert months_text(date(2018, 11, 1), date(2019, 3, 1)) == (
        "between November 2018 and March 2019"
    )


def test_a_rise_on_the_same_months_last_year_reads_as_the_cabinet_paper_puts_it():
    sentence = demand_sentence("Referrals", "count", True, 2190, 1000, 119, JAN, JUL)
    assert sentence == (
        "Referrals rose by 119% between January and July 2019, compared with the same months "
        "of 2018 (2,190 against 1,000)."
    )


def test_a_position_is_compared_as_its_average_and_a_fall_says_fell():
    sentence = demand_sentence("Children in need", "count", False, 686, 722, -5, JAN, JUL)
    assert sentence.startswith("Children in need fell by 5% between January and July 2019")
    assert "(686 on average against 722)" in sentence


def test_no_change_missing_months_no_year_before_and_hidden_figures_each_say_so():
    same = demand_sentence("Contacts", "count", True, 1441, 1441, 0, JUL, JUL)
    assert same == "Contacts: 1,441 in July 2019, the same as in the same months of 2018."
    missing = demand_sentence("Contacts", "count", True, None, 1441, None, JAN, JUL)
    assert "not every month between January and July 2019 has a figure" in missing
    first_year = demand_sentence("Contacts", "count", True, 1441, None, None, JUL, JUL)
    assert first_year == (
        "Contacts: 1,441 in July 2019; there are no figures for the same months of 2018 to "
        "compare with."
    )
    hidden = demand_sentence("Children in care", "count", False, None, None, None, JUL, JUL, True)
    assert "too small to publish" in hidden and "None" not in hidden


def _scale(key, name, levels, good, n, gob):
    return {
        "scale": {
            "key": key,
            "name": name,
            "levels": [{"key": k, "label": k.capitalize()} for k in levels],
            "good_or_better": good,
        },
        "overall": {"n": n, "good_or_better": gob},
    }


def test_the_audits_of_the_period_are_counted_and_judged_per_scale_never_added_across():
    findings = {
        "totals": {"completed": 120},
        "templates": [
            _scale(
                "ofsted4",
                "Ofsted four-point",
                ["outstanding", "good", "inadequate"],
                ["outstanding", "good"],
                110,
                70,
            ),
            _scale(
                "gai",
                "Good / adequate / inadequate",
                ["good", "adequate", "inadequate"],
                ["good"],
                4,
                None,
            ),
        ],
    }
    assert audits_sentence(findings, "between April and September 2021") == (
        "120 audits were completed between April and September 2021. Of the 110 audits graded "
        "on the Ofsted four-point scale, 70 (64%) were judged good or better (outstanding or "
        "good). Of the 4 audits graded on the Good / adequate / inadequate scale, a hidden "
        "number were judged good or better (good)."
    )
    nothing = {"totals": {"completed": 1}, "templates": []}
    assert audits_sentence(nothing, "in July 2019") == "1 audit was completed in July 2019."


def test_a_rise_from_none_is_said_as_a_rise_not_as_no_change():
    from qa_app.documents.scrutiny_sentences import value_prompt

    sentence = demand_sentence("Referrals", "count", True, 50, 0, None, JAN, JUL)
    assert sentence == (
        "Referrals: 50 between January and July 2019, up from none in the same months of 2018."
    )
    indicator = {
        "name": "Children in care",
        "unit": "count",
        "adds_up": False,
        "value": 50,
        "last_year": 0,
        "change_year": None,
    }
    assert value_prompt(indicator, JUL) == (
        "Children in care: 50 at the end of July 2019, up from none a year before."
    )
