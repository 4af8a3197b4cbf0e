"""GB/T 4754-2017 国民经济行业分类 as shipped data: the rows of data/gbt4754_2017.csv, read without Django.

The file holds the complete 20 门类 (A–T) and 97 大类 (01–97) with their official names, plus the 中类 of
通用设备制造业 (34) and 专用设备制造业 (35) and a few 小类 the demo zone's equipment makers use. Rows come in
the standard's order; a row's parent comes before it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "gbt4754_2017.csv"


@dataclass(frozen=True)
class IndustryRow:
    """One line of the classification: code, official name, level, parent code, 门类 letter, order."""

    code: str
    name: str
    level: str
    parent: str
    section: str
    sort: int


def industry_rows(path: Path = DATA_FILE) -> list[IndustryRow]:
    """The classification's rows in the standard's order, each with the 门类 it falls under."""
    rows: list[IndustryRow] = []
    section_of: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for order, record in enumerate(csv.DictReader(handle), start=1):
            code, parent = record["code"].strip(), record["parent"].strip()
            if parent and parent not in section_of:
                raise ValueError(f"{path.name}: {code} names parent {parent} before it is listed")
            section = section_of[parent] if parent else code
            section_of[code] = section
            rows.append(
                IndustryRow(code, record["name"].strip(), record["level"].strip(), parent, section, order)
            )
    return rows
