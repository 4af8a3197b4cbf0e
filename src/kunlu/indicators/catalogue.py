"""The default indicator catalogue: the indicators the zone's monthly reports name.

Money is stored in 万元 (人民币) or 万美元 (美元) as the bureaus publish it; bulletins print 亿元/亿美元.
Trade is kept in both currencies as published, never converted. Analysts edit the catalogue in the
interface (and import/export it as Excel); these defaults only fill a fresh deployment.
"""

from __future__ import annotations

from typing import Any

STATS = "统计局"
FINANCE = "财政局"
COMMERCE = "商务局"
CUSTOMS = "海关"
POWER = "供电公司"
TAXATION = "税务局"
SCIENCE = "科技局"


def _money(code: str, name: str, name_en: str, source: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "unit": "万元",
        "currency": "CNY",
        "source_department": source,
        **extra,
    }


def _usd(code: str, name: str, name_en: str, source: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "unit": "万美元",
        "currency": "USD",
        "source_department": source,
        **extra,
    }


# Parents and ratio terms come before the indicators that refer to them.
DEFAULT_CATALOGUE: list[dict[str, Any]] = [
    _money("gdp", "地区生产总值", "Gross domestic product", STATS, frequency="quarterly", price_basis="real"),
    _money(
        "ind_output",
        "规上工业总产值",
        "Gross industrial output (above designated size)",
        STATS,
        caliber="above_size",
    ),
    _money(
        "ind_va",
        "规上工业增加值",
        "Industrial value added (above designated size)",
        STATS,
        caliber="above_size",
        price_basis="real",
    ),
    _money("hitech_output", "高新技术产业产值", "High-tech industry output", STATS, caliber="above_size"),
    {
        "code": "hitech_share",
        "name": "高新技术产业产值占比",
        "name_en": "High-tech share of industrial output",
        "unit": "%",
        "currency": "",
        "additivity": "ratio",
        "numerator": "hitech_output",
        "denominator": "ind_output",
        "caliber": "above_size",
        "source_department": STATS,
    },
    _money(
        "emerging_output",
        "战略性新兴产业产值",
        "Strategic emerging industries output",
        STATS,
        caliber="above_size",
    ),
    _money("budget_revenue", "一般公共预算收入", "General public budget revenue", FINANCE),
    _money("budget_tax", "其中：税收收入", "of which tax revenue", FINANCE, parent="budget_revenue"),
    {
        "code": "tax_share",
        "name": "税收占一般公共预算收入比重",
        "name_en": "Tax share of budget revenue",
        "unit": "%",
        "currency": "",
        "additivity": "ratio",
        "numerator": "budget_tax",
        "denominator": "budget_revenue",
        "source_department": FINANCE,
    },
    _money("tax_total", "税收总收入", "Total tax revenue", TAXATION),
    _money("fai", "固定资产投资", "Fixed-asset investment", STATS),
    _money("ind_investment", "工业投资", "Industrial investment", STATS, parent="fai"),
    _money(
        "tech_upgrade_investment",
        "工业技改投资",
        "Technical-upgrade investment",
        STATS,
        parent="ind_investment",
    ),
    _money("retail", "社会消费品零售总额", "Retail sales of consumer goods", STATS),
    _money(
        "service_revenue",
        "规上服务业营业收入",
        "Service revenue (above designated size)",
        STATS,
        caliber="above_size",
    ),
    _money(
        "profit_service_revenue",
        "规上营利性服务业营业收入",
        "For-profit service revenue (above size)",
        STATS,
        caliber="above_size",
        parent="service_revenue",
    ),
    _usd("trade", "外贸进出口总额", "Foreign trade (imports and exports)", CUSTOMS),
    _usd("export", "出口总额", "Exports", CUSTOMS, parent="trade"),
    _usd("import", "进口总额", "Imports", CUSTOMS, parent="trade"),
    _money("trade_cny", "外贸进出口总额（人民币）", "Foreign trade in yuan", CUSTOMS),
    _usd("fdi_actual", "实际使用外资", "Utilised foreign direct investment", COMMERCE, precision=2),
    _usd("fdi_registered", "注册外资", "Registered foreign investment", COMMERCE),
    _money("rd_expense", "研发经费支出", "R&D expenditure", SCIENCE),
    {
        "code": "electricity",
        "name": "全社会用电量",
        "name_en": "Electricity consumption",
        "unit": "万千瓦时",
        "currency": "",
        "source_department": POWER,
    },
    {
        "code": "ind_electricity",
        "name": "其中：工业用电量",
        "name_en": "of which industrial",
        "unit": "万千瓦时",
        "currency": "",
        "source_department": POWER,
        "parent": "electricity",
    },
]

for _order, _entry in enumerate(DEFAULT_CATALOGUE, start=1):
    _entry["sort_order"] = _order * 10
