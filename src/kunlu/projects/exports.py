"""The monthly 重大项目推进情况表 in the layout analysts expect: a title, the unit, a two-row header, the
合计 row, then each tier's 小计 row followed by its projects, and the notes.

Amounts are in 万元; a project agreed in 美元 is listed with its amounts in 万美元 (said in the cell's format
and in its 备注) and left out of every total, which the notes say too. Values are written rounded as printed
(amounts and percentages to one decimal, the gap to 序时进度 in 百分点), not as formulas.
"""

from __future__ import annotations

import calendar
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from kunlu.core.formatting import chinese_number, round_half_up
from kunlu.projects.choices import STAGES, Currency, Stage
from kunlu.projects.models import Project, ProjectListing, ProjectStage, ProjectTier
from kunlu.projects.selectors import Progress, Summary

# The table's columns, left to right (the header texts are in `_headers`).
WIDTHS = (6, 30, 24, 14, 9, 12, 12, 12, 10, 10, 12, 16, 9, 16, 24)
AMOUNTS = (5, 6, 7)
RATES = (8, 9, 10)


def period_label(year: int, month: int) -> str:
    """2025年1–9月 (2025年1月 for January)."""
    if month == 1:
        return _("%(year)s年1月") % {"year": year}
    return _("%(year)s年1–%(month)s月") % {"year": year, "month": month}


def span_label(month: int) -> str:
    """1–9月 (1月 for January): the months a year-to-date figure covers."""
    return _("1月") if month == 1 else _("1–%(month)s月") % {"month": month}


def table_title(title: str, year: int, month: int) -> str:
    """The title row: the period, then the table's name (a title that already names its year is kept)."""
    if title.startswith(f"{year}"):
        return title
    return f"{period_label(year, month)}{title}"


def _months(month: int) -> str:
    return _("1月") if month == 1 else _("1–%(month)s月") % {"month": month}


def _rate(value: Decimal | None) -> float | None:
    return None if value is None else float(round_half_up(value * 100, 1))


def _wan(value: Decimal | None) -> float | None:
    return None if value is None else float(round_half_up(value, 1))


@dataclass
class _Group:
    """The projects of one tier (or of no tier) in the table."""

    label: str
    rows: list[Progress] = field(default_factory=list)

    def summary(self) -> Summary:
        """The group's 人民币 projects only (amounts in different currencies are never added)."""
        return Summary(label=self.label, rows=[r for r in self.rows if r.currency == Currency.CNY])

    @property
    def foreign(self) -> int:
        return sum(1 for r in self.rows if r.currency != Currency.CNY)

    @property
    def started(self) -> int:
        return sum(1 for r in self.rows if r.started)


@dataclass
class _Facts:
    """What the table shows beyond a Progress: where each project is listed, its unit, its current stage."""

    listings: dict[int, list[ProjectListing]]
    units: dict[int, str]
    stages: dict[int, Stage]


def _facts(rows: list[Progress], year: int, month: int) -> _Facts:
    """Three queries, however many projects."""
    ids = [r.project.pk for r in rows]
    listings: dict[int, list[ProjectListing]] = defaultdict(list)
    for listing in (
        ProjectListing.objects.filter(project_id__in=ids, year=year)
        .select_related("tier")
        .order_by("tier__sort_order", "tier__code", "pk")
    ):
        listings[listing.project_id].append(listing)
    units = {
        pk: name or investor or ""
        for pk, name, investor in Project.objects.filter(pk__in=ids).values_list(
            "pk", "enterprise__name", "investor"
        )
    }
    end = date(year, month, calendar.monthrange(year, month)[1])
    order = {stage: i for i, stage in enumerate(STAGES)}
    stages: dict[int, Stage] = {}
    reached = ProjectStage.objects.filter(
        project_id__in=ids, actual_on__isnull=False, actual_on__lte=end
    ).values_list("project_id", "stage")
    for project_id, stage in reached:
        current = stages.get(project_id)
        if current is None or order[Stage(stage)] > order[current]:
            stages[project_id] = Stage(stage)
    return _Facts(listings=listings, units=units, stages=stages)


