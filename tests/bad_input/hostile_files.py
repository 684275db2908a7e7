"""Hostile workbooks built at run time (issue 14, item 3): XLSX files that are small on the
wire and huge, wide or slow once opened (hostile_text.py has the CSV files and templates).
Nothing big is ever committed: each file is written here, its XML in streaming pieces, so
building one costs little memory even when it unpacks to a gigabyte.

Each builder takes the size that matters as an argument: the tests pass sizes just over the
limits of qa_app.imports.limits (fast), the benchmark (benchmarks/hostile_uploads.py) the sizes
of the issue's report (a 4.7 KB workbook declaring A1:XFD1048576, 1.2 GB of empty rows in a
1.75 MB file, a 600 MB cell in a 588 KB file)."""

import io
import zipfile
from collections.abc import Callable, Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = REL + "/worksheet"
STRINGS_TYPE = REL + "/sharedStrings"
STYLES_TYPE = REL + "/styles"
CHUNK = 1 << 20  # bytes of XML handed to the compressor at a time

Pieces = Callable[[], Iterable[bytes]]  # a member's content, in pieces


def _content_types(sheets: int, strings: bool, styles: bool) -> bytes:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = [
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ct}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    ]
    if strings:
        parts.append(
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
        )
    if styles:
        parts.append(f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        + "".join(parts)
        + "</Types>"
    ).encode()


def _workbook(sheets: int) -> bytes:
    entries = "".join(
        f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f"<sheets>{entries}</sheets></workbook>"
    ).encode()


