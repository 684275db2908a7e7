"""The scrutiny pack as slides states seed 004's figures exactly (shapes' text, table cells, the
native chart's categories and values), keeps every shape inside the 16:9 slide, carries long
lists on to "(continued)" slides rather than off the slide, and renders any figures the
service could freeze, in all three formats, without error."""

from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from pptx import Presentation

from qa_app.documents.scrutiny_docx import scrutiny_docx
from qa_app.documents.scrutiny_pdf import scrutiny_pdf
from qa_app.documents.scrutiny_pptx import scrutiny_pptx
from qa_app.documents.scrutiny_slides import PAD_Y, Box, Para, para_height, take
from tests.documents import scrutiny_data as seed
from tests.documents import scrutiny_strategy as strategy


def _deck(figures=None, sections=None):
    data = scrutiny_pptx(
        seed.figures() if figures is None else figures,
        seed.SECTIONS if sections is None else sections,
        title=seed.TITLE,
        status=seed.STATUS,
        organisation=seed.ORGANISATION,
    )
    return Presentation(BytesIO(data))


def _title(slide) -> str:
    return slide.shapes[0].text_frame.text


def _slide(deck, title):
    return next(s for s in deck.slides if _title(s) == title)


def _texts(slide) -> list[str]:
    return [p.text for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]


def _rows(slide) -> list[list[str]]:
    return [
        [cell.text for cell in row.cells]
        for sh in slide.shapes
        if sh.has_table
        for row in sh.table.rows
    ]


@pytest.fixture(scope="module")
def deck():
    return _deck()


def test_the_deck_is_16_by_9_with_a_title_slide_then_a_slide_per_area_then_the_closing(deck):
    assert deck.slide_width * 9 == deck.slide_height * 16
    titles = [_title(s) for s in deck.slides]
    assert titles[1:] == [
        "Referrals",
        "Children in need",
        "Recruitment",
        "Demand beside the audit findings",
        "Practice week: headline findings",
        "Practice week: five quick wins",
        "Audit themes: key findings",
        "Improvement-plan actions that answer the findings",
    ]
    cover = _texts(deck.slides[0])
    assert "Children's social care performance" in cover
    assert "Performance to the end of September 2021" in cover
    assert "Draft 2: not for circulation" in cover and "OFFICIAL" in cover


def test_an_area_slide_charts_its_main_indicators_18_month_trend_with_its_data(deck):
    slide = _slide(deck, "Children in need")
    chart = next(sh.chart for sh in slide.shapes if sh.has_chart)
    plot = chart.plots[0]
    assert list(plot.categories) == [
        "Apr 20", "May 20", "Jun 20", "Jul 20", "Aug 20", "Sep 20", "Oct 20", "Nov 20", "Dec 20",
        "Jan 21", "Feb 21", "Mar 21", "Apr 21", "May 21", "Jun 21", "Jul 21", "Aug 21", "Sep 21",
    ]  # fmt: skip
    values = list(plot.series[0].values)
    assert values == [float(v) if v is not None else None for v in seed.TREND_CIN]
    assert chart.chart_title.text_frame.text == "Children on a child in need plan: 18-month trend"


def test_an_area_slide_holds_its_figures_rag_in_words_breakdowns_and_commentary(deck):
    slide = _slide(deck, "Children in need")
    rows = _rows(slide)
    assert ["Children on a child in need plan", "686", "–", "–", "+5%"] in rows
    assert ["Children in need visited within timescale", "77%", "Amber", "80%", "−3%"] in rows
    text = " ".join(_texts(slide))
    assert (
        "Children in need visited within timescale, by locality: South 77% (amber), "
        "North 59% (red), Mid and East 58% (red), City 82% (green)"
    ) in text
    assert "by service: Disabled Children Service 67% (red), Social Workers in Schools 74%" in text
    assert "Caseloads have grown with the number of children in need." in text


def test_the_recruitment_slide_holds_the_table_by_role_exactly(deck):
    rows = _rows(_slide(deck, "Recruitment"))
    assert rows[0][0] == "Role"
    assert rows[1:] == [
        [role, *cells]
        for role, cells in [
            ("Team Manager", ["32.00", "2.50", "7.8%", "70.3%", "40.6%"]),
            ("Assistant Team Manager", ["14.00", "1.15", "8.2%", "84.6%", "35.7%"]),
            ("Social Worker (Exp & ASYE)", ["197.01", "36.05", "18.3%", "58.0%", "36.5%"]),
            ("Family Practitioner", ["67.81", "14.27", "21.0%", "91.6%", "4.4%"]),
            ("Personal Adviser (Care Leavers)", ["33.81", "5.39", "15.9%", "88.2%", "5.9%"]),
            ("Total", ["348.63", "63.36", "18.2%", "69.0%", "27.2%"]),
        ]
    ]


