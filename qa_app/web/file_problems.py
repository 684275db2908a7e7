"""The error summary at the top of a page an uploaded file was refused on (a case list,
indicator values): the file's first problems, each linking to the file box, and how many more
the table below lists (templates/_file_problems.html lists every one, by row and column)."""

# Problems named in the summary. Twenty fit on a screen above the form, enough to see what is
# wrong with a file (a misnamed column repeats on every row); more would push the file box and
# the full table, which lists them all, out of sight.
SUMMARY_LIMIT = 20


def file_error_summary(problems: list, field_errors: list[str]) -> list[dict]:
    """govukErrorSummary items: the first SUMMARY_LIMIT of `problems` (found in the file), then
    the file field's own errors (no file chosen...), each linking to the field (id "file"),
    then how many more problems the table lists."""
    errors = [{"text": str(p), "href": "#file"} for p in problems[:SUMMARY_LIMIT]]
    errors += [{"text": e, "href": "#file"} for e in field_errors]
    more = len(problems) - SUMMARY_LIMIT
    if more > 0:
        errors.append({"text": f"and {more} more problem{'s' if more > 1 else ''}, listed below"})
    return errors
