"""An XLSX file's zip and XML checked against qa_app.imports.limits before openpyxl opens it.

openpyxl reads some parts whole (shared text, styles, relationships, everything outside a
sheet's rows) and each row whole, keeps an element for every row it has read, and pads rows to
a sheet's declared width; zipfile unpacks whatever it is asked to. So the bounds are checked
here first, reading each part as a stream a little at a time with expat (no tree is built,
memory stays flat): the zip's directory (parts, their packed and unpacked sizes, how they
are packed), then every XML part (no document type, nesting depth, tag length, elements),
sheets row by row (row numbers, the column of every cell, cells, text) and the shared text
piece by piece. A file over a limit is refused with OverLimit before any parser has spent
memory on it; a file that is simply damaged is left for openpyxl to report as it always has.

zipfile reads no more of a part than the zip's directory declares it unpacks to, and checks
its CRC at the end, so a part that lies about its size is cut short and fails the CRC."""

import io
import zipfile
from pyexpat import ExpatError, ParserCreate

from openpyxl.utils import get_column_letter

from qa_app.imports.limits import (
    MAX_CELL,
    MAX_DEPTH,
    MAX_PARTS,
    MAX_RATIO,
    MAX_TAG,
    MAX_TREE,
    RATIO_FROM,
    Budget,
    OverLimit,
    size_text,
)

CHUNK = 64 * 1024  # bytes unpacked and parsed at a time
PACKINGS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what spreadsheet programs write
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
REDO = "save the workbook again from your spreadsheet program, or save it as CSV"


def scan_workbook(data: bytes, budget: Budget, max_columns: int) -> None:
    """Refuse (OverLimit) a workbook over a limit. A file that is not a zip is left alone."""
    if data.count(b"PK\x01\x02") > MAX_PARTS:  # directory entries, before zipfile lists them
        raise OverLimit(
            f"the workbook is made of more than {MAX_PARTS:,} files (a spreadsheet has a few "
            f"dozen): {REDO}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # openpyxl says the file is not a readable workbook
    with archive:
        parts = archive.infolist()
        _check_directory(parts, budget)
        scan = _Scan(budget, max_columns)
        first = [p for p in parts if p.filename in (WORKBOOK, WORKBOOK_RELS)]
        for part in first + [p for p in parts if p not in first]:
            scan.part(archive, part)
            budget.check_time()


def _check_directory(parts: list[zipfile.ZipInfo], budget: Budget) -> None:
    total = 0
    limit = budget.limits.unpacked_bytes
    for part in parts:
        if part.flag_bits & 0x1:
            raise OverLimit("the workbook is encrypted: remove its password and upload it again")
        if part.compress_type not in PACKINGS:
            raise OverLimit(
                f"the workbook's part {part.filename!r} is packed in a way spreadsheet "
                f"programs do not use: {REDO}"
            )
        total += part.file_size
        if total > limit:
            raise OverLimit(
                f"the workbook unpacks to more than {size_text(limit)}: at most "
                f"{size_text(limit)} can be read (save it as CSV, or split it into smaller files)"
            )
        ratio = part.file_size / max(1, part.compress_size)
        if part.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise OverLimit(
                f"the workbook's part {part.filename!r} unpacks to {ratio:,.0f} times its packed "
                f"size: a spreadsheet program packs at most about {MAX_RATIO} times, so the file "
                f"is not read ({REDO})"
            )


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1 :]


def _column(reference: str | None) -> int | None:
    """The column number of a cell reference such as "XFD12" (None when it has none)."""
    if not reference:
        return None
    number = 0
    for character in reference:
        if "A" <= character <= "Z":
            number = number * 26 + ord(character) - 64
        elif "a" <= character <= "z":
            number = number * 26 + ord(character) - 96
        else:
            break
        if number > 1_000_000:  # far past XFD: stop before the number itself grows costly
            break
    return number or None


def _row_number(text: str | None, previous: int) -> int:
    """A row's number as openpyxl reads it: its r attribute, else the one after the last."""
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        try:
            return int(float(text))
        except (ValueError, OverflowError):
            return previous + 1  # openpyxl refuses the row itself


