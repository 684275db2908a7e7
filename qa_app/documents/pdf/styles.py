"""The house style for every PDF report, as data: one palette, one page geometry, one table of
paragraph styles and the look of each protective marking. `stylesheet()` turns the table into
reportlab styles; nothing else in the package hard-codes a font, size or colour."""

from functools import cache
from typing import Any, cast

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import cm

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"

PALETTE = {
    "text": "#0b0c0c",  # near-black body text
    "secondary": "#505a5f",  # captions, notes, running heads
    "brand": "#1d70b8",  # council blue: headings, accents, table header fill
    "rule": "#b1b4b6",  # hairlines and table grid
    "panel": "#f3f2f1",  # light grey panels (key figures, meta table)
    "zebra": "#f8f8f8",  # alternate table rows
    "white": "#ffffff",
}


def colour(name: str) -> Color:
    """A palette colour by name (or a literal '#rrggbb')."""
    return HexColor(PALETTE.get(name, name))


# Page geometry, in points. The header and footer sit in the 2 cm margins.
PAGE_SIZE = A4
MARGIN = 2 * cm
HEADER_BASELINE = PAGE_SIZE[1] - 1.15 * cm  # running head text baseline
HEADER_RULE = PAGE_SIZE[1] - 1.45 * cm
FOOTER_BASELINE = 1.0 * cm
FOOTER_RULE = 1.45 * cm
RUNNING_SIZE = 8  # running head / footer text size
COVER_MARKING_HEIGHT = 2.6 * cm  # the prominent marking panel at the foot of the cover

# Protective markings: dark text on a light band, so they read in print and on screen.
MARKING_LOOK = {
    "OFFICIAL": {"text": "#0b0c0c", "band": "#f3f2f1", "border": "#b1b4b6"},
    "OFFICIAL-SENSITIVE": {"text": "#942514", "band": "#fbe9e6", "border": "#d4351c"},
}

# Paragraph styles: name -> attributes. "parent" names another entry; colours name the palette.
PARAGRAPH_STYLES: dict[str, dict[str, Any]] = {
    "body": {
        "fontName": FONT,
        "fontSize": 10.5,
        "leading": 15,
        "textColor": "text",
        "spaceAfter": 7,
        "allowWidows": 0,
        "allowOrphans": 0,
    },
    "h1": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 17,
        "leading": 21,
        "textColor": "brand",
        "spaceBefore": 14,
        "spaceAfter": 9,
        "keepWithNext": 1,
    },
    "h2": {
        "parent": "h1",
        "fontSize": 13,
        "leading": 17,
        "textColor": "text",
        "spaceBefore": 12,
        "spaceAfter": 6,
    },
    "h3": {"parent": "h2", "fontSize": 11, "leading": 15, "spaceBefore": 9, "spaceAfter": 4},
    "list_item": {"parent": "body", "spaceAfter": 3},
    "caption": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 9.5,
        "leading": 13,
        "spaceBefore": 6,
        "spaceAfter": 5,
        "keepWithNext": 1,
    },
    "note": {
        "parent": "body",
        "fontSize": 8.5,
        "leading": 11.5,
        "textColor": "secondary",
        "spaceAfter": 6,
    },
    "cell": {"parent": "body", "fontSize": 9, "leading": 11.5, "spaceAfter": 0},
    "cell_numeric": {"parent": "cell", "alignment": TA_RIGHT},
    "cell_header": {"parent": "cell", "fontName": FONT_BOLD, "textColor": "white"},
    "cell_header_numeric": {"parent": "cell_header", "alignment": TA_RIGHT},
    "figure_value": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 24,
        "leading": 28,
        "textColor": "brand",
        "spaceAfter": 0,
    },
    "figure_label": {
        "parent": "body",
        "fontSize": 9,
        "leading": 11.5,
        "textColor": "text",
        "spaceAfter": 0,
    },
    "contents_title": {"parent": "h1", "textColor": "text", "spaceBefore": 0, "spaceAfter": 14},
    "toc1": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 10.5,
        "leading": 14,
        "spaceBefore": 8,
        "rightIndent": 36,
    },
    "toc2": {"parent": "toc1", "fontName": FONT, "spaceBefore": 2, "leftIndent": 16},
    "cover_org": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 11,
        "leading": 14,
        "textColor": "brand",
    },
    "cover_title": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 26,
        "leading": 32,
        "spaceAfter": 12,
    },
    "cover_subtitle": {
        "parent": "body",
        "fontSize": 14,
        "leading": 19,
        "textColor": "secondary",
        "spaceAfter": 0,
    },
    "cover_status": {"parent": "body", "fontName": FONT_BOLD, "fontSize": 11, "spaceAfter": 0},
    "cover_meta_label": {"parent": "cell", "fontName": FONT_BOLD, "fontSize": 9.5},
    "cover_meta_value": {"parent": "cell", "fontSize": 9.5},
    "cover_marking": {
        "parent": "body",
        "fontName": FONT_BOLD,
        "fontSize": 20,
        "leading": 24,
        "alignment": TA_CENTER,
        "spaceAfter": 0,
    },
    "cover_marking_note": {
        "parent": "note",
        "alignment": TA_CENTER,
        "textColor": "text",
        "spaceAfter": 0,
    },
}

_COLOUR_KEYS = ("textColor", "backColor", "borderColor")


@cache
def stylesheet() -> StyleSheet1:
    """All paragraph styles of the house style, built once from PARAGRAPH_STYLES."""
    sheet = StyleSheet1()
    for name, spec in PARAGRAPH_STYLES.items():
        attrs = {k: v for k, v in spec.items() if k != "parent"}
        for key in _COLOUR_KEYS:
            if key in attrs:
                attrs[key] = colour(attrs[key])
        parent = sheet[spec["parent"]] if "parent" in spec else None
        attrs.setdefault("alignment", parent.alignment if parent else TA_LEFT)
        sheet.add(ParagraphStyle(name, parent=parent, **attrs))
    return sheet


def style(name: str) -> ParagraphStyle:
    # the sheet holds only ParagraphStyles; the stubs type its items as the base class
    return cast(ParagraphStyle, stylesheet()[name])


# Table look: header fill, zebra rows, light horizontal rules; cells pad comfortably.
TABLE_PADDING = {"LEFTPADDING": 6, "RIGHTPADDING": 6, "TOPPADDING": 4.5, "BOTTOMPADDING": 5}


# A TableStyle command: its name, the cell range, its arguments.
TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


def table_commands(row_count: int) -> list[TableCommand]:
    """TableStyle commands for a data table with one header row and `row_count` body rows."""
    commands: list[TableCommand] = [
        (key, (0, 0), (-1, -1), value) for key, value in TABLE_PADDING.items()
    ]
    commands += [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colour("brand")),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colour("rule")),
        ("LINEBELOW", (0, -1), (-1, -1), 1, colour("secondary")),
    ]
    if row_count:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colour("white"), colour("zebra")]))
    return commands


# The cover's status-line panel and its table of meta (label, value) rows.
COVER_STATUS_TABLE: list[TableCommand] = [
    ("BACKGROUND", (0, 0), (-1, -1), colour("panel")),
    ("LINEBEFORE", (0, 0), (0, -1), 4, colour("brand")),
    ("LEFTPADDING", (0, 0), (-1, -1), 12),
    ("TOPPADDING", (0, 0), (-1, -1), 8),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
]
COVER_META_TABLE: list[TableCommand] = [
    ("LINEABOVE", (0, 0), (-1, 0), 0.5, colour("rule")),
    ("LINEBELOW", (0, 0), (-1, -1), 0.5, colour("rule")),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]
