"""An upload page's file (a case list, indicator values): the file chosen, and when it is
refused, the error summary at the top of the page: the file's first problems, each linking to
the file box, and how many more the table below lists (templates/_file_problems.html lists
every one, by row and column)."""

# Problems named in the summary. Twenty fit on a screen above the form, enough to see what is
# wrong with a file (a misnamed column repeats on every row); more would push the file box and
# the full table, which lists them all, out of sight.
SUMMARY_LIMIT = 20


def uploaded_file(field) -> tuple[str, bytes] | None:
    """The file chosen in an upload form's file field, as (its name, what it holds); None when
    none was chosen, with the field's error saying to choose one."""
    storage = field.data
    if not storage or not storage.filename:
        field.errors.append("Choose a CSV or XLSX file to upload")
        return None
    return storage.filename, storage.read()


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