class _Scan:
    """One workbook's parts, scanned one after another; sheet names come from workbook.xml
    and its relationships, which are scanned first."""

    def __init__(self, budget: Budget, max_columns: int):
        self.budget = budget
        self.max_columns = max_columns
        self.elements = 0  # in the parts scanned so far
        self.strings = 0
        # relationship id -> the sheet in words, by its position ("sheet 2"): a sheet's name
        # is free text from the file, never repeated
        self.sheet_ids: dict[str, str] = {}
        self.targets: dict[str, str] = {}  # relationship id -> part name
        self.names: dict[str, str] = {}  # part name -> sheet name

    def part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        name = info.filename
        lower = name.lower()
        try:
            stream = archive.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError):
            return  # openpyxl reports it
        # Every part is read as XML, whatever its name: an image or other binary part stops
        # at its first bytes, which are not XML. A part is taken for a sheet or the shared
        # text by its usual name; any other part, wherever openpyxl finds it, is held to the
        # stricter rule of a part read whole.
        with stream:
            handler: _Sheet | _Strings | _Part
            if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                handler = _Sheet(self, self.names.get(name, name))
            elif lower.endswith("sharedstrings.xml"):
                handler = _Strings(self, name)
            else:
                handler = _Part(self, name)
            handler.feed(stream)
        if name == WORKBOOK_RELS:
            for rel_id, target in self.targets.items():
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if rel_id in self.sheet_ids:
                    self.names[path] = self.sheet_ids[rel_id]

    def too_many_elements(self) -> OverLimit:
        limit = self.budget.limits.elements
        return OverLimit(
            f"the workbook has more than {limit:,} XML elements: at most {limit:,} are read "
            "(split it into smaller files, or save it as CSV)"
        )


