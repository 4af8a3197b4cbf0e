"""The S1 demo's synthetic enterprises and their monthly reports, calibrated to the seed report.

The seed (昆山高新区, 2025年前三季度) says: 外贸进出口 75.2亿美元, +18.8%; 实际使用外资 2.27亿美元,
+13.3%; five indicators with double-digit growth (工业投资, 进出口总额, 实际使用外资 among them) and ten
whose share of 昆山市 rose (一般公共预算收入, 规上工业总产值 among them). The monitoring computes those from
enterprise facts, so the facts are made to add up to them:

1. `PLANS` states, per zone and indicator, the 2025年1–9月 total and its comparable growth (可比口径同比). The
   bulletin figures of the seed are in it; the rest are plausible and differ between the zones.
2. Every enterprise gets a random but seeded monthly series per *component* (规上工业总产值, 出口, 进口, 地方
   税收 …) with the season of its trade (the Spring Festival fell on 10 Feb 2024 and 29 Jan 2025).
3. Each zone's component is scaled so its 2025 total and its comparable base (2024年1–9月 of the units that
   report in 2025) are the planned ones, values are rounded to 0.01 and the rounding residue goes to the
   largest value: the sums are exact to the cent.
4. Reported indicators are built from components the way they are related, so an enterprise never reports a
   part larger than its whole: 外贸 = 出口 + 进口, 一般公共预算收入 = 税收 + 非税, 固定资产投资 = 工业投资 +
   other investment, 规上服务业 = 营利性 + other, 用电 = 工业用电 + other; 高新技术/战略性新兴产业产值 and
   技改投资 are shares of output and industrial investment.

Pure Python (no Django): `monthly_values()` gives every 当月 value, `reports()` the rows as enterprises
file them (当月, 1–2月 merged at February, or 1–N月累计), `targets()` the zones' annual targets.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

YEAR = 2025  # the year the demo is calibrated on; 2024 is its comparison year
MONTH = 9  # 1–9月, the seed's 前三季度
FIRST = (YEAR - 1, 1)
LAST = (YEAR, MONTH)
CENT = Decimal("0.01")

# Sectors: 规上工业, 营利性服务业, other services, 批发零售, real estate / construction project company.
MFG, PSV, OSV, RTL, DEV = "manufacturing", "profit_services", "other_services", "trade_retail", "real_estate"

# Flags: X trades abroad, F foreign-invested (reports FDI), H high-tech output, E strategic emerging output,
# R reports R&D spending (service firms; factories always do), I invests in non-industrial fixed assets.


@dataclass(frozen=True)
class DemoEnterprise:
    """A synthetic enterprise: who it is, where, its trade and weight, and how and when it reports."""

    serial: int  # serial of its synthetic 统一社会信用代码 (accounts.demo.demo_uscc)
    name: str
    territory: str  # code of its zone or park
    sector: str
    size: float  # economic weight relative to the zone's other enterprises
    flags: str = ""
    first: tuple[int, int] = FIRST  # first month it reports (a 2025 entrant starts later)
    last: tuple[int, int] = LAST  # last month it reports (one that left stops in 2024)
    style: str = "month"  # "month" 当月, "merged" 1–2月合并报送 then 当月, "cumulative" 1–N月累计

    @property
    def zone(self) -> str:
        """The zone it belongs to (parks are coded <zone>-<park>)."""
        return "-".join(self.territory.split("-")[:2])

    def months(self) -> list[tuple[int, int]]:
        """The months it reports, within 2024-01 … 2025-09."""
        return [(y, m) for y in (YEAR - 1, YEAR) for m in range(1, 13) if self.first <= (y, m) <= self.last]

    def components(self) -> frozenset[str]:
        """The components its reported figures are built from (see COMPONENTS)."""
        parts = {"budget_tax", "nontax", "central_tax"}
        parts |= {
            MFG: {"ind_output", "ind_investment", "rd_expense", "ind_electricity"},
            PSV: {"profit_service_revenue", "other_electricity"},
            OSV: {"other_service_revenue", "other_electricity"},
            RTL: {"retail", "other_electricity"},
            DEV: {"other_investment"},
        }[self.sector]
        flagged = {"X": {"export", "import"}, "F": {"fdi_actual", "fdi_registered"}}
        flagged |= {"R": {"rd_expense"}, "I": {"other_investment"}}
        for flag, extra in flagged.items():
            if flag in self.flags:
                parts |= extra
        return frozenset(parts)

    def shares(self) -> frozenset[str]:
        """The indicators it reports as a share of one of its components."""
        return frozenset(code for code, (_base, flag, _range) in SHARES.items() if self._has(flag, _base))

    def _has(self, flag: str | None, base: str) -> bool:
        return base in self.components() and (flag is None or flag in self.flags)


ENTERPRISES: tuple[DemoEnterprise, ...] = (
    # 昆山高新区: electronics, semiconductors, photovoltaics, equipment; science park services.
    DemoEnterprise(8001, "昆山星澜电子科技有限公司（示例）", "KS-GX", MFG, 3.0, "XFHE"),
    DemoEnterprise(8002, "昆山曜芯半导体有限公司（示例）", "KS-GX", MFG, 2.2, "XFHE", style="merged"),
    DemoEnterprise(8003, "昆山澜峰光伏材料有限公司（示例）", "KS-GX", MFG, 1.6, "XFHE"),
    DemoEnterprise(8004, "昆山恒拓精密模具有限公司（示例）", "KS-GX", MFG, 0.8, "X", style="cumulative"),
    DemoEnterprise(8005, "昆山驰远汽车零部件有限公司（示例）", "KS-GX", MFG, 1.4, "XF"),
    DemoEnterprise(8006, "昆山锦程新材料有限公司（示例）", "KS-GX", MFG, 0.7, "HE"),
    DemoEnterprise(8007, "昆山博睿智能装备有限公司（示例）", "KS-GX-ZB", MFG, 0.9, "XHE"),
    DemoEnterprise(8008, "昆山启衡机器人有限公司（示例）", "KS-GX-ZB", MFG, 0.6, "HE", style="merged"),
    DemoEnterprise(8009, "昆山锐驰数控机床有限公司（示例）", "KS-GX-ZB", MFG, 0.5, "H"),
    DemoEnterprise(8010, "昆山禾康生物医药有限公司（示例）", "KS-GX-YZ", MFG, 0.9, "FHE"),
    DemoEnterprise(8011, "昆山算川信息技术有限公司（示例）", "KS-GX-YZ", PSV, 0.6, "R"),
    DemoEnterprise(8012, "昆山云衢数据服务有限公司（示例）", "KS-GX-YZ", PSV, 0.8, "RFI"),
    DemoEnterprise(8013, "昆山湖畔检测认证有限公司（示例）", "KS-GX-YZ", PSV, 0.4, "R"),
    DemoEnterprise(8014, "昆山顺泓供应链管理有限公司（示例）", "KS-GX", OSV, 1.0, "XI"),
    DemoEnterprise(8015, "昆山驿达运输有限公司（示例）", "KS-GX", OSV, 0.5, "I"),
    DemoEnterprise(8016, "昆山汇鲜商业管理有限公司（示例）", "KS-GX", RTL, 0.8),
    DemoEnterprise(8017, "昆山晴川购物中心有限公司（示例）", "KS-GX", RTL, 0.6, style="merged"),
    DemoEnterprise(8018, "昆山澄湖置业有限公司（示例）", "KS-GX", DEV, 1.2),
    # A plant that entered the statistics in March 2025 (新入库): in this year's comparable set, with no base.
    DemoEnterprise(8019, "昆山钧晟新能源科技有限公司（示例）", "KS-GX-ZB", MFG, 0.8, "XHE", first=(2025, 3)),
    # 昆山开发区: the largest industrial zone (displays, computers, circuit boards).
    DemoEnterprise(8101, "昆山晶序光电显示有限公司（示例）", "KS-KF-GL", MFG, 3.2, "XFHE"),
    DemoEnterprise(8102, "昆山弘远光学科技有限公司（示例）", "KS-KF-GL", MFG, 1.2, "XFHE", style="merged"),
    DemoEnterprise(8103, "昆山辰宇电脑配件有限公司（示例）", "KS-KF", MFG, 2.6, "XF"),
    DemoEnterprise(8104, "昆山德茂精密电子有限公司（示例）", "KS-KF", MFG, 1.8, "XFHE"),
    DemoEnterprise(8105, "昆山蓝湾通信设备有限公司（示例）", "KS-KF", MFG, 1.5, "XHE", style="cumulative"),
    DemoEnterprise(8106, "昆山恒信电路板有限公司（示例）", "KS-KF", MFG, 1.3, "XFH"),
    DemoEnterprise(8107, "昆山丰彩包装材料有限公司（示例）", "KS-KF", MFG, 0.6),
    DemoEnterprise(8108, "昆山沃川机械制造有限公司（示例）", "KS-KF", MFG, 0.8, "E"),
    DemoEnterprise(8109, "昆山光合新能源有限公司（示例）", "KS-KF-GL", MFG, 0.9, "HE"),
    # Left the zone at the end of 2024: in last year's published total, not in this year's comparable base.
    DemoEnterprise(8110, "昆山瑞丰塑胶制品有限公司（示例）", "KS-KF", MFG, 0.2, last=(2024, 12)),
    DemoEnterprise(8111, "昆山码上软件服务有限公司（示例）", "KS-KF", PSV, 0.7, "R"),
    DemoEnterprise(8112, "昆山泽润人力资源服务有限公司（示例）", "KS-KF", PSV, 0.5),
    DemoEnterprise(8113, "昆山远捷物流有限公司（示例）", "KS-KF", OSV, 1.1, "XI"),
    DemoEnterprise(8114, "昆山朝阳商贸有限公司（示例）", "KS-KF", RTL, 0.9, "X"),
    DemoEnterprise(8115, "昆山东岸商业广场有限公司（示例）", "KS-KF", RTL, 0.8, style="merged"),
    DemoEnterprise(8116, "昆山长泰置业有限公司（示例）", "KS-KF", DEV, 1.4),
    # 花桥经济开发区: service outsourcing, commerce and logistics, a little industry.
    DemoEnterprise(8201, "昆山融汇金融外包服务有限公司（示例）", "KS-HQ-JR", PSV, 1.2, "RF"),
    DemoEnterprise(8202, "昆山数衡信息科技有限公司（示例）", "KS-HQ-JR", PSV, 0.9, "RI"),
    DemoEnterprise(8203, "昆山通衢呼叫中心服务有限公司（示例）", "KS-HQ-JR", PSV, 0.6),
    DemoEnterprise(8204, "昆山沪昆商务咨询有限公司（示例）", "KS-HQ", PSV, 0.4, "F"),
    DemoEnterprise(8205, "昆山新桥文化传媒有限公司（示例）", "KS-HQ", PSV, 0.5, style="cumulative"),
    DemoEnterprise(8206, "昆山花溪购物中心有限公司（示例）", "KS-HQ", RTL, 1.0, style="merged"),
    DemoEnterprise(8207, "昆山桥汇商贸有限公司（示例）", "KS-HQ", RTL, 0.9, "XF"),
    DemoEnterprise(8208, "昆山捷运供应链有限公司（示例）", "KS-HQ", OSV, 1.1, "XI"),
    DemoEnterprise(8209, "昆山嘉航冷链物流有限公司（示例）", "KS-HQ", OSV, 0.6, "I"),
    DemoEnterprise(8210, "昆山宏景精密部件有限公司（示例）", "KS-HQ", MFG, 0.9, "XFHE"),
    DemoEnterprise(8211, "昆山汇智电子有限公司（示例）", "KS-HQ", MFG, 0.7, "XH"),
    DemoEnterprise(8212, "昆山云桥智能科技有限公司（示例）", "KS-HQ", MFG, 0.4, "HE"),
    DemoEnterprise(8213, "昆山天际置业有限公司（示例）", "KS-HQ", DEV, 1.3),
)

ZONES = ("KS-GX", "KS-KF", "KS-HQ")

# Per zone and indicator: (2025年1–9月 total, comparable growth). 万元; 万美元 for trade and FDI; 万千瓦时.
# KS-GX: the seed's figures; double-digit growth for exactly 工业投资, 工业技改投资, 外贸进出口, 出口 and
# 实际使用外资, and a share of the city up for exactly ten indicators (the other zones' growth decides that).
PLANS: dict[str, dict[str, tuple[str, str]]] = {
    "KS-GX": {
        "ind_output": ("17850000", "0.062"),
        "hitech_output": ("9820000", "0.081"),
        "emerging_output": ("10350000", "0.046"),
        "budget_revenue": ("796000", "0.054"),
        "budget_tax": ("652000", "0.021"),
        "tax_total": ("1585000", "0.018"),
        "fai": ("2380000", "0.046"),
        "ind_investment": ("1216000", "0.164"),
        "tech_upgrade_investment": ("468000", "0.127"),
        "retail": ("1082000", "0.038"),
        "service_revenue": ("2064000", "0.068"),
        "profit_service_revenue": ("1028000", "0.092"),
        "trade": ("752000", "0.188"),
        "export": ("498000", "0.254"),
        "fdi_actual": ("22700", "0.133"),
        "fdi_registered": ("61500", "-0.065"),
        "rd_expense": ("612000", "0.073"),
        "electricity": ("438000", "0.049"),
        "ind_electricity": ("341000", "0.041"),
    },
    "KS-KF": {
        "ind_output": ("31200000", "0.038"),
        "hitech_output": ("15400000", "0.052"),
        "emerging_output": ("14900000", "0.071"),
        "budget_revenue": ("1126000", "0.012"),
        "budget_tax": ("948000", "0.034"),
        "tax_total": ("2310000", "0.031"),
        "fai": ("2960000", "0.012"),
        "ind_investment": ("1520000", "0.068"),
        "tech_upgrade_investment": ("610000", "0.054"),
        "retail": ("1640000", "0.052"),
        "service_revenue": ("2480000", "0.083"),
        "profit_service_revenue": ("860000", "0.061"),
        "trade": ("1385000", "0.064"),
        "export": ("842000", "0.051"),
        "fdi_actual": ("31800", "0.047"),
        "fdi_registered": ("88000", "0.024"),
        "rd_expense": ("980000", "0.086"),
        "electricity": ("712000", "0.072"),
        "ind_electricity": ("598000", "0.062"),
    },
    "KS-HQ": {
        "ind_output": ("3150000", "0.021"),
        "hitech_output": ("1020000", "0.034"),
        "emerging_output": ("1260000", "0.088"),
        "budget_revenue": ("684000", "0.026"),
        "budget_tax": ("592000", "0.041"),
        "tax_total": ("1240000", "0.036"),
        "fai": ("1820000", "-0.032"),
        "ind_investment": ("168000", "0.042"),
        "tech_upgrade_investment": ("52000", "0.018"),
        "retail": ("1460000", "0.067"),
        "service_revenue": ("2940000", "0.085"),
        "profit_service_revenue": ("1720000", "0.072"),
        "trade": ("468000", "0.112"),
        "export": ("198000", "0.083"),
        "fdi_actual": ("12600", "0.215"),
        "fdi_registered": ("42000", "0.152"),
        "rd_expense": ("186000", "0.096"),
        "electricity": ("298000", "0.052"),
        "ind_electricity": ("96000", "0.029"),
    },
}

# Reported indicators that are the sum of two components: the first is itself reported, the second is the
# remainder (非税收入, 中央级税收, 非工业投资, 其他服务业, 进口, 非工业用电) and gets its plan by difference.
SUMS: dict[str, tuple[str, str]] = {
    "budget_revenue": ("budget_tax", "nontax"),
    "tax_total": ("budget_tax", "central_tax"),
    "fai": ("ind_investment", "other_investment"),
    "service_revenue": ("profit_service_revenue", "other_service_revenue"),
    "trade": ("export", "import"),
    "electricity": ("ind_electricity", "other_electricity"),
}
# Reported as an enterprise's share of a component: (component, flag that says it has one, share range).
SHARES: dict[str, tuple[str, str | None, tuple[float, float]]] = {
    "hitech_output": ("ind_output", "H", (0.6, 0.9)),
    "emerging_output": ("ind_output", "E", (0.6, 0.9)),
    "tech_upgrade_investment": ("ind_investment", None, (0.25, 0.55)),
}
COMPONENTS = (
    "ind_output",
    "profit_service_revenue",
    "other_service_revenue",
    "retail",
    "budget_tax",
    "nontax",
    "central_tax",
    "ind_investment",
    "other_investment",
    "export",
    "import",
    "fdi_actual",
    "fdi_registered",
    "rd_expense",
    "ind_electricity",
    "other_electricity",
)
# Components only ever reported inside a sum (进口 is a remainder too, but it is reported on its own).
UNREPORTED = frozenset(
    {"nontax", "central_tax", "other_investment", "other_service_revenue", "other_electricity"}
)
REPORTED_COMPONENTS = frozenset(COMPONENTS) - UNREPORTED

# The season of each trade, January … December (1 = an ordinary month). The Spring Festival fell on
# 10 February 2024 and on 29 January 2025: factories and services dip in February 2024 and in January 2025,
# shops sell most in the weeks before it; fiscal revenue follows the tax calendar; power peaks in summer.
_SEASON_2024: dict[str, tuple[float, ...]] = {
    "industry": (0.97, 0.68, 1.00, 0.98, 1.00, 1.03, 0.99, 1.00, 1.04, 1.02, 1.06, 1.12),
    "service": (0.98, 0.82, 0.98, 0.97, 0.99, 1.02, 0.99, 1.00, 1.03, 1.01, 1.04, 1.17),
    "investment": (0.40, 0.45, 0.85, 0.95, 1.00, 1.20, 0.95, 0.95, 1.15, 1.00, 1.05, 1.45),
    "retail": (1.02, 1.08, 0.93, 0.94, 1.00, 0.98, 0.95, 0.96, 0.99, 1.07, 1.04, 1.10),
    "fiscal": (1.35, 0.70, 0.92, 1.12, 1.22, 0.95, 1.08, 0.82, 0.93, 1.05, 0.88, 0.98),
    "electricity": (0.98, 0.74, 0.96, 0.93, 0.97, 1.04, 1.16, 1.20, 1.05, 0.98, 0.97, 1.02),
}
_SPRING_FESTIVAL_2025 = {
    "industry": (0.80, 0.85),
    "service": (0.88, 0.92),
    "investment": (0.35, 0.55),
    "retail": (1.14, 0.94),
    "fiscal": (1.35, 0.70),
    "electricity": (0.84, 0.88),
}
SEASONS: dict[int, dict[str, tuple[float, ...]]] = {
    YEAR - 1: _SEASON_2024,
    YEAR: {name: (*_SPRING_FESTIVAL_2025[name], *months[2:]) for name, months in _SEASON_2024.items()},
}
SEASON_OF = {
    "ind_output": "industry",
    "export": "industry",
    "import": "industry",
    "rd_expense": "industry",
    "profit_service_revenue": "service",
    "other_service_revenue": "service",
    "ind_investment": "investment",
    "other_investment": "investment",
    "retail": "retail",
    "budget_tax": "fiscal",
    "nontax": "fiscal",
    "central_tax": "fiscal",
    "ind_electricity": "electricity",
    "other_electricity": "electricity",
}
# Paid-in and registered foreign capital arrive in a few instalments a year, not every month.
LUMPY = frozenset({"fdi_actual", "fdi_registered"})

# Annual targets for 2025: the planned 1–9月 completion of each zone (序时进度 at September is 75%).
COMPLETION: dict[str, dict[str, str]] = {
    "KS-GX": {
        "ind_output": "0.768",
        "budget_revenue": "0.781",
        "fai": "0.742",
        "ind_investment": "0.812",
        "tech_upgrade_investment": "0.793",
        "retail": "0.731",
        "service_revenue": "0.756",
        "trade": "0.802",
        "fdi_actual": "0.706",
        "rd_expense": "0.738",
    },
    "KS-KF": {
        "ind_output": "0.744",
        "budget_revenue": "0.722",
        "fai": "0.715",
        "ind_investment": "0.761",
        "tech_upgrade_investment": "0.733",
        "retail": "0.772",
        "service_revenue": "0.781",
        "trade": "0.736",
        "fdi_actual": "0.788",
        "rd_expense": "0.797",
    },
    "KS-HQ": {
        "ind_output": "0.702",
        "budget_revenue": "0.758",
        "fai": "0.694",
        "ind_investment": "0.771",
        "tech_upgrade_investment": "0.718",
        "retail": "0.786",
        "service_revenue": "0.803",
        "trade": "0.764",
        "fdi_actual": "0.829",
        "rd_expense": "0.812",
    },
}

Cell = tuple[int, str, int, int]  # enterprise serial, indicator or component, year, month
Series = dict[Cell, Decimal]


@dataclass(frozen=True)
class Report:
    """One value as an enterprise files it: 当月 ("month") or 1–N月累计 ("ytd")."""

    serial: int
    indicator: str
    year: int
    month: int
    basis: str
    value: Decimal


def planned(zone: str, code: str) -> tuple[Decimal, Decimal]:
    """A zone's planned (2025年1–9月 total, comparable base 2024年1–9月) of an indicator or component."""
    remainders = {part: (whole, own) for whole, (own, part) in SUMS.items()}
    if code in remainders:
        whole, own = remainders[code]
        whole_now, whole_base = planned(zone, whole)
        own_now, own_base = planned(zone, own)
        return whole_now - own_now, whole_base - own_base
    total, growth = (Decimal(v) for v in PLANS[zone][code])
    return total, (total / (1 + growth)).quantize(CENT)


