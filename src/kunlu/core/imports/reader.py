"""Read an uploaded table (xlsx or CSV) into a header row and data rows, within bounds, evaluating nothing.

The type is told by the content, never by the name: an xlsx is a zip holding xl/workbook.xml; anything
else that is text is CSV (UTF-8 with or without BOM, else GB18030/GBK, or UTF-16 with BOM). Every problem
becomes a message in Chinese that names the row (as Excel shows it: the header is row 1) and the column.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

XLSX = "xlsx"
CSV = "csv"
CHUNK_BYTES = 1 << 20
# A sheet's XML compresses about 20:1; past this many unzipped bytes the file is refused (zip bombs).
DEFAULT_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
# Formulas and merged cells are each reported up to this many times; one message then says "and more".
MAX_CELL_REPORTS = 200
# An array formula's range is expanded to its cells up to this many.
MAX_RANGE_CELLS = 100_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OTHER_SIGNATURES: list[tuple[bytes, Any]] = [
    (b"%PDF", gettext_lazy("PDF文档")),
    (b"\x89PNG", gettext_lazy("PNG图片")),
    (b"\xff\xd8\xff", gettext_lazy("JPEG图片")),
    (b"GIF8", gettext_lazy("GIF图片")),
    (b"Rar!", gettext_lazy("RAR压缩包")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("7z压缩包")),
    (b"\x1f\x8b", gettext_lazy("gzip压缩包")),
    (b"{\\rtf", gettext_lazy("RTF文档")),
]
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

ErrorDict = dict[str, Any]


def cell_error(row: int | None, column: str, value: Any, reason: str) -> ErrorDict:
    """One problem as the user will look for it: Excel row number (None for the whole file), column, value."""
    text = "" if value is None else str(value)
    return {"row": row, "column": str(column), "value": text[:200], "reason": str(reason)}


class FileRejected(Exception):
    """The upload cannot be read as a table at all; `errors` say why (with row and column where known)."""

    def __init__(self, errors: list[ErrorDict]) -> None:
        super().__init__("；".join(e["reason"] for e in errors[:3]))
        self.errors = errors


def reject(reason: str, *, row: int | None = None, column: str = "", value: Any = "") -> FileRejected:
    """A FileRejected with one message."""
    return FileRejected([cell_error(row, column, value, reason)])


def column_letter(index: int) -> str:
    """The Excel letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of Excel column letters (A → 0)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


@dataclass
class Row:
    """One non-empty data row: its number as the user sees it, and its cells as text."""

    number: int
    cells: list[str]


@dataclass
class Table:
    """A read table: header names by column position, non-empty data rows, and problems found on the way."""

    kind: str
    header_row: int
    headers: list[str]
    letters: list[str]
    rows: list[Row]
    header_errors: list[ErrorDict] = field(default_factory=list)
    cell_errors: list[ErrorDict] = field(default_factory=list)
    skip: set[tuple[int, int]] = field(default_factory=set)

    def column_name(self, position: int) -> str:
        """How to name a column in a message: its header, or its letters when it has none."""
        if position < len(self.headers) and self.headers[position]:
            return self.headers[position]
        return _("%(letters)s列") % {"letters": self.letters[position]}


# -- storing the upload ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    """An upload copied to disk: where, its SHA-256, its size."""

    path: Path
    sha256: str
    size: int


def too_large(max_bytes: int) -> FileRejected:
    """The message for a file over the size bound."""
    return reject(
        _("文件超过%(size)s的上限，请删去无关的工作表或分成几个文件导入") % {"size": size_text(max_bytes)}
    )


