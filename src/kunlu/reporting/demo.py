"""Demo of enterprise direct reporting: three categories and their forms, the two demo enterprises as
规上工业 reporting units, review rules, two months of accepted reports and one report awaiting review.

Everything goes through the services, so the demo leaves the same audit trail and facts as real use.
The reports are for mid-2026, apart from the 2025 months the monitoring demo is calibrated on.
Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kunlu.accounts.demo import ORGANISATIONS
from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.core import crud
from kunlu.core.services import period_for
from kunlu.indicators.models import Indicator
from kunlu.indicators.services import catalogue_install_defaults
from kunlu.reporting import services
from kunlu.reporting.choices import Operator, RuleKind, Severity
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReviewRule,
)
from kunlu.reporting.services import LineInput

# (code, name, deadline working day, description, [(indicator code, required)])
CATEGORIES = [
    (
        "industry",
        "规上工业",
        5,
        "年主营业务收入2000万元及以上的工业法人单位",
        [
            ("ind_output", True),
            ("ind_electricity", True),
            ("rd_expense", False),
            ("trade", False),
            ("export", False),
        ],
    ),
    (
        "wholesale-retail",
        "限上批零",
        5,
        "批发业年主营业务收入2000万元及以上、零售业500万元及以上的法人单位",
        [("retail", True)],
    ),
    ("services", "规上服务业", 8, "按行业门类达到规模以上标准的服务业法人单位", [("service_revenue", True)]),
]

# The demo enterprises entered 规上工业 mid-2026 (月度入库): their reports start then.
MEMBERSHIPS = {"ent-gx": (2026, 7), "ent-kf": (2026, 8)}

# (indicator, kind, severity, fields, message)
RULES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("ind_output", RuleKind.RANGE, Severity.BLOCK, {"min_value": Decimal(0)}, "{indicator}不能为负数"),
    ("ind_electricity", RuleKind.RANGE, Severity.BLOCK, {"min_value": Decimal(0)}, "{indicator}不能为负数"),
    (
        "rd_expense",
        RuleKind.REQUIRED,
        Severity.EXPLAIN,
        {},
        "{indicator}未填写：本月没有研发支出请填0，否则请说明原因",
    ),
    ("ind_output", RuleKind.MOM_JUMP, Severity.EXPLAIN, {"threshold_pct": Decimal(30)}, ""),
    ("ind_output", RuleKind.YOY_JUMP, Severity.EXPLAIN, {"threshold_pct": Decimal(50)}, ""),
    (
        "export",
        RuleKind.CROSS,
        Severity.BLOCK,
        {"operator": Operator.LTE, "right_indicator": "trade", "factor": Decimal(1)},
        "{indicator}（{value}{unit}）不能大于{right_indicator}（{right_value}{unit}）",
    ),
]

# (enterprise key, year, month, values, explanations, accepted)
REPORTS: list[tuple[str, int, int, dict[str, str], dict[str, str], bool]] = [
    (
        "ent-gx",
        2026,
        7,
        {
            "ind_output": "12850",
            "ind_electricity": "415.2",
            "rd_expense": "386",
            "trade": "1520",
            "export": "1104",
        },
        {},
        True,
    ),
    (
        "ent-gx",
        2026,
        8,
        {
            "ind_output": "13210",
            "ind_electricity": "428.6",
            "rd_expense": "402",
            "trade": "1588",
            "export": "1160",
        },
        {},
        True,
    ),
    (
        "ent-kf",
        2026,
        8,
        {
            "ind_output": "8640",
            "ind_electricity": "262.4",
            "rd_expense": "512",
            "trade": "2330",
            "export": "1890",
        },
        {},
        True,
    ),
    (
        "ent-gx",
        2026,
        9,
        {
            "ind_output": "17480",
            "ind_electricity": "521.3",
            "rd_expense": "455",
            "trade": "1710",
            "export": "1248",
        },
        {"ind_output": "9月新增两条数控机床生产线投产，前期积压订单集中交付"},
        False,
    ),
]

# (year, month, due on, note): a deadline set by hand where the holiday calendar has no data yet.
DEADLINES = [(2026, 12, date(2027, 1, 8), "示例：2027年节假日安排公布前手工设定")]


def _enterprise(key: str) -> Organisation:
    name = next(name for k, name, *_rest in ORGANISATIONS if k == key)
    return Organisation.objects.get(name=name, kind=OrganisationKind.ENTERPRISE)


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _categories() -> dict[str, ReportingCategory]:
    result = {}
    for order, (code, name, workday, description, lines) in enumerate(CATEGORIES):
        category = ReportingCategory.objects.filter(code=code).first()
        if category is None:
            category = crud.record_create(
                model=ReportingCategory,
                data={
                    "code": code,
                    "name": name,
                    "deadline_workday": workday,
                    "description": description,
                    "sort_order": order * 10,
                },
                actor=None,
            )
        for position, (indicator_code, required) in enumerate(lines, start=1):
            indicator = Indicator.objects.get(code=indicator_code)
            if not CategoryIndicator.objects.filter(category=category, indicator=indicator).exists():
                crud.record_create(
                    model=CategoryIndicator,
                    data={
                        "category": category,
                        "indicator": indicator,
                        "required": required,
                        "order": position * 10,
                    },
                    actor=None,
                )
        result[code] = category
    return result


def _rules(category: ReportingCategory) -> None:
    for order, (indicator_code, kind, severity, fields, message) in enumerate(RULES, start=1):
        indicator = Indicator.objects.get(code=indicator_code)
        data = dict(fields)
        if "right_indicator" in data:
            data["right_indicator"] = Indicator.objects.get(code=data["right_indicator"])
        if ReviewRule.objects.filter(category=category, indicator=indicator, kind=kind).exists():
            continue
        services.review_rule_create(
            data={
                "category": category,
                "indicator": indicator,
                "kind": kind,
                "severity": severity,
                "message": message,
                "sort_order": order * 10,
                **data,
            },
            actor=None,
        )


def _reports(category: ReportingCategory) -> None:
    reporters = {"ent-gx": User.objects.get(username="ent_gx"), "ent-kf": User.objects.get(username="ent_kf")}
    reviewer = User.objects.get(username="analyst_gx")
    kf_reviewer = User.objects.get(username="analyst_kf")
    for key, year, month, values, explanations, accepted in REPORTS:
        enterprise = _enterprise(key)
        period = period_for(year, month)
        if MonthlyReport.objects.filter(enterprise=enterprise, category=category, period=period).exists():
            continue
        report = services.report_save_draft(
            enterprise=enterprise,
            category=category,
            period=period,
            lines={
                code: LineInput(Decimal(value), explanations.get(code, "")) for code, value in values.items()
            },
            actor=reporters[key],
        )
        report = services.report_submit(
            report=report, actor=reporters[key], at=_moment(report.deadline - timedelta(days=2), 10)
        )
        if accepted:
            services.report_accept(
                report=report,
                actor=reviewer if key == "ent-gx" else kf_reviewer,
                comment="数据核实无误",
                at=_moment(report.deadline + timedelta(days=1), 15),
            )


def load() -> list[tuple[str, str, str]]:
    """Create what is missing of the direct-reporting demo; what exists is left as it is."""
    catalogue_install_defaults(actor=None)
    categories = _categories()
    industry = categories["industry"]
    for key, (year, month) in MEMBERSHIPS.items():
        enterprise = _enterprise(key)
        if not CategoryMembership.objects.filter(enterprise=enterprise, category=industry).exists():
            services.membership_create(
                data={
                    "enterprise": enterprise,
                    "category": industry,
                    "valid_from": period_for(year, month),
                    "valid_to": None,
                    "note": f"主营业务收入达到2000万元，{year}年{month}月起纳入规上工业（月度入库）",
                },
                actor=None,
            )
    _rules(industry)
    for year, month, due_on, note in DEADLINES:
        period = period_for(year, month)
        if not ReportingDeadline.objects.filter(period=period, category=None).exists():
            crud.record_create(
                model=ReportingDeadline,
                data={"period": period, "category": None, "due_on": due_on, "note": note},
                actor=None,
            )
    _reports(industry)
    return []