def _rng(serial: int, code: str) -> random.Random:
    """The seeded generator of one enterprise's series: the same figures on every run and machine."""
    return random.Random(f"kunlu-demo/{serial}/{code}")  # noqa: S311  (synthetic figures, not secrets)


def _in_window(year: int, month: int) -> bool:
    return month <= MONTH and year in (YEAR - 1, YEAR)


def _raw_series(enterprise: DemoEnterprise, code: str) -> dict[tuple[int, int], float]:
    """An enterprise's unscaled monthly series of a component: its weight, growth, season and noise."""
    rng = _rng(enterprise.serial, code)
    now, base = planned(enterprise.zone, code)
    growth = max(-0.4, float(now / base) - 1 + rng.gauss(0, 0.08))
    level = enterprise.size * rng.lognormvariate(0, 0.3)
    months = enterprise.months()
    if code in LUMPY:
        return _instalments(rng, months, level * 12, growth)
    season = SEASON_OF[code]
    return {
        (y, m): level
        * (1 + growth if y == YEAR else 1)
        * SEASONS[y][season][m - 1]
        * max(0.5, 1 + rng.gauss(0, 0.04))
        for y, m in months
    }


def _instalments(
    rng: random.Random, months: list[tuple[int, int]], yearly: float, growth: float
) -> dict[tuple[int, int], float]:
    """Two to four instalments a year, the first within January–September; other months report 0."""
    series = dict.fromkeys(months, 0.0)
    for year in (YEAR - 1, YEAR):
        in_year = [ym for ym in months if ym[0] == year]
        if not in_year:
            continue
        chosen = {rng.choice([ym for ym in in_year if ym[1] <= MONTH] or in_year)}
        chosen |= set(rng.sample(in_year, min(len(in_year), rng.randint(1, 3))))
        weights = {ym: rng.uniform(0.5, 1.5) for ym in sorted(chosen)}
        total = yearly * (1 + growth if year == YEAR else 1)
        for ym, weight in weights.items():
            series[ym] = total * weight / sum(weights.values())
    return series


