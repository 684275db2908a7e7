"""A closed calibration round's results as an XLSX workbook, written by the one spreadsheet
writer: a sheet of figures per item (answers per category, agreement, alpha with its interval,
AC1), a sheet of outlying answers, and each auditor's distance from the agreed grades (only
the rows the reader may see are passed in). No Flask, no database."""

from collections.abc import Mapping, Sequence

from qa_app.documents.spreadsheet import CellValue, Look, Spreadsheet
from qa_app.findings.calibration_results import RoundResults
from qa_app.findings.calibration_stats import Distance

TITLE = Look(bold=True, size=14)
SHARE = "0%"
FIGURE = "0.000"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def round_workbook(
    figures: RoundResults,
    *,
    names: Mapping[int, str],
    distances: Sequence[Distance],
    alpha_in_words: str,
) -> bytes:
    """The workbook; `names` holds the auditors the reader may see named (others are "An
    auditor")."""
    book = Spreadsheet(title=figures.round.name)
    header: list[CellValue] = [
        "Section",
        "Item",
        "Kind",
        "Answers",
        "Agreement",
        "Krippendorff's alpha",
        "Alpha 95% interval from",
        "Alpha 95% interval to",
        "Gwet's AC1",
        "Why a figure is blank",
        "Answers by category",
    ]
    sheet = book.add_sheet("Items", header)
    rows: list[list[CellValue]] = []
    for row in figures.rows:
        result = row.result
        interval = result.interval or (None, None)
        counts = ", ".join(
            f"{label}: {n}"
            for (_, label), n in zip(row.item.levels, result.distribution, strict=True)
        )
        values: list[CellValue] = [
            row.item.section,
            row.item.label,
            "Grade (ordinal)" if row.item.graded else "Answer (nominal)",
            sum(result.distribution),
            result.agreement,
            _rounded(result.alpha.value),
            _rounded(interval[0]),
            _rounded(interval[1]),
            _rounded(result.ac1.value),
            result.alpha.reason or result.ac1.reason,
            counts,
        ]
        sheet.append_row(values, formats={4: SHARE, 5: FIGURE, 6: FIGURE, 7: FIGURE, 8: FIGURE})
        rows.append(values)
    sheet.append_row([])
    sheet.append_row([figures.headline])
    sheet.append_row([alpha_in_words])
    sheet.fit_widths(header, rows, maximum=60)
    sheet.freeze()

    far = book.add_sheet(
        "Outlying answers", ["Auditor", "Case", "Item", "Answer", "Agreed or most common"]
    )
    labels = {row.item.key: row.item for row in figures.rows}
    references = {c.case_id: c.case.case_reference for c in figures.round.cases}
    for row in figures.rows:
        for outlier in row.result.outliers:
            item = labels[outlier.item_key]
            far.append_row(
                [
                    names.get(outlier.auditor_id, "An auditor"),
                    references.get(outlier.case_id, ""),
                    item.label,
                    item.levels[outlier.answer][1],
                    item.levels[outlier.reference][1],
                ]
            )

    away = book.add_sheet(
        "Distance from agreed",
        [
            "Auditor",
            "Mean scale steps from the agreed grades",
            "Grades compared",
            "Answers matching the agreed",
            "Answers compared",
        ],
    )
    for distance in distances:
        away.append_row(
            [
                names.get(distance.auditor_id, "An auditor"),
                _rounded(distance.mean_steps),
                distance.grades_compared,
                distance.matching,
                distance.compared,
            ],
            formats={1: "0.00"},
        )
    return book.to_bytes()