class _Part:
    """A part openpyxl reads as one tree: at most MAX_TREE elements. Subclasses read a sheet
    row by row and the shared text piece by piece."""

    def __init__(self, scan: _Scan, name: str):
        self.scan = scan
        self.name = name
        self.depth = 0
        self.tree = 0  # elements in the tree openpyxl builds whole (here: the part)
        self.elements = scan.elements  # in the workbook, this part included
        self.most = scan.budget.limits.elements
        self.parser = ParserCreate()
        self.parser.buffer_text = True
        self.parser.buffer_size = CHUNK
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def where(self) -> str:
        return f"the workbook's part {self.name!r}"

    def feed(self, stream) -> None:
        fed = 0
        try:
            while chunk := stream.read(CHUNK):
                fed += len(chunk)
                self.parser.Parse(chunk, False)
                # after Parse, CurrentByteIndex is where the last complete event began: what
                # lies beyond it is one unfinished tag, comment or instruction, held by expat
                if fed - self.parser.CurrentByteIndex > MAX_TAG:
                    raise OverLimit(
                        f"{self.where()} has an XML tag longer than {size_text(MAX_TAG)}: {REDO}"
                    )
                self.scan.budget.check_time()
            self.parser.Parse(b"", True)
        except OverLimit:
            raise
        except (ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            return  # damaged, cut short or failing its CRC: openpyxl says so, and where
        finally:
            self.scan.elements = self.elements

    def doctype(self, *_) -> None:
        raise OverLimit(
            f"{self.where()} declares a document type (<!DOCTYPE>), which spreadsheet programs "
            "never write: the file is not read"
        )

    def deeper(self) -> None:
        """Count one more element and level (after self.depth has grown)."""
        if self.depth > MAX_DEPTH:
            raise OverLimit(
                f"{self.where()} nests its XML more than {MAX_DEPTH} levels deep: {REDO}"
            )
        self.elements += 1
        if self.elements > self.most:
            raise self.scan.too_many_elements()

    def start(self, tag: str, attributes: dict) -> None:
        self.depth += 1
        self.deeper()
        self.tree += 1
        self.check_tree(self.tree, "")
        tag = _local(tag)
        if tag == "sheet" and self.name == WORKBOOK:
            rel_id = next((v for k, v in attributes.items() if _local(k) == "id"), None)
            if rel_id and "name" in attributes:
                self.scan.sheet_ids[rel_id] = f"sheet {len(self.scan.sheet_ids) + 1}"
        elif tag == "Relationship" and self.name == WORKBOOK_RELS:
            if "Id" in attributes and "Target" in attributes:
                self.scan.targets[attributes["Id"]] = attributes["Target"]

    def end(self, tag: str) -> None:
        self.depth -= 1

    def text(self, data: str) -> None:
        if len(data) > MAX_CELL:
            raise OverLimit(f"{self.where()} holds a text of more than {MAX_CELL:,} characters")

    def check_tree(self, count: int, unit: str) -> None:
        if count > MAX_TREE:
            raise OverLimit(
                f"{self.where()} has more than {MAX_TREE:,} XML elements{unit}: at most "
                f"{MAX_TREE:,} are read there (the workbook may hold too many cell styles or "
                f"merged cells; {REDO})"
            )


class _Sheet(_Part):
    """A worksheet, row by row. openpyxl builds each row (a child of <sheetData>) whole, takes
    each of the row's children for a cell, and keeps an emptied element for every row; the
    rest of the sheet, anything else in <sheetData> included, is one more tree."""

    def __init__(self, scan: _Scan, sheet: str):
        super().__init__(scan, sheet)
        self.data = 0  # the depth of <sheetData> while inside it
        self.in_row = False  # inside a row (not some other child of <sheetData>)
        self.outside = 0  # elements outside the rows
        self.rows = 0  # children of <sheetData> so far
        self.row = 0  # the current row's number
        self.column = 0  # the current cell's column
        self.characters = 0  # in the current cell
        self.formula = self.value = False  # the current cell has a formula, a value
        self.in_value = False  # inside the current cell's value (<v> or <is>)

    def where(self) -> str:
        return self.name if self.name.startswith("sheet ") else f"the part {self.name!r}"

    def start(self, tag: str, attributes: dict) -> None:
        self.depth += 1
        self.deeper()
        level = self.depth - self.data if self.data else 0
        if level == 2 and self.in_row:  # a cell
            self.column = column = _column(attributes.get("r")) or self.column + 1
            if column > self.scan.max_columns:
                raise OverLimit(
                    f"{self.where()}, row {self.row:,} has a cell in column "
                    f"{_letters(column)}: at most {self.scan.max_columns} columns are read "
                    "(delete the columns after the last one you use)"
                )
            self.scan.budget.add_cells(1)
            self.characters = 0
            self.formula = self.value = False
        elif level == 1:
            self.rows += 1
            self.in_row = tag == "row" or tag.endswith(":row")
            if self.in_row:
                self.row = _row_number(attributes.get("r"), self.row)
                self.column = self.tree = 0
            self.scan.budget.check_row(self.where(), max(self.row, self.rows))
            if self.rows % 256 == 0:
                self.scan.budget.check_time()
        elif level == 0 and _local(tag) == "sheetData":
            self.data = self.depth
        if level == 3 and self.in_row:
            part = _local(tag)
            self.formula = self.formula or part == "f"
            self.in_value = part in ("v", "is")
        if level >= 2 and self.in_row:
            self.tree += 1
            if self.tree > MAX_TREE:
                self.check_tree(self.tree, f" in row {self.row:,}")
        elif level != 1 or not self.in_row:
            self.outside += 1
            self.check_tree(self.outside, " outside its rows")

    def end(self, tag: str) -> None:
        if self.data and self.in_row and self.depth - self.data == 3:
            self.in_value = False
        if self.data and self.in_row and self.depth - self.data == 2 and self.formula:
            if not self.value:  # openpyxl reads it as blank: the person typed something
                raise OverLimit(
                    f"{self.where()}, row {self.row:,}, column {_letters(self.column)}: a "
                    "formula without a value (the file was not saved by a spreadsheet "
                    "program): type the value, or open the file and save it again"
                )
        if self.depth == self.data:
            self.data = 0
        self.depth -= 1

    def text(self, data: str) -> None:
        if not (self.data and self.in_row):
            super().text(data)
            return
        self.characters += len(data)
        self.value = self.value or (self.in_value and bool(data))
        self.scan.budget.add_text(len(data))
        if self.characters > MAX_CELL:
            raise OverLimit(
                f"{self.where()}, row {self.row:,}: a cell holds more than {MAX_CELL:,} characters"
            )


class _Strings(_Part):
    """The shared text. openpyxl builds each piece (<si>) whole and keeps an emptied element
    for each; anything else is one more tree."""

    def __init__(self, scan: _Scan, name: str):
        super().__init__(scan, name)
        self.in_piece = False
        self.outside = 0
        self.characters = 0  # in the current piece

    def start(self, tag: str, attributes: dict) -> None:
        self.depth += 1
        self.deeper()
        if self.depth == 2:
            self.in_piece = tag == "si" or tag.endswith(":si")
            if self.in_piece:
                self.scan.strings += 1
                limit = self.scan.budget.limits.strings
                if self.scan.strings > limit:
                    raise OverLimit(
                        f"the workbook holds more than {limit:,} different pieces of text: at "
                        f"most {limit:,} are read (split it into smaller files)"
                    )
                self.tree = self.characters = 0
                return
        if self.depth > 2 and self.in_piece:
            self.tree += 1
            self.check_tree(self.tree, f" in piece of text number {self.scan.strings:,}")
        else:
            self.outside += 1
            self.check_tree(self.outside, "")

    def text(self, data: str) -> None:
        self.characters += len(data)
        self.scan.budget.add_text(len(data))
        if self.characters > MAX_CELL:
            raise OverLimit(
                f"a cell holds more than {MAX_CELL:,} characters (the workbook's shared text, "
                f"piece number {self.scan.strings:,})"
            )


def _letters(column: int) -> str:
    return get_column_letter(column) if column <= 18_278 else f"number {column:,}"