def _settle(values: Series, cells: list[Cell], target: Decimal) -> None:
    """Put the rounding residue of the cells on the largest of them, so they sum to `target` exactly."""
    largest = max(cells, key=lambda c: (values[c], c))
    values[largest] += target - sum((values[c] for c in cells), Decimal(0))
    if values[largest] < 0:
        raise ValueError(f"demo calibration made a negative value at {largest}")


def _calibrate(
    values: Series, zone: str, code: str, raw: dict[Cell, float], reporters: list[DemoEnterprise]
) -> None:
    """Scale a zone's raw series of `code` to its plan: 2025 total and comparable 2024 base, to the cent."""
    now, base = planned(zone, code)
    in_set = {e.serial for e in reporters if e.last[0] == YEAR}  # 可比口径: units reporting this year
    current = [c for c in raw if c[2] == YEAR]
    prior = [c for c in raw if c[2] == YEAR - 1 and c[0] in in_set and _in_window(c[2], c[3])]
    if not current or not prior:
        raise ValueError(f"demo zone {zone} has no reporters of {code}")
    scale = {
        YEAR: float(now) / sum(raw[c] for c in current),
        YEAR - 1: float(base) / sum(raw[c] for c in prior),
    }
    for cell, value in raw.items():
        values[cell] = Decimal(repr(value * scale[cell[2]])).quantize(CENT)
    _settle(values, current, now)
    _settle(values, prior, base)