def _groups(rows: list[Progress], facts: _Facts) -> list[_Group]:
    """Projects by the first tier (in the tiers' order) that lists them; those on no list come last."""
    by_tier: dict[ProjectTier, _Group] = {}
    unlisted = _Group(label=_("其他项目"))
    for row in rows:
        listings = facts.listings.get(row.project.pk)
        if not listings:
            unlisted.rows.append(row)
            continue
        tier = listings[0].tier
        by_tier.setdefault(tier, _Group(label=tier.name)).rows.append(row)
    ordered = sorted(by_tier.items(), key=lambda item: (item[0].sort_order, item[0].code))
    groups = [group for _tier, group in ordered]
    return [*groups, unlisted] if unlisted.rows else groups


class _Writer:
    """The sheet being written, its formats and the next free row."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheet = book.add_worksheet(_("推进情况"))
        self.row = 0
        base = {"border": 1, "valign": "vcenter", "font_size": 10}
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.unit = book.add_format({"align": "right", "font_size": 10})
        self.header = book.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#E7EEF7"}
        )
        self.text = book.add_format({**base, "text_wrap": True})
        self.centre = book.add_format({**base, "align": "center"})
        self.number = book.add_format({**base, "num_format": "0.0"})
        self.usd = book.add_format({**base, "num_format": '0.0"万美元"'})
        self.note = book.add_format({"font_size": 10, "text_wrap": True, "valign": "top"})
        subtotal = {**base, "bold": True, "bg_color": "#F2F2F2"}
        total = {**base, "bold": True, "bg_color": "#FCE4D6"}
        self.sums = {
            "subtotal": (book.add_format(subtotal), book.add_format({**subtotal, "num_format": "0.0"})),
            "total": (book.add_format(total), book.add_format({**total, "num_format": "0.0"})),
        }

    def cells(self, values: list[Any], text: Any, number: Any, amounts: Any = None) -> None:
        """One row of the table: numbers in `number` format (amounts in `amounts` when given), the rest
        (and blanks) in `text` format."""
        for col, value in enumerate(values):
            if value is None:
                self.sheet.write_string(self.row, col, "—" if col in AMOUNTS + RATES else "", text)
            elif isinstance(value, float | int):
                fmt = amounts if amounts is not None and col in AMOUNTS else number
                self.sheet.write_number(self.row, col, value, fmt)
            else:
                self.sheet.write_string(self.row, col, str(value), text)
        self.row += 1


def _headers(writer: _Writer, month: int) -> None:
    sheet, fmt, top = writer.sheet, writer.header, writer.row
    single = {
        0: _("序号"),
        1: _("项目名称"),
        2: _("项目单位"),
        3: _("项目层级"),
        4: _("建设类型"),
        13: _("责任单位"),
        14: _("备注"),
    }
    for col, text in single.items():
        sheet.merge_range(top, col, top + 1, col, text, fmt)
    grouped = [
        (5, 7, _("投资情况")),
        (8, 10, _("投资进度")),
        (11, 12, _("建设进度")),
    ]
    for first, last, text in grouped:
        sheet.merge_range(top, first, top, last, text, fmt)
    below = [
        _("计划总投资"),
        _("年度计划投资"),
        _("%(months)s完成投资") % {"months": _months(month)},
        _("完成年度计划%"),
        _("序时进度%"),
        _("超/落后序时进度（百分点）"),
        _("开工情况"),
        _("当前节点"),
    ]
    sheet.write_row(top + 1, 5, below, fmt)
    sheet.set_row(top + 1, 42)
    writer.row = top + 2


def _sum_row(writer: _Writer, label: str, group: _Group, kind: str, total_investment: Decimal) -> None:
    summary = group.summary()
    note = ""
    if group.foreign:
        note = _("另有美元项目%(n)s个，未计入") % {"n": group.foreign}
    text, number = writer.sums[kind]
    writer.cells(
        [
            "",
            _("%(label)s（%(n)s个）") % {"label": label, "n": len(group.rows)},
            "",
            "",
            "",
            _wan(total_investment),
            _wan(summary.plan),
            _wan(summary.done),
            _rate(summary.completion),
            _rate(summary.time_progress),
            _rate(summary.gap),
            _("已开工%(n)s个") % {"n": group.started},
            "",
            "",
            note,
        ],
        text,
        number,
    )


def _cny_total(rows: list[Progress]) -> Decimal:
    return sum((r.project.total_investment for r in rows if r.currency == Currency.CNY), Decimal(0))


def _project_row(writer: _Writer, serial: int, row: Progress, facts: _Facts) -> None:
    project = row.project
    listings = facts.listings.get(project.pk, [])
    listing = listings[0] if listings else None
    notes = []
    if row.currency != Currency.CNY:
        notes.append(_("以万美元计，未计入小计、合计"))
    if len(listings) > 1:
        notes.append(_("同时列入%(tiers)s") % {"tiers": "、".join(li.tier.name for li in listings[1:])})
    if row.plan is None:
        notes.append(_("未安排年度计划"))
    if row.started_on is not None:
        started = _("已开工（%(date)s）") % {"date": f"{row.started_on:%Y-%m-%d}"}
    else:
        started = _("未开工")
    stage = facts.stages.get(project.pk)
    writer.cells(
        [
            serial,
            project.name,
            facts.units.get(project.pk, ""),
            listing.tier.name if listing else "",
            listing.get_construction_display() if listing else "",
            _wan(project.total_investment),
            _wan(row.plan),
            _wan(row.done or Decimal(0)),
            _rate(row.completion),
            _rate(row.time_progress),
            _rate(row.gap),
            started,
            str(stage.label) if stage else _("未开始"),
            listing.responsible_unit if listing else "",
            "；".join(notes),
        ],
        writer.text,
        writer.number,
        writer.usd if row.currency != Currency.CNY else None,
    )


def _notes(writer: _Writer, rows: list[Progress], year: int, month: int) -> None:
    foreign = sum(1 for r in rows if r.currency != Currency.CNY)
    lines = [
        _("注：1. 金额单位为万元；以美元计的项目（%(n)s个）金额为万美元，已在备注中注明，未计入小计和合计。")
        % {"n": foreign},
        _(
            "2. 完成年度计划%% = %(months)s完成投资 ÷ 年度计划投资；序时进度按分月计划计算，未分月的按已过"
            "月数占全年的比例计算；超/落后序时进度为二者之差，负数表示落后。"
        )
        % {"months": _months(month)},
        _("3. 开工情况和当前节点截至%(year)s年%(month)s月末；一个项目列入多个层级的，列在排序在前的层级中。")
        % {"year": year, "month": month},
    ]
    writer.row += 1
    last = len(WIDTHS) - 1
    for line in lines:
        writer.sheet.merge_range(writer.row, 0, writer.row, last, line, writer.note)
        writer.row += 1


def progress_workbook(rows: list[Progress], *, year: int, month: int, title: str) -> bytes:
    """The 重大项目推进情况表 of 1–`month` of `year` for the given projects' progress (e.g. from
    selectors.project_progress), grouped by tier, as xlsx bytes. `title` names the table (重大项目推进情况表);
    the period is put in front of it unless it already starts with the year."""
    facts = _facts(rows, year, month)
    groups = _groups(rows, facts)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    writer = _Writer(book)
    sheet, last = writer.sheet, len(WIDTHS) - 1
    sheet.merge_range(0, 0, 0, last, table_title(title, year, month), writer.title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last, _("单位：万元"), writer.unit)
    writer.row = 2
    _headers(writer, month)
    everything = _Group(label=_("合计"), rows=list(rows))
    _sum_row(writer, _("合计"), everything, "total", _cny_total(rows))
    serial = 0
    for n, group in enumerate(groups, start=1):
        label = _("%(n)s、%(tier)s小计") % {"n": chinese_number(n), "tier": group.label}
        _sum_row(writer, label, group, "subtotal", _cny_total(group.rows))
        for row in group.rows:
            serial += 1
            _project_row(writer, serial, row, facts)
    _notes(writer, rows, year, month)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 2)
    sheet.repeat_rows(2, 3)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()