def _workbook_rels(sheets: int, strings: bool, styles: bool) -> bytes:
    rels = [
        f'<Relationship Id="rId{n}" Type="{SHEET_TYPE}" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    ]
    if strings:
        rels.append(f'<Relationship Id="rS" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>')
    if styles:
        rels.append(f'<Relationship Id="rT" Type="{STYLES_TYPE}" Target="styles.xml"/>')
    return f'<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>'.encode()


ROOT_RELS = (
    f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
).encode()


def _write(archive: zipfile.ZipFile, name: str, pieces: Iterable[bytes]) -> None:
    """One member, its content handed over a megabyte at a time (force_zip64: the content
    may pass 2 GB)."""
    with archive.open(name, "w", force_zip64=True) as member:
        buffer = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size >= CHUNK:
                member.write(b"".join(buffer))
                buffer, size = [], 0
        member.write(b"".join(buffer))


def repeat(piece: bytes, count: int) -> Iterable[bytes]:
    """`piece` `count` times, in pieces of about a megabyte."""
    per = max(1, CHUNK // max(1, len(piece)))
    block = piece * per
    whole, rest = divmod(count, per)
    for _ in range(whole):
        yield block
    yield piece * rest


def workbook(
    sheets: list[Pieces],
    *,
    strings: Pieces | None = None,
    styles: Pieces | None = None,
    extra: Iterable[tuple[str, bytes]] = (),
    stored: bool = False,
) -> bytes:
    """An XLSX file: each sheet's XML (and the shared strings and styles, when given) written
    from its pieces; `extra` members added as they are. `stored`: not compressed, so that
    the file is as big as it unpacks to (and gets past the check of how tightly it packs)."""
    out = io.BytesIO()
    packing = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", packing) as archive:
        archive.writestr(
            "[Content_Types].xml", _content_types(len(sheets), bool(strings), bool(styles))
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(len(sheets)))
        archive.writestr(
            "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets), bool(strings), bool(styles))
        )
        for number, pieces in enumerate(sheets, 1):
            _write(archive, f"xl/worksheets/sheet{number}.xml", pieces())
        if strings:
            _write(archive, "xl/sharedStrings.xml", strings())
        if styles:
            _write(archive, "xl/styles.xml", styles())
        for name, body in extra:
            archive.writestr(name, body)
    return out.getvalue()


def inline(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


HEADER = b'<row r="1">' + inline("A1", "case_reference") + inline("B1", "team") + b"</row>"
GOOD_ROW = b'<row r="2">' + inline("A2", "1000001") + inline("B2", "MASH") + b"</row>"


def sheet(body: Callable[[], Iterable[bytes]], head: bytes = b"") -> Pieces:
    """A sheet's XML: `head` (e.g. a <dimension>) before <sheetData>, `body` inside it."""

    def pieces():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
        yield head
        yield b"<sheetData>"
        yield from body()
        yield b"</sheetData></worksheet>"

    return pieces


# ---- the three, and their siblings ---------------------------------------------


def far_dimension() -> bytes:
    """(a) A few KB declaring A1:XFD1048576, with one cell in the far corner: read-only
    openpyxl pads every row, blank ones included, to the declared width."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook([sheet(lambda: [HEADER, GOOD_ROW, far], b'<dimension ref="A1:XFD1048576"/>')])


def far_cells(rows: int) -> bytes:
    """A cell in column XFD on each of `rows` rows, no dimension declared: each row is padded
    to 16,384 cells."""
    return workbook(
        [
            sheet(
                lambda: [
                    HEADER,
                    *(
                        f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>'.encode()
                        for n in range(2, rows + 2)
                    ),
                ]
            )
        ]
    )


def empty_rows(count: int, stored: bool = False) -> bytes:
    """(b) `count` empty rows (<row/>, six bytes each) after a header: 200 million of them are
    1.2 GB unpacked, about 1.2 MB packed."""
    return workbook([sheet(lambda: [HEADER, *repeat(b"<row/>", count)])], stored=stored)


def wide_row(cells: int, stored: bool = False) -> bytes:
    """One row of `cells` empty cells: a row is built whole before it is handed on."""
    return workbook(
        [sheet(lambda: [HEADER, b"<row>", *repeat(b"<c/>", cells), b"</row>"])], stored=stored
    )


def big_shared_string(characters: int, stored: bool = False) -> bytes:
    """(c) One shared string of `characters` characters, used by one cell."""

    def strings():
        yield f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
        yield from repeat(b"x", characters)
        yield b"</t></si></sst>"

    row = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook([sheet(lambda: [HEADER, row])], strings=strings, stored=stored)


def big_inline_string(characters: int, stored: bool = False) -> bytes:
    """One inline string cell of `characters` characters."""

    def body():
        yield HEADER
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield from repeat(b"x", characters)
        yield b"</t></is></c></row>"

    return workbook([sheet(body)], stored=stored)


def many_shared_strings(count: int, stored: bool = False) -> bytes:
    """`count` empty shared strings: openpyxl keeps a list of every one."""

    def strings():
        yield f'<sst xmlns="{MAIN}">'.encode()
        yield from repeat(b"<si><t>a</t></si>", count)
        yield b"</sst>"

    return workbook([sheet(lambda: [HEADER, GOOD_ROW])], strings=strings, stored=stored)


def many_styles(count: int, stored: bool = False) -> bytes:
    """`count` cell formats in styles.xml: openpyxl reads the stylesheet as one tree."""

    def styles():
        yield f'<styleSheet xmlns="{MAIN}"><cellXfs count="{count}">'.encode()
        yield from repeat(b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>', count)
        yield b"</cellXfs></styleSheet>"

    return workbook([sheet(lambda: [HEADER, GOOD_ROW])], styles=styles, stored=stored)


def many_sheets(count: int, stored: bool = False) -> bytes:
    """`count` small sheets."""
    return workbook([sheet(lambda: [HEADER, GOOD_ROW])] * count, stored=stored)


def many_members(count: int) -> bytes:
    """A good workbook with `count` extra (empty) members."""
    return workbook(
        [sheet(lambda: [HEADER, GOOD_ROW])],
        extra=((f"xl/junk/{n}.bin", b"") for n in range(count)),
    )


def merged_cells(count: int, stored: bool = False) -> bytes:
    """`count` merged ranges: openpyxl builds the whole <mergeCells> element before reading it."""

    def pieces():
        yield f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
        yield HEADER + GOOD_ROW
        yield b"</sheetData><mergeCells>"
        yield from repeat(b'<mergeCell ref="C3:D4"/>', count)
        yield b"</mergeCells></worksheet>"

    return workbook([pieces], stored=stored)


def long_tag(size: int) -> bytes:
    """A cell whose tag holds an attribute of `size` bytes (expat holds a tag whole)."""

    def body():
        yield HEADER
        yield b'<row r="2"><c r="A2" x="'
        yield from repeat(b"y", size)
        yield b'"/></row>'

    return workbook([sheet(body)], stored=True)


def dense_cells(rows: int, columns: int) -> bytes:
    """`rows` rows of `columns` numbers each, not compressed: a shape a real file could have,
    only bigger."""
    cells = b"<c><v>1</v></c>" * columns
    return workbook(
        [sheet(lambda: [HEADER, *repeat(b"<row>" + cells + b"</row>", rows)])], stored=True
    )


def bzip2_part() -> bytes:
    """A good workbook whose sheet is packed with bzip2 (which zipfile unpacks in one go)."""
    source = zipfile.ZipFile(io.BytesIO(workbook([sheet(lambda: [HEADER, GOOD_ROW])])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            packing = zipfile.ZIP_BZIP2 if item.filename.endswith("sheet1.xml") else None
            target.writestr(item.filename, source.read(item), compress_type=packing)
    return out.getvalue()


def near_limits(rows: int = 19_999, columns: int = 12) -> bytes:
    """A workbook just inside every limit of limits.UPLOAD at once: 20,000 elements of styles,
    99,000 pieces of shared text of 40 characters, and `rows` rows of `columns` cells that use
    them (about the most a worker spends on a file it reads)."""
    styles_count, texts = 19_990, 99_000

    def styles():
        yield f'<styleSheet xmlns="{MAIN}"><cellXfs count="{styles_count}">'.encode()
        for n in range(styles_count):  # each different, as a bloated real stylesheet's are
            yield f'<xf numFmtId="{n % 164}" fontId="{n % 7}" xfId="{n}"/>'.encode()
        yield b"</cellXfs></styleSheet>"

    def strings():
        yield f'<sst xmlns="{MAIN}">'.encode()
        for n in range(texts):
            yield f"<si><t>text {n:08d} {'x' * 26}</t></si>".encode()
        yield b"</sst>"

    def body():
        yield HEADER
        for r in range(2, rows + 2):
            cells = "".join(
                f'<c t="s"><v>{(r * columns + c) % texts}</v></c>' for c in range(columns)
            )
            yield f'<row r="{r}">{cells}</row>'.encode()

    return workbook([sheet(body)], strings=strings, styles=styles)


def entity_expansion() -> bytes:
    """A billion laughs in the sheet's XML (a DTD declaring nested entities)."""
    lol = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    dtd = f'<!DOCTYPE worksheet [<!ENTITY l0 "lol">{lol}]>'

    def pieces():
        yield f'<?xml version="1.0"?>{dtd}<worksheet xmlns="{MAIN}"><sheetData>'.encode()
        yield HEADER
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        yield b"</sheetData></worksheet>"

    return workbook([pieces])


def deep_nesting(depth: int) -> bytes:
    """Elements nested `depth` deep inside the sheet."""

    def pieces():
        yield f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
        yield HEADER
        yield b"</sheetData><extLst>"
        yield from repeat(b"<a>", depth)
        yield from repeat(b"</a>", depth)
        yield b"</extLst></worksheet>"

    return workbook([pieces])


def lying_size(real: int, declared: int = 1000) -> bytes:
    """A sheet whose entry in the zip's central directory says it unpacks to `declared` bytes
    when it really unpacks to `real` (about; empty rows)."""
    data = bytearray(empty_rows(max(1, (real - 200) // 6)))
    name = b"xl/worksheets/sheet1.xml"
    at = 0
    while (at := data.find(b"PK\x01\x02", at + 1)) != -1:  # each central directory entry
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name:
            data[at + 24 : at + 28] = declared.to_bytes(4, "little")
            return bytes(data)
    raise AssertionError("no central directory entry for the sheet")


def odd_members() -> bytes:
    """A workbook whose zip also holds a path outside the archive, an absolute path, a
    directory and a nested zip (a workbook inside the workbook)."""
    inner = far_dimension()
    return workbook(
        [sheet(lambda: [HEADER, GOOD_ROW])],
        extra=[
            ("../../evil.xml", b"<x/>"),
            ("/etc/evil.xml", b"<x/>"),
            ("xl/dir/", b""),
            ("xl/embeddings/inner.xlsx", inner),
        ],
    )