@cache
def monthly_values() -> dict[Cell, Decimal]:
    """Every demo enterprise's 当月 value of every indicator it reports, 2024-01 … 2025-09, calibrated."""
    components: Series = {}
    for zone in ZONES:
        members = [e for e in ENTERPRISES if e.zone == zone]
        for code in COMPONENTS:
            reporters = [e for e in members if code in e.components()]
            raw = {
                (e.serial, code, y, m): value
                for e in reporters
                for (y, m), value in _raw_series(e, code).items()
            }
            _calibrate(components, zone, code, raw, reporters)
        for code in SHARES:
            _calibrate_share(components, zone, code, [e for e in members if code in e.shares()])
    return _reported(components)


def _calibrate_share(values: Series, zone: str, code: str, reporters: list[DemoEnterprise]) -> None:
    """A share of a component: the enterprise's own ratio times a zone factor per year that meets the plan."""
    base_code, _flag, (low, high) = SHARES[code]
    ratios = {e.serial: _rng(e.serial, code).uniform(low, high) for e in reporters}
    of = {(s, code, y, m): (s, base_code, y, m) for (s, c, y, m) in values if c == base_code and s in ratios}
    _calibrate(
        values,
        zone,
        code,
        {cell: ratios[cell[0]] * float(values[base]) for cell, base in of.items()},
        reporters,
    )
    for cell, base in of.items():
        if values[cell] > values[base] * Decimal("0.98"):
            raise ValueError(f"demo {code} exceeds its whole at {cell}")


