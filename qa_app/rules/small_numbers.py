"""The small-number rule every tier with a threshold applies (qa_app.findings.suppression does
the rest: secondary suppression, the tiers' rules): a figure of children from above 0 to under
the threshold is not shown. Here, below every floor that shows figures, so the data layer's
scorecard and the findings apply the same test."""


def hides_figure(value: float | None, threshold: int) -> bool:
    """Whether a figure of children (a count, or an average of counts such as 3.4 children on
    plans over the year) is below the tier's threshold: from above 0 to under it. A fraction
    counts too, so an average is never shown where the counts it comes from would be hidden."""
    return value is not None and 0 < value < threshold