def size_text(n: int) -> str:
    """A byte count as people read it: 20 MB, 64 KB."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.3g} MB"
    return f"{n / 1024:.3g} KB"


def _chunks(upload: Any) -> Iterator[bytes]:
    if hasattr(upload, "seek"):
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK_BYTES)
        return
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk


def store_upload(upload: Any, folder: Path, *, max_bytes: int) -> StoredUpload:
    """Copy an upload into `folder` (as a temporary .part file), hashing it; refuse it past `max_bytes`.

    The declared size is checked before anything is read, and the copy stops at the bound whatever the
    declared size said, so a large upload never costs more than `max_bytes` of disk or a chunk of memory.
    """
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise too_large(max_bytes)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=folder, prefix="upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(max_bytes)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return StoredUpload(path=Path(name), sha256=digest.hexdigest(), size=size)


# -- telling the type --------------------------------------------------------------------------------------


def detect_kind(path: Path) -> str:
    """XLSX or CSV, told from the content; anything else is refused with a message saying what it is."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise reject(_("文件是空的，没有任何内容"))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith(OLE2_MAGIC):
        raise reject(
            _(
                "这是旧版Excel（.xls）文件或设置了密码的Excel文件，请在Excel中“另存为”Excel工作簿（.xlsx），"
                "不设密码，再导入"
            )
        )
    for magic, what in OTHER_SIGNATURES:
        if head.startswith(magic):
            raise reject(_("这是%(what)s，不是Excel（.xlsx）或CSV表格文件") % {"what": what})
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return CSV
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<head", b"<meta")):
        raise reject(
            _(
                "这是网页（HTML/XML）格式的文件，常见于系统导出的“xls”，并不是真正的Excel文件；"
                "请用Excel打开后“另存为”Excel工作簿（.xlsx）再导入"
            )
        )
    if b"\x00" in head:
        raise reject(_("不是可识别的表格文件（只支持Excel工作簿.xlsx和CSV文件）"))
    return CSV


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise reject(_("文件已损坏或不完整，无法作为Excel文件打开")) from exc
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        raise reject(_("这是Excel二进制工作簿（.xlsb），请“另存为”Excel工作簿（.xlsx）再导入"))
    if "word/document.xml" in names:
        raise reject(_("这是Word文档，不是Excel表格"))
    if "ppt/presentation.xml" in names:
        raise reject(_("这是PowerPoint演示文稿，不是Excel表格"))
    if "content.xml" in names:
        raise reject(_("这是WPS/LibreOffice格式（.ods/.et）的表格，请“另存为”Excel工作簿（.xlsx）再导入"))
    raise reject(_("这是压缩包（zip），不是Excel表格文件"))


# -- reading -----------------------------------------------------------------------------------------------


def read_table(
    path: Path, kind: str, *, max_rows: int | None = None, max_columns: int | None = None
) -> Table:
    """Read the first sheet of an xlsx, or a CSV, into a Table; FileRejected when it cannot be read."""
    max_rows = settings.KUNLU_IMPORT_MAX_ROWS if max_rows is None else max_rows
    max_columns = settings.KUNLU_IMPORT_MAX_COLUMNS if max_columns is None else max_columns
    max_bytes = settings.KUNLU_UPLOAD_MAX_BYTES
    if path.stat().st_size > max_bytes:
        raise too_large(max_bytes)
    if kind == XLSX:
        return _read_xlsx(path, max_rows=max_rows, max_columns=max_columns)
    if kind == CSV:
        return _read_csv(path, max_rows=max_rows, max_columns=max_columns)
    raise ValueError(f"unknown table kind {kind!r}")


def _text(value: Any) -> str:
    """A cell as the text a parser receives: numbers without a spurious .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _header_text(value: str) -> str:
    """A header as written, without its surrounding blanks and the template's required marker (*)."""
    return " ".join(value.split()).rstrip("*＊ ").strip()