def _reported(components: Series) -> dict[Cell, Decimal]:
    """The indicators enterprises report, from the components (sums added, remainders dropped)."""
    reported = {c: v for c, v in components.items() if c[1] in REPORTED_COMPONENTS or c[1] in SHARES}
    for whole, parts in SUMS.items():
        for serial, code, y, m in components:
            if code in parts:
                cell = (serial, whole, y, m)
                reported[cell] = reported.get(cell, Decimal(0)) + components[(serial, code, y, m)]
    return reported


def reports(values: dict[Cell, Decimal] | None = None) -> list[Report]:
    """The rows as the enterprises file them, each in its own style (当月, 1–2月 merged, 1–N月累计)."""
    values = monthly_values() if values is None else values
    styles = {e.serial: e.style for e in ENTERPRISES}
    grouped: dict[tuple[int, str, int], list[tuple[int, Decimal]]] = defaultdict(list)
    for (serial, code, year, month), value in sorted(values.items()):
        grouped[(serial, code, year)].append((month, value))
    rows: list[Report] = []
    for (serial, code, year), points in grouped.items():
        rows += _filed(serial, code, year, points, styles[serial])
    return rows


def _filed(serial: int, code: str, year: int, points: list[tuple[int, Decimal]], style: str) -> list[Report]:
    months = [m for m, _v in points]
    if style == "cumulative":
        running, rows = Decimal(0), []
        for month, value in points:
            running += value
            rows.append(Report(serial, code, year, month, "ytd", running))
        return rows
    if style == "merged" and months[:2] == [1, 2]:
        merged = Report(serial, code, year, 2, "ytd", points[0][1] + points[1][1])
        return [merged, *(Report(serial, code, year, m, "month", v) for m, v in points[2:])]
    return [Report(serial, code, year, m, "month", v) for m, v in points]


def _significant(value: Decimal, digits: int = 3) -> Decimal:
    """value rounded to `digits` significant digits (targets are round numbers)."""
    return Decimal(f"{value:.{digits - 1}e}").quantize(Decimal(1))


def targets() -> list[tuple[str, str, Decimal]]:
    """(zone, indicator, 2025 annual target): the planned total over the planned completion, rounded."""
    return [
        (zone, code, _significant(planned(zone, code)[0] / Decimal(share)))
        for zone, shares in COMPLETION.items()
        for code, share in shares.items()
    ]


def zone_totals(values: Iterable[tuple[Cell, Decimal]]) -> dict[tuple[str, str, int], Decimal]:
    """(zone, indicator, year) → 1–9月 total of the given values (a check for tests and for the loader)."""
    zone_of = {e.serial: e.zone for e in ENTERPRISES}
    totals: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    for (serial, code, year, month), value in values:
        if month <= MONTH:
            totals[(zone_of[serial], code, year)] += value
    return dict(totals)