def test_the_closing_slides_hold_demand_quick_wins_themes_and_actions(deck):
    demand = " ".join(_texts(_slide(deck, "Demand beside the audit findings")))
    assert "120 audits were completed in the period; 70 (58%) judged good or better." in demand
    assert ["Referrals received", "2,380", "2,015", "+18%"] in _rows(
        _slide(deck, "Demand beside the audit findings")
    )
    wins = _texts(_slide(deck, "Practice week: five quick wins"))
    assert [w for w in seed.QUICK_WINS if w in wins] == seed.QUICK_WINS
    themes = _texts(_slide(deck, "Audit themes: key findings"))
    assert "Strengths" in themes and "Areas for development" in themes
    assert "The child's voice was not always heard in plans." in themes
    actions = _rows(_slide(deck, "Improvement-plan actions that answer the findings"))
    assert actions[1] == [
        "3",
        "Coaching for managers on supervision and oversight.",
        "Head of service",
        "30 November 2021",
        "On track",
    ]


def _inside(deck) -> list[str]:
    out = []
    for n, slide in enumerate(deck.slides, start=1):
        for sh in slide.shapes:
            if sh.left < 0 or sh.top < 0:
                out.append(f"slide {n}: {sh.name} starts off the slide")
            if sh.left + sh.width > deck.slide_width or sh.top + sh.height > deck.slide_height:
                out.append(f"slide {n}: {sh.name} runs off the slide")
    return out


def test_every_shape_sits_inside_its_slide(deck):
    assert _inside(deck) == []


def test_a_long_list_flows_on_to_continued_slides_and_stays_on_the_slide():
    figures = seed.figures()
    figures["practice_week"]["headlines"] = [
        f"Finding {k}: managers saw plans that named the help but not who gives it or by when."
        for k in range(1, 31)
    ]
    figures["actions"] = figures["actions"] * 12
    deck = _deck(figures)
    titles = [_title(s) for s in deck.slides]
    assert "Practice week: headline findings (continued)" in titles
    assert "Improvement-plan actions that answer the findings (continued)" in titles
    text = " ".join(t for s in deck.slides for t in _texts(s))
    for k in range(1, 31):
        assert f"Finding {k}: " in text
    assert _inside(deck) == []


def test_text_placed_in_a_box_is_measured_to_fit_it():
    box = Box(0, 0, 4.0, 2.0)
    paras = [Para("word " * 30) for _ in range(10)]
    n = take(paras, box, 16)
    assert 0 < n < 10
    assert sum(para_height(p, box.w, 16) for p in paras[:n]) + 2 * PAD_Y <= box.h


def test_a_pack_with_nothing_in_it_still_makes_every_slide():
    figures = seed.figures()
    figures.update(areas=[], practice_week=None, actions=[], audit_themes={}, demand={})
    deck = _deck(figures, [])
    text = " ".join(t for s in deck.slides for t in _texts(s))
    assert "No practice week was held in this period." in text
    assert "No improvement-plan actions are recorded for this period." in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures=strategy.figures(), sections=strategy.sections_for(strategy.SECTION_KEYS))
def test_any_figures_the_service_could_freeze_render_in_all_three_formats(figures, sections):
    kw = {"title": seed.TITLE, "status": seed.STATUS, "organisation": seed.ORGANISATION}
    assert scrutiny_pdf(figures, sections, **kw).startswith(b"%PDF")
    assert scrutiny_docx(figures, sections, **kw).startswith(b"PK")
    deck = Presentation(BytesIO(scrutiny_pptx(figures, sections, **kw)))
    assert _inside(deck) == []


def test_a_cell_too_long_for_any_slide_is_cut_short_and_the_table_stays_on_the_slide():
    figures = seed.figures()
    figures["areas"][0]["indicators"][0]["name"] = "A very long indicator name " * 80
    kw = {"title": seed.TITLE, "status": seed.STATUS, "organisation": seed.ORGANISATION}

    deck = Presentation(BytesIO(scrutiny_pptx(figures, seed.SECTIONS, **kw)))

    assert _inside(deck) == []
    assert any(
        "…" in sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame
    ) or any(
        "…" in cell.text
        for s in deck.slides
        for sh in s.shapes
        if sh.has_table
        for row in sh.table.rows
        for cell in row.cells
    )