class _Builder:
    """Collects non-empty rows of a grid, applying the bounds, and finds the header row."""

    def __init__(self, kind: str, *, max_rows: int, max_columns: int, col_offset: int = 0) -> None:
        self.kind = kind
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.col_offset = col_offset
        self.header_row = 0
        self.header_cells: list[str] = []
        self.rows: list[Row] = []

    def add(self, number: int, values: Iterable[Any]) -> None:
        """Take one row of the grid (skipped when empty); the first non-empty row is the header."""
        cells = [_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            return
        if self.col_offset + len(cells) > self.max_columns:
            raise reject(
                _("第%(row)s行有%(n)s列，超过%(max)s列的上限，请删去多余的列")
                % {"row": number, "n": self.col_offset + len(cells), "max": self.max_columns},
                row=number,
                column=column_letter(self.max_columns),
            )
        if not self.header_row:
            self.header_row, self.header_cells = number, cells
            return
        self.rows.append(Row(number, cells))
        if len(self.rows) > self.max_rows:
            raise reject(
                _("数据超过%(max)s行的上限（不含表头），请分成几个文件导入") % {"max": self.max_rows},
                row=number,
            )

    def shift(self, rows: int) -> None:
        """Renumber every row by `rows` (when the grid did not start at the sheet's first row)."""
        if rows:
            self.header_row += rows
            for row in self.rows:
                row.number += rows

    def table(self, merges: list[tuple[tuple[int, int], tuple[int, int]]] | None = None) -> Table:
        """The Table of the rows taken, with its header checked and merged cells reported."""
        if not self.header_row:
            raise reject(_("表格是空的：第一个工作表中没有表头，也没有数据"))
        width = max([len(self.header_cells), *(len(r.cells) for r in self.rows)])
        offset = self.col_offset
        headers = [_header_text(c) for c in self.header_cells] + [""] * (width - len(self.header_cells))
        for row in self.rows:
            row.cells.extend([""] * (width - len(row.cells)))
        table = Table(
            kind=self.kind,
            header_row=self.header_row,
            headers=headers,
            letters=[column_letter(offset + i) for i in range(width)],
            rows=self.rows,
        )
        _check_headers(table)
        if merges:
            _check_merges(table, merges)
        return table


def _check_headers(table: Table) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(table.headers):
        letter = table.letters[position]
        if not name:
            if any(row.cells[position] for row in table.rows):
                table.header_errors.append(
                    cell_error(
                        table.header_row,
                        _("%(letters)s列") % {"letters": letter},
                        "",
                        _("第%(row)s行%(letters)s列的表头是空的，但该列有数据：请填写表头或删除该列")
                        % {"row": table.header_row, "letters": letter},
                    )
                )
            continue
        if name in seen:
            table.header_errors.append(
                cell_error(
                    table.header_row,
                    name,
                    name,
                    _("表头「%(name)s」重复（%(first)s列和%(second)s列），请删除或改名其中一列")
                    % {"name": name, "first": table.letters[seen[name]], "second": letter},
                )
            )
        else:
            seen[name] = position


def _check_merges(table: Table, merges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Merged cells hide values (only the first cell holds one): refuse them, naming where they are."""
    offset = column_index(table.letters[0]) if table.letters else 0
    reported = 0
    for (r0, c0), (r1, c1) in sorted(merges):
        if r1 < table.header_row - 1:
            continue  # a title above the header row is no concern of the import
        ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        position = c0 - offset
        if 0 <= position < len(table.headers):
            name = table.column_name(position)
        else:
            name = _("%(letters)s列") % {"letters": column_letter(c0)}
        if r0 <= table.header_row - 1 <= r1:
            table.header_errors.append(
                cell_error(
                    table.header_row,
                    name,
                    ref,
                    _("第%(row)s行表头「%(name)s」是合并单元格（%(ref)s），请取消合并，每列填写一个表头")
                    % {"row": table.header_row, "name": name, "ref": ref},
                )
            )
            continue
        reported += 1
        if reported > MAX_CELL_REPORTS:
            continue
        table.cell_errors.append(
            cell_error(
                r0 + 1,
                name,
                ref,
                _("第%(row)s行「%(name)s」列是合并单元格（%(ref)s），请取消合并，每一行分别填写")
                % {"row": r0 + 1, "name": name, "ref": ref},
            )
        )
    if reported > MAX_CELL_REPORTS:
        table.cell_errors.append(
            cell_error(
                None, "", "", _("另有%(n)s处合并单元格未逐一列出") % {"n": reported - MAX_CELL_REPORTS}
            )
        )


# -- xlsx --------------------------------------------------------------------------------------------------


def _read_xlsx(path: Path, *, max_rows: int, max_columns: int) -> Table:
    try:
        with zipfile.ZipFile(path) as zf:
            unzipped = sum(info.file_size for info in zf.infolist())
            limit = getattr(settings, "KUNLU_IMPORT_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES)
            if unzipped > limit:
                raise reject(
                    _("文件解压后超过%(size)s，请删去无关的工作表、图片或空白格式后再导入")
                    % {"size": size_text(limit)}
                )
            part = _first_sheet_part(zf)
            formulas = _formula_cells(zf, part)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise reject(_("文件已损坏或不是标准的Excel工作簿（.xlsx），请用Excel打开后重新保存")) from exc
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        start, end = sheet.start, sheet.end
        merges = sheet.merged_cell_ranges or []
        builder = _Builder(XLSX, max_rows=max_rows, max_columns=max_columns)
        count = 0
        for index, values in enumerate(sheet.iter_rows()):
            if count == 0 and start is not None and end is not None:
                # python-calamine yields the columns of the used range only; find where they begin.
                builder.col_offset = 0 if len(values) == end[1] + 1 else start[1]
            count += 1
            builder.add(index + 1, values)
    except CalamineError as exc:
        raise reject(_("无法读取Excel文件：%(error)s") % {"error": exc}) from exc
    if end is not None:
        builder.shift(end[0] + 1 - count)  # rows are numbered from the sheet's first row, as Excel does
    table = builder.table(merges)
    _report_formulas(table, formulas)
    return table


def _first_sheet_part(zf: zipfile.ZipFile) -> str:
    """The zip member holding the first sheet of the workbook (the one python-calamine reads as index 0)."""
    workbook = _small_xml(zf, "xl/workbook.xml")
    sheet = next((e for e in workbook.iter() if e.tag.rpartition("}")[2] == "sheet"), None)
    if sheet is None:
        raise reject(_("Excel文件中没有工作表"))
    rel_id = sheet.get(f"{{{_RELS_NS}}}id")
    rels = _small_xml(zf, "xl/_rels/workbook.xml.rels")
    for rel in rels.iter(f"{{{_PKG_RELS_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise reject(_("文件已损坏或不是标准的Excel工作簿（.xlsx），请用Excel打开后重新保存"))


def _small_xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    data = zf.read(name)
    if _DOCTYPE.search(data):
        raise reject(_("文件包含不允许的XML声明（DOCTYPE），请用Excel打开后重新保存"))
    # No DOCTYPE means no entity declarations, so no entity expansion (the XML "bomb") is possible.
    return ElementTree.fromstring(data)  # noqa: S314


def _scan(zf: zipfile.ZipFile, part: str, pattern: re.Pattern[bytes]) -> bool:
    """Whether the pattern occurs in a zip member, read as a stream; refuses a DOCTYPE on the way."""
    tail = b""
    found = False
    with zf.open(part) as fh:
        while chunk := fh.read(CHUNK_BYTES):
            window = tail + chunk
            if _DOCTYPE.search(window):
                raise reject(_("文件包含不允许的XML声明（DOCTYPE），请用Excel打开后重新保存"))
            found = found or bool(pattern.search(window))
            tail = window[-32:]
    return found


def _formula_cells(zf: zipfile.ZipFile, part: str) -> list[tuple[int, int]]:
    """(row, column), 0-based, of every cell of the sheet that holds a formula (an <f> element).

    A quick byte scan first: most sheets hold no formula and need no XML parsing at all. When one does,
    a streaming parse finds each formula's cell, clearing rows as it goes so memory stays flat.
    """
    if not _scan(zf, part, _FORMULA_TAG):
        return []
    found: list[tuple[int, int]] = []
    row, col = -1, -1
    parent: ElementTree.Element | None = None
    with zf.open(part) as fh:
        # The scan above refused any DOCTYPE, so no entity can be declared or expanded here.
        for event, elem in ElementTree.iterparse(fh, events=("start", "end")):  # noqa: S314
            tag = elem.tag.rpartition("}")[2]
            if event == "start":
                if tag == "sheetData":
                    parent = elem
                elif tag == "row":
                    number = elem.get("r")
                    row, col = (int(number) - 1 if number else row + 1), -1
                elif tag == "c":
                    match = _CELL_REF.match(elem.get("r") or "")
                    if match:
                        row, col = int(match.group(2)) - 1, column_index(match.group(1))
                    else:
                        col += 1
            elif tag == "f":
                found.append((row, col))
                if elem.get("t") == "array" and elem.get("ref"):
                    # An array formula lives in its first cell; the other cells of its range hold only
                    # its results, which are formula results all the same.
                    found.extend(_range_cells(elem.get("ref", ""), exclude=(row, col)))
            elif tag == "row" and parent is not None:
                parent.clear()
    return found


def _range_cells(ref: str, *, exclude: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells of an A1:B2 range (0-based), at most MAX_RANGE_CELLS of them."""
    first, _sep, last = ref.partition(":")
    start, end = _CELL_REF.match(first), _CELL_REF.match(last or first)
    if start is None or end is None:
        return []
    r0, r1 = int(start.group(2)) - 1, int(end.group(2)) - 1
    c0, c1 = column_index(start.group(1)), column_index(end.group(1))
    cells = []
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            if (r, c) != exclude:
                cells.append((r, c))
            if len(cells) >= MAX_RANGE_CELLS:
                return cells
    return cells


def _report_formulas(table: Table, formulas: list[tuple[int, int]]) -> None:
    offset = column_index(table.letters[0]) if table.letters else 0
    for n, (r, c) in enumerate(sorted(formulas)):
        number, position = r + 1, c - offset
        name = (
            table.column_name(position)
            if 0 <= position < len(table.headers)
            else _("%(letters)s列") % {"letters": column_letter(c)}
        )
        table.skip.add((number, position))
        if n == MAX_CELL_REPORTS:
            table.cell_errors.append(
                cell_error(None, "", "", _("另有%(n)s个公式单元格未逐一列出") % {"n": len(formulas) - n})
            )
        if n >= MAX_CELL_REPORTS:
            continue
        where = table.header_errors if number == table.header_row else table.cell_errors
        where.append(
            cell_error(
                number,
                name,
                "",
                _("第%(row)s行「%(name)s」列是公式，请粘贴为数值后再导入") % {"row": number, "name": name},
            )
        )


# -- CSV ---------------------------------------------------------------------------------------------------


def decode_text(raw: bytes) -> str:
    """Decode CSV bytes: UTF-16 with BOM; UTF-8 with or without BOM; else GB18030 (a superset of GBK)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise reject(_("无法识别文件的文字编码，请将CSV保存为UTF-8或GBK编码")) from exc
    # Some tools put a UTF-8 BOM in front of GBK text: drop the BOM first, then try both encodings.
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    for encoding in ("utf-8", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise reject(_("无法识别文件的文字编码，请将CSV保存为UTF-8或GBK编码"))


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, *, max_rows: int, max_columns: int) -> Table:
    text = decode_text(path.read_bytes())
    builder = _Builder(CSV, max_rows=max_rows, max_columns=max_columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            builder.add(number, values)
    except csv.Error as exc:
        raise reject(
            _("第%(row)s行的CSV格式有误（%(error)s）") % {"row": number + 1, "error": exc}, row=number + 1
        ) from exc
    return builder.table()
