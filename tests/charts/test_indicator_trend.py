"""An indicator's trend as a line chart: month labels oldest first, a 0-100 axis for a
percentage, the target as a second line, and no chart with fewer than two values."""

from datetime import date

from qa_app.charts.drawing import line_chart
from qa_app.charts.indicator_trend import trend_chart

POINTS = [(date(2021, 7, 1), 70.0), (date(2021, 8, 1), None), (date(2021, 9, 1), 77.0)]


def test_a_percentage_trend_is_charted_on_a_hundred_scale_with_its_target():
    chart = trend_chart("Visits within timescale", "percentage", POINTS, target=80.0)
    assert chart is not None
    assert chart.x_labels == ["Jul 21", "Aug 21", "Sep 21"]
    assert chart.y_max == 100 and chart.unit == "%"
    assert [s.name for s in chart.series] == ["Visits within timescale", "Target"]
    assert chart.series[0].values == [70.0, None, 77.0]
    assert chart.title == "Visits within timescale, Jul 2021 to Sep 2021"
    assert line_chart(chart, 400, 180).width == 400


def test_a_trend_with_fewer_than_two_values_has_no_chart():
    assert trend_chart("Referrals", "count", POINTS[:2]) is None
