"""The downloadable template of a dataset: a sheet to fill in and a sheet 「填写说明」 that explains it."""

from __future__ import annotations

import io
import re

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from kunlu.core.imports.datasets import Dataset
from kunlu.core.imports.reader import size_text

# Rows of the fill-in sheet that carry the text format and the drop-down lists.
PREPARED_ROWS = 5000


def template_filename(dataset: type[Dataset]) -> str:
    """The name the template downloads under, e.g. 机构名录导入模板.xlsx."""
    return _("%(title)s导入模板.xlsx") % {"title": dataset.title}


def _sheet_name(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", text)[:31] or "Sheet1"


def template_workbook(dataset: type[Dataset]) -> bytes:
    """The blank xlsx of a dataset: its Chinese headers (required ones marked *) and a 「填写说明」 sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    base = {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"}
    optional_header = book.add_format({**base, "bg_color": "#E7EEF7"})
    required_header = book.add_format({**base, "bg_color": "#FCE4D6", "font_color": "#9C0006"})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    columns = dataset.template_columns()
    sheet = book.add_worksheet(_sheet_name(str(dataset.title)))
    for position, column in enumerate(columns):
        title = column.title + ("*" if column.required else "")
        sheet.write_string(0, position, title, required_header if column.required else optional_header)
        # Text format keeps codes and phone numbers as typed (no 1.3E+10, no lost leading zeros).
        sheet.set_column(position, position, max(12, len(title) * 2 + 4), text)
        if column.help:
            sheet.write_comment(0, position, str(column.help))
        if column.choices:
            sheet.data_validation(
                1,
                position,
                PREPARED_ROWS,
                position,
                {
                    "validate": "list",
                    "source": [str(choice) for choice in column.choices],
                    "error_title": column.title,
                    "error_message": _("请从下拉列表中选择"),
                },
            )
    sheet.freeze_panes(1, 0)

    notes = book.add_worksheet(_("填写说明"))
    notes.write_row(0, 0, [_("列名"), _("是否必填"), _("格式说明"), _("示例")], optional_header)
    for row, column in enumerate(columns, start=1):
        notes.write_row(
            row,
            0,
            [column.title, _("必填") if column.required else _("选填"), str(column.help), column.example],
            wrap,
        )
    general = [
        _("请在第一个工作表「%(sheet)s」中填写，第一行是表头，不要修改、删除或合并表头。")
        % {"sheet": _sheet_name(str(dataset.title))},
        _("标有*的列必须填写；不要使用公式和合并单元格，从其他表格复制时请“选择性粘贴 → 数值”。"),
        _("每个文件最多%(rows)s行数据、%(size)s；也可以上传UTF-8或GBK编码的CSV文件。")
        % {"rows": settings.KUNLU_IMPORT_MAX_ROWS, "size": size_text(settings.KUNLU_UPLOAD_MAX_BYTES)},
    ]
    if dataset.description:
        general.append(str(dataset.description))
    start = len(columns) + 2
    notes.write_string(start, 0, _("说明"), optional_header)
    for offset, line in enumerate(general, start=1):
        notes.write_string(start + offset, 0, line)
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 10)
    notes.set_column(2, 2, 60)
    notes.set_column(3, 3, 30)
    book.close()
    return buffer.getvalue()
