"""`flask qa import-indicators FILE`: monthly indicator values from CSV or XLSX."""


def register(qa) -> None:
    """Add the indicator commands to the `qa` group."""
