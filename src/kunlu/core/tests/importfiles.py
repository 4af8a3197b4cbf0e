"""Files for the import tests, generated in the tests (no binary fixtures): xlsx with xlsxwriter, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from kunlu.accounts.demo import demo_uscc

HEADERS = ["名称", "类别", "所属地区代码", "统一社会信用代码", "联系人", "联系电话"]


def good_rows() -> list[list[Any]]:
    """Three organisations of zone A: two enterprises and a bureau (no code)."""
    return [
        ["甲区导入企业一", "企业", "ZA", demo_uscc(501), "张三", 13800000001],
        ["甲区导入企业二", "企业", "ZA", demo_uscc(502), "李四", "0512-57000002"],
        ["甲区导入科技局", "政府部门", "ZA", "", "王五", ""],
    ]


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    headers: Sequence[Any] | None = HEADERS,
    first_row: int = 0,
    first_col: int = 0,
    edit: Callable[[Any, Any], None] | None = None,
) -> bytes:
    """An xlsx whose first sheet holds the headers and rows (starting at the given cell); `edit(book,
    sheet)` may add formulas, merges or formats."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("机构")
    row = first_row
    if headers is not None:
        sheet.write_row(row, first_col, list(headers))
        row += 1
    for values in rows:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(row, first_col + col, value)
            else:
                sheet.write(row, first_col + col, value)
        row += 1
    if edit is not None:
        edit(book, sheet)
    book.close()
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    headers: Sequence[Any] = HEADERS,
    encoding: str = "utf-8",
    bom: bytes = b"",
    delimiter: str = ",",
) -> bytes:
    """A CSV of the headers and rows in the given encoding, optionally preceded by a BOM."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return bom + text.getvalue().encode(encoding)


def upload(content: bytes, name: str = "机构.xlsx") -> SimpleUploadedFile:
    """An uploaded file as a view receives it."""
    return SimpleUploadedFile(name, content)
