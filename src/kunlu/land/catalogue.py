"""The defaults a fresh deployment gets: the 标准地 control indicators of domain.md §2.2, an example 数据得地
scorecard in the pattern of the published county scorecards (§2.3), and remedy rules (§2.4). All are data
the land office edits afterwards; `services.catalogue_install_defaults` writes the missing ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kunlu.land.choices import ApplicationField, Direction, Method, RemedyKind, SourceField, Stage

# (code, name, unit, direction, due stage, application field, required at listing)
INDICATORS = [
    (
        "investment_intensity",
        "投资强度",
        "万元/亩",
        Direction.GTE,
        Stage.COMPLETION,
        ApplicationField.INVESTMENT_INTENSITY,
        True,
    ),
    ("far", "容积率", "", Direction.GTE, Stage.COMPLETION, "", True),
    ("tax_per_mu", "亩均税收", "万元/亩", Direction.GTE, Stage.PRODUCTION, ApplicationField.TAX_PER_MU, True),
    (
        "output_per_mu",
        "亩均产值",
        "万元/亩",
        Direction.GTE,
        Stage.PRODUCTION,
        ApplicationField.OUTPUT_PER_MU,
        False,
    ),
    ("energy_per_output", "单位产值能耗", "吨标准煤/万元", Direction.LTE, Stage.PRODUCTION, "", False),
    ("va_per_emission", "单位排放增加值", "万元/吨", Direction.GTE, Stage.PRODUCTION, "", False),
    (
        "rd_intensity",
        "研发经费占营收比",
        "%",
        Direction.GTE,
        Stage.PRODUCTION,
        ApplicationField.RD_INTENSITY,
        False,
    ),
]

SCORECARD = (
    "standard",
    "数据得地综合评分表（示例）",
    "按预计亩均税收、投资强度、产业链契合度、研发强度和现有亩均评价等级评分，满分100分。",
)

# (name, source, weight, method, floor, target, bands)
CRITERIA: list[tuple[str, str, int, str, int | None, int | None, list[dict[str, Any]]]] = [
    ("预计亩均税收", SourceField.TAX_PER_MU, 30, Method.LINEAR, 50, 200, []),
    ("投资强度", SourceField.INVESTMENT_INTENSITY, 25, Method.LINEAR, 500, 2000, []),
    (
        "产业链契合度",
        SourceField.CHAIN_FIT,
        15,
        Method.CATEGORICAL,
        None,
        None,
        [{"label": "core", "points": 15}, {"label": "support", "points": 8}, {"label": "none", "points": 0}],
    ),
    (
        "研发经费占营收比",
        SourceField.RD_INTENSITY,
        15,
        Method.BANDED,
        None,
        None,
        [{"min": 1, "points": 5}, {"min": 3, "points": 10}, {"min": 5, "points": 15}],
    ),
    (
        "现有亩均评价等级",
        SourceField.EXISTING_BAND,
        15,
        Method.CATEGORICAL,
        None,
        None,
        [
            {"label": "A", "points": 15},
            {"label": "B", "points": 10},
            {"label": "C", "points": 4},
            {"label": "D", "points": 0},
            {"label": "none", "points": 8},
        ],
    ),
]

# (name, min %, max %, min failures, kind, rectify months, penalty rate)
REMEDY_RULES: list[tuple[str, int, int | None, int | None, str, int | None, Decimal | None]] = [
    ("差额10%以内：限期整改6个月", 0, 10, None, RemedyKind.RECTIFY, 6, None),
    ("差额10%至30%：按合同收取违约金", 10, 30, None, RemedyKind.PENALTY, None, Decimal(1)),
    ("差额30%至50%：按合同收取违约金", 30, 50, None, RemedyKind.PENALTY, None, Decimal(1)),
    ("差额30%至50%：限期整改12个月", 30, 50, None, RemedyKind.RECTIFY, 12, None),
    ("差额50%以上：回购或收回土地", 50, None, None, RemedyKind.BUYBACK, None, None),
    ("两次核验未达标：回购或收回土地", 0, None, 2, RemedyKind.BUYBACK, None, None),
]

# -- measuring commitments from reported data (竣工/达产核验) -----------------------------------------

PARCEL_AREA = "parcel_area"
"""An operand: the reviewed parcel's area (亩)."""
PROJECT_INVESTMENT = "project_investment"
"""An operand: the holder's completed investment recorded in the project register (万元, 人民币 only)."""

# indicator code → (numerator, denominator). Operands are PARCEL_AREA, PROJECT_INVESTMENT or an input code of
# the evaluation engine (kunlu.engine.evaluation.INPUTS: the holder's annual figures in kunlu.evaluation).
# Indicators not here (容积率 …) have no reported source: the reviewer types them.
REPORTED_MEASURES: dict[str, tuple[str, str]] = {
    "investment_intensity": (PROJECT_INVESTMENT, PARCEL_AREA),
    "tax_per_mu": ("tax", PARCEL_AREA),
    "output_per_mu": ("output", PARCEL_AREA),
    "energy_per_output": ("energy_tce", "output"),
    "va_per_emission": ("value_added", "emission"),
    "rd_intensity": ("rd_expense", "revenue"),
}

RATIO = "比值"
"""The unit of a quotient whose operands share a unit."""

# (unit of the quotient, unit of the commitment) → factor. The quotient's unit is the numerator's unit over
# the denominator's (万元 ÷ 亩 → 万元/亩), or RATIO when they cancel. Equal units need no entry; a pair
# with no entry is not converted, and the reviewer types the value.
UNIT_FACTORS: dict[tuple[str, str], Decimal] = {
    (RATIO, "%"): Decimal(100),
    ("万元/亩", "元/亩"): Decimal(10000),
    ("吨标准煤/万元", "千克标准煤/万元"): Decimal(1000),
    ("吨标准煤/万元", "吨标准煤/亿元"): Decimal(10000),
    ("万元/吨", "元/吨"): Decimal(10000),
}
