"""The formula library of 亩均效益评价 (docs/domain.md §1.3): named inputs, flags and indicator formulas.

Inputs are what the registry and the departments supply per enterprise and year (monetary values in 万元,
land in 亩); flags are yes/no facts; formulas are indicators over inputs. A rule set picks formulas from
this library by code and may declare more inputs, flags and formulas of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputDef:
    """A named per-enterprise input value (税收, 用地面积, …) and its unit."""

    code: str
    name: str
    unit: str = ""


@dataclass(frozen=True)
class FlagDef:
    """A named yes/no fact about an enterprise (高新技术企业, 发生较大安全事故, …)."""

    code: str
    name: str


@dataclass(frozen=True)
class FormulaDef:
    """An indicator formula over inputs (or other formulas): 亩均税收 = tax / land_mu."""

    code: str
    name: str
    expression: str
    unit: str = ""
    # Lower-is-better indicators (能耗 per 万元) score in reverse; the library's are all higher-is-better.
    direction: str = "higher"


INPUTS: tuple[InputDef, ...] = (
    InputDef("tax", "评价税收", "万元"),
    InputDef("revenue", "营业收入（主营业务收入）", "万元"),
    InputDef("sales", "销售收入（开票销售）", "万元"),
    InputDef("output", "工业总产值", "万元"),
    InputDef("value_added", "工业增加值", "万元"),
    InputDef("land_mu", "评价用地面积", "亩"),
    InputDef("leased_m2", "租用厂房面积", "平方米"),
    InputDef("energy_tce", "综合能耗（等价值）", "吨标准煤"),
    InputDef("electricity", "用电量", "万千瓦时"),
    InputDef("emission", "主要污染物排放当量", "吨"),
    InputDef("rd_expense", "研发经费支出", "万元"),
    InputDef("employees", "年平均职工人数", "人"),
    InputDef("years_in_production", "投产年限", "年"),
    InputDef("years_since_founding", "成立年限", "年"),
)

FLAGS: tuple[FlagDef, ...] = (
    FlagDef("above_scale", "规模以上工业企业"),
    FlagDef("high_tech", "高新技术企业"),
    FlagDef("specialised", "专精特新企业"),
    FlagDef("little_giant", "专精特新“小巨人”企业"),
    FlagDef("foreign_invested", "外商投资企业"),
    FlagDef("headquarters", "总部企业"),
)

FORMULAS: tuple[FormulaDef, ...] = (
    FormulaDef("tax_per_mu", "亩均税收", "tax / land_mu", "万元/亩"),
    FormulaDef("revenue_per_mu", "亩均营业收入", "revenue / land_mu", "万元/亩"),
    FormulaDef("sales_per_mu", "亩均销售收入", "sales / land_mu", "万元/亩"),
    FormulaDef("output_per_mu", "亩均产值", "output / land_mu", "万元/亩"),
    FormulaDef("value_added_per_mu", "亩均工业增加值", "value_added / land_mu", "万元/亩"),
    FormulaDef("value_added_per_energy", "单位能耗增加值", "value_added / energy_tce", "万元/吨标准煤"),
    FormulaDef("tax_per_energy", "单位能耗税收", "tax / energy_tce", "万元/吨标准煤"),
    FormulaDef("tax_per_electricity", "单位电耗税收", "tax / electricity", "万元/万千瓦时"),
    FormulaDef("value_added_per_emission", "单位排放增加值", "value_added / emission", "万元/吨"),
    FormulaDef("tax_per_emission", "单位主要污染物税收", "tax / emission", "万元/吨"),
    FormulaDef("rd_intensity", "R&D经费支出占主营业务收入比重", "rd_expense / revenue", "比值"),
    FormulaDef("rd_share_of_sales", "研发经费占销售收入比重", "rd_expense / sales", "比值"),
    FormulaDef("labour_productivity", "全员劳动生产率", "value_added / employees", "万元/人"),
)

INPUTS_BY_CODE = {item.code: item for item in INPUTS}
FLAGS_BY_CODE = {item.code: item for item in FLAGS}
FORMULAS_BY_CODE = {item.code: item for item in FORMULAS}

# GB/T 4754-2017 门类 (sections) as ranges of 大类 (two-digit divisions), to match a letter against a code.
SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def industry_digits(code: str) -> str:
    """The numeric part of a GB/T 4754 code ("C3411" → "3411"; "3411" stays)."""
    code = code.strip().upper()
    return code[1:] if code[:1].isalpha() else code


def industry_section(code: str) -> str:
    """The 门类 letter of a code: its own letter if it has one, else looked up from its 大类."""
    code = code.strip().upper()
    if code[:1].isalpha():
        return code[:1]
    division = code[:2]
    if len(division) == 2 and division.isdigit():
        number = int(division)
        for letter, (low, high) in SECTIONS.items():
            if low <= number <= high:
                return letter
    return ""


def industry_division(code: str) -> str:
    """The 大类 (first two digits) of a code, the group of "same industry" benchmarks."""
    return industry_digits(code)[:2]


def industry_matches(code: str, prefix: str) -> bool:
    """Whether an enterprise's code falls under a rule's prefix: a 门类 letter or leading digits."""
    prefix = prefix.strip().upper()
    if prefix.isalpha():
        return industry_section(code) == prefix
    return industry_digits(code).startswith(prefix)
