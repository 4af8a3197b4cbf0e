"""Reading uploads: type by content, bounds, formulas, merged or bad headers, encodings, huge empty sheets."""

from __future__ import annotations

import codecs
import io
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.files import File

from kunlu.core.imports import reader
from kunlu.core.imports.reader import CSV, XLSX, FileRejected, Table
from kunlu.core.tests.importfiles import HEADERS, csv_bytes, good_rows, xlsx_bytes

# Generated once per test run: xlsxwriter needs a few seconds to format a million rows.
MILLION_ROWS_FILE = "million-formatted-empty-rows-v1.xlsx"


def write(tmp_path: Path, content: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def read(tmp_path: Path, content: bytes, **bounds: int) -> Table:
    path = write(tmp_path, content)
    return reader.read_table(path, reader.detect_kind(path), **bounds)


def rejected(tmp_path: Path, content: bytes, **bounds: int) -> list[dict[str, Any]]:
    with pytest.raises(FileRejected) as caught:
        read(tmp_path, content, **bounds)
    return caught.value.errors


# -- what the file is ----------------------------------------------------------------------------------------


def test_an_xlsx_and_a_csv_are_told_by_their_content(tmp_path: Path) -> None:
    assert reader.detect_kind(write(tmp_path, xlsx_bytes(good_rows()), "data.csv")) == XLSX
    assert reader.detect_kind(write(tmp_path, csv_bytes(good_rows()), "data.xlsx")) == CSV


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "图片"),
        (reader.OLE2_MAGIC + b"\x00" * 100, "旧版Excel（.xls）"),
        (_docx(), "Word"),
        (b"PK\x03\x04broken zip", "已损坏"),
        ("<html><body><table><tr><td>名称</td></tr></table></body></html>".encode(), "网页"),
        (b"\x00\x01\x02\x03binary\x00data", "不是可识别的表格文件"),
        (b"", "文件是空的"),
        (b"  \r\n", "文件是空的"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_with_a_clear_message(
    tmp_path: Path, content: bytes, words: str
) -> None:
    with pytest.raises(FileRejected) as caught:
        reader.detect_kind(write(tmp_path, content, "机构.xlsx"))
    (error,) = caught.value.errors
    assert words in error["reason"]
    assert error["row"] is None


# -- size bounds ---------------------------------------------------------------------------------------------


class Endless(io.RawIOBase):
    """A stream that never ends and declares no size: the copy must stop at the bound by itself."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = 1 << 16 if size is None or size < 0 else size
        self.served += size
        return b"x" * size


def test_a_60_mb_upload_is_refused_before_it_is_read(tmp_path: Path, settings: Any) -> None:
    settings.KUNLU_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:  # sparse: 60 MB on paper, nothing allocated
        fh.truncate(60 * 1024 * 1024)
    with big.open("rb") as fh:
        upload = File(fh, name="big.xlsx")
        assert upload.size == 60 * 1024 * 1024
        with pytest.raises(FileRejected) as caught:
            reader.store_upload(upload, tmp_path / "imports", max_bytes=settings.KUNLU_UPLOAD_MAX_BYTES)
        assert fh.tell() == 0  # refused on its declared size, before reading a byte
    assert "超过20 MB的上限" in caught.value.errors[0]["reason"]
    assert list((tmp_path / "imports").glob("*")) == []


def test_an_upload_is_cut_off_at_the_bound_whatever_it_declares(tmp_path: Path) -> None:
    stream = Endless()
    with pytest.raises(FileRejected):
        reader.store_upload(stream, tmp_path / "imports", max_bytes=3 * reader.CHUNK_BYTES)
    assert stream.served <= 4 * reader.CHUNK_BYTES  # it stopped reading right after the bound
    assert list((tmp_path / "imports").glob("*")) == []  # and kept nothing


def test_a_stored_file_over_the_bound_is_refused_when_read(tmp_path: Path, settings: Any) -> None:
    settings.KUNLU_UPLOAD_MAX_BYTES = 1024
    errors = rejected(tmp_path, csv_bytes(good_rows() * 20))
    assert "超过1 KB的上限" in errors[0]["reason"]


def test_a_zip_bomb_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.KUNLU_IMPORT_MAX_UNZIPPED_BYTES = 10_000
    errors = rejected(tmp_path, xlsx_bytes(good_rows() * 100))
    assert "解压后超过" in errors[0]["reason"]


# -- row and column bounds ---------------------------------------------------------------------------------


def test_rows_over_the_bound_are_refused_naming_the_row(tmp_path: Path) -> None:
    (error,) = rejected(tmp_path, xlsx_bytes(good_rows() + good_rows()), max_rows=5)
    assert error["row"] == 7 and "数据超过5行的上限" in error["reason"]
    assert len(read(tmp_path, xlsx_bytes(good_rows() + good_rows()[:2]), max_rows=5).rows) == 5


def test_columns_over_the_bound_are_refused_naming_the_column(tmp_path: Path) -> None:
    (error,) = rejected(tmp_path, xlsx_bytes(good_rows()), max_columns=4)
    assert error["row"] == 1 and error["column"] == "E" and "超过4列的上限" in error["reason"]
    (error,) = rejected(tmp_path, csv_bytes(good_rows()), max_columns=5)
    assert error["column"] == "F"


def test_empty_rows_do_not_count_against_the_bound(tmp_path: Path) -> None:
    def formatted(book: Any, sheet: Any) -> None:
        border = book.add_format({"border": 1})
        for row in range(4, 3000):
            sheet.write_blank(row, 0, None, border)
            sheet.write_string(row, 1, "")
        sheet.set_row(4000, None, border)

    table = read(tmp_path, xlsx_bytes(good_rows(), edit=formatted), max_rows=3)
    assert [r.number for r in table.rows] == [2, 3, 4]


@pytest.fixture(scope="session")
def million_rows_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An xlsx of one header, one data row and 1,000,000 formatted empty rows (made once per run)."""
    # The parent of the base temp folder is shared by the xdist workers of one run.
    folder = tmp_path_factory.getbasetemp().parent / "kunlu-imports"
    folder.mkdir(exist_ok=True)
    path = folder / MILLION_ROWS_FILE
    if not path.exists():
        partial = folder / f"{MILLION_ROWS_FILE}.{os.getpid()}.part"
        book = xlsxwriter.Workbook(str(partial))
        sheet = book.add_worksheet()
        fill = book.add_format({"bg_color": "#FFFF00", "border": 1})
        sheet.write_row(0, 0, HEADERS)
        sheet.write_row(1, 0, good_rows()[0][:5])
        for row in range(2, 1_000_002):
            sheet.set_row(row, None, fill)
        book.close()
        os.replace(partial, path)
    return path


def test_a_million_formatted_empty_rows_are_read_quickly(million_rows_file: Path) -> None:
    with zipfile.ZipFile(million_rows_file) as zf:
        assert zf.read("xl/worksheets/sheet1.xml").count(b"<row ") > 1_000_000
    started = time.monotonic()
    table = reader.read_table(million_rows_file, reader.detect_kind(million_rows_file), max_rows=10)
    assert time.monotonic() - started < 3
    assert table.headers == HEADERS
    assert [r.number for r in table.rows] == [2]
    assert table.rows[0].cells[0] == "甲区导入企业一"


# -- formulas, merged cells, headers -----------------------------------------------------------------------


def test_formulas_are_reported_cell_by_cell_and_never_evaluated(tmp_path: Path) -> None:
    def formulas(book: Any, sheet: Any) -> None:
        sheet.write_formula(2, 0, '="甲区"&"公式企业"', None, "甲区公式企业")  # row 3, 名称
        sheet.write_formula(3, 5, "=1+1", None, 2)  # row 4, 联系电话
        sheet.write_array_formula(1, 4, 2, 4, "{=A2:A3}")  # rows 2-3, 联系人

    table = read(tmp_path, xlsx_bytes(good_rows(), edit=formulas))
    reasons = {(e["row"], e["column"]): e["reason"] for e in table.cell_errors}
    assert reasons[(3, "名称")] == "第3行「名称」列是公式，请粘贴为数值后再导入"
    assert reasons[(4, "联系电话")] == "第4行「联系电话」列是公式，请粘贴为数值后再导入"
    assert (2, "联系人") in reasons and (3, "联系人") in reasons
    assert (3, 0) in table.skip and (4, 5) in table.skip


def test_a_formula_in_the_header_is_a_header_error(tmp_path: Path) -> None:
    def formula(book: Any, sheet: Any) -> None:
        sheet.write_formula(0, 1, '="类"&"别"', None, "类别")

    table = read(tmp_path, xlsx_bytes(good_rows(), edit=formula))
    assert [e["reason"] for e in table.header_errors] == ["第1行「类别」列是公式，请粘贴为数值后再导入"]


def test_merged_header_cells_are_refused_naming_the_column(tmp_path: Path) -> None:
    def merge(book: Any, sheet: Any) -> None:
        sheet.merge_range(0, 3, 0, 4, "统一社会信用代码")

    table = read(tmp_path, xlsx_bytes(good_rows(), edit=merge))
    (error,) = table.header_errors
    assert error["column"] == "统一社会信用代码" and error["value"] == "D1:E1"
    assert "合并单元格（D1:E1）" in error["reason"]


def test_merged_data_cells_are_refused_naming_row_and_column(tmp_path: Path) -> None:
    def merge(book: Any, sheet: Any) -> None:
        sheet.merge_range(1, 2, 3, 2, "ZA")

    table = read(tmp_path, xlsx_bytes(good_rows(), edit=merge))
    (error,) = table.cell_errors
    assert (error["row"], error["column"]) == (2, "所属地区代码")
    assert "第2行「所属地区代码」列是合并单元格（C2:C4）" in error["reason"]


def test_a_merged_title_above_the_header_is_accepted(tmp_path: Path) -> None:
    def title(book: Any, sheet: Any) -> None:
        sheet.merge_range(0, 0, 0, 5, "甲区机构名录")

    table = read(tmp_path, xlsx_bytes(good_rows(), first_row=2, edit=title))
    assert table.header_row == 1 and table.headers[0] == "甲区机构名录"  # the title is taken as the header
    assert table.header_errors  # … and refused as a merged header, naming the place


def test_empty_and_duplicate_header_names_are_refused_naming_the_column(tmp_path: Path) -> None:
    headers = ["名称", "", "所属地区代码", "名称"]
    table = read(tmp_path, xlsx_bytes([["甲", "企业", "ZA", "乙"]], headers=headers))
    reasons = [e["reason"] for e in table.header_errors]
    assert reasons == [
        "第1行B列的表头是空的，但该列有数据：请填写表头或删除该列",
        "表头「名称」重复（A列和D列），请删除或改名其中一列",
    ]


def test_rows_and_columns_are_numbered_as_excel_shows_them(tmp_path: Path) -> None:
    table = read(tmp_path, xlsx_bytes(good_rows(), first_row=2, first_col=1))
    assert table.header_row == 3
    assert table.letters[0] == "B" and table.headers[0] == "名称"
    assert [r.number for r in table.rows] == [4, 5, 6]

    def formula(book: Any, sheet: Any) -> None:
        sheet.write_formula(4, 1, "=1", None, 1)

    table = read(tmp_path, xlsx_bytes(good_rows(), first_row=2, first_col=1, edit=formula))
    assert table.cell_errors[0]["reason"] == "第5行「名称」列是公式，请粘贴为数值后再导入"


def test_the_required_marker_and_blanks_are_dropped_from_headers(tmp_path: Path) -> None:
    headers = ["名称*", " 类别＊", "所属地区代码 *", *HEADERS[3:]]
    assert read(tmp_path, xlsx_bytes(good_rows(), headers=headers)).headers == HEADERS


def test_cells_are_read_as_text(tmp_path: Path) -> None:
    from datetime import date

    rows = [["甲", 13800000000, 1.5, True, date(2025, 1, 31)]]
    table = read(tmp_path, xlsx_bytes(rows, headers=["a", "b", "c", "d", "e"]))
    assert table.rows[0].cells[:4] == ["甲", "13800000000", "1.5", "是"]
    assert table.rows[0].cells[4] in ("2025-01-31", "45688")  # a date, or its serial without a date format


def test_an_xml_doctype_is_refused(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(good_rows())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            target.writestr(info, data)
    (error,) = rejected(tmp_path, buffer.getvalue())
    assert "DOCTYPE" in error["reason"]


def test_an_empty_sheet_is_refused(tmp_path: Path) -> None:
    (error,) = rejected(tmp_path, xlsx_bytes([], headers=None))
    assert "表格是空的" in error["reason"]


# -- CSV encodings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gbk", b""),
        ("gbk", codecs.BOM_UTF8),  # a GBK file behind a UTF-8 BOM, as some tools write it
        ("gb18030", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
    ],
)
def test_csv_is_decoded_whatever_the_common_encoding(tmp_path: Path, encoding: str, bom: bytes) -> None:
    table = read(tmp_path, csv_bytes(good_rows(), encoding=encoding, bom=bom))
    assert table.kind == CSV and table.headers == HEADERS
    assert [r.cells[0] for r in table.rows] == [r[0] for r in good_rows()]
    assert table.rows[0].cells[5] == "13800000001"


def test_tab_separated_text_is_read(tmp_path: Path) -> None:
    table = read(tmp_path, csv_bytes(good_rows(), delimiter="\t"))
    assert table.headers == HEADERS and table.rows[1].cells[2] == "ZA"


def test_text_in_no_known_encoding_is_refused(tmp_path: Path) -> None:
    (error,) = rejected(tmp_path, "名称\n".encode() + b"\xff\xfe\xfd\x81\x30\n")
    assert "无法识别文件的文字编码" in error["reason"]


def test_csv_rows_are_numbered_by_record(tmp_path: Path) -> None:
    content = '名称,类别\n甲,企业\n\n"乙\n（两行）",企业\n丙,企业\n'.encode()
    table = read(tmp_path, content)
    assert [(r.number, r.cells[0]) for r in table.rows] == [(2, "甲"), (4, "乙\n（两行）"), (5, "丙")]


def test_a_million_formatted_empty_rows_preview_as_one_row(
    world: Any, million_rows_file: Path, settings: Any, tmp_path: Path
) -> None:
    from kunlu.accounts.models import Organisation
    from kunlu.core.imports.services import import_preview
    from kunlu.core.models import ImportStatus

    settings.DATA_DIR = tmp_path
    before = Organisation.objects.count()
    started = time.monotonic()
    with million_rows_file.open("rb") as fh:
        batch = import_preview(
            dataset="accounts.organisation",
            uploaded_file=File(fh, name="百万空行.xlsx"),
            actor=world.analyst_a,
        )
    assert time.monotonic() - started < 5
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.row_count == 1 and batch.summary["created"] == 1
    assert Organisation.objects.count() == before
