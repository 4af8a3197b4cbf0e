"""Excel out: one writer for every export, Chinese headers, values not formulas."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | date):
        return value
    return str(value)


def write_workbook(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    target: Any = None,
) -> bytes | None:
    """Write sheets of (title, headers, rows) to an xlsx; returns the bytes unless `target` is a path/file."""
    buffer = io.BytesIO() if target is None else target
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": target is None,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    header = book.add_format({"bold": True, "bg_color": "#E7EEF7", "border": 1, "text_wrap": True})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for title, headers, rows in sheets:
        sheet = book.add_worksheet(title[:31])
        sheet.write_row(0, 0, list(headers), header)
        sheet.freeze_panes(1, 0)
        widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
        n = 0
        for n, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                value = _cell(value)
                if isinstance(value, datetime):
                    sheet.write_datetime(n, col, value, stamp)
                else:
                    sheet.write(n, col, value)
                if col < len(widths) and isinstance(value, str):
                    widths[col] = min(60, max(widths[col], len(value) * 2))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        if headers:
            sheet.autofilter(0, 0, max(n, 1), len(headers) - 1)
    book.close()
    return buffer.getvalue() if target is None else None
