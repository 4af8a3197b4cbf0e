"""Tables of enterprise direct reporting."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from kunlu.core.formatting import plain
from kunlu.core.tables import detail_link
from kunlu.reporting.choices import RuleKind
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReviewRule,
)


class ReportingCategoryTable(tables.Table):
    name = tables.Column(linkify=detail_link("reporting_reportingcategory_detail"))

    class Meta:
        model = ReportingCategory
        fields = ["code", "name", "deadline_workday", "sort_order", "is_active"]


class CategoryIndicatorTable(tables.Table):
    indicator = tables.Column(linkify=detail_link("reporting_categoryindicator_detail"))

    class Meta:
        model = CategoryIndicator
        fields = ["category", "indicator", "required", "order"]
        order_by = ["category", "order"]


class CategoryMembershipTable(tables.Table):
    enterprise = tables.Column(linkify=detail_link("reporting_categorymembership_detail"))
    enterprise__territory = tables.Column(verbose_name=_("所属地区"))

    class Meta:
        model = CategoryMembership
        fields = ["enterprise", "enterprise__territory", "category", "valid_from", "valid_to", "note"]


class ReportingDeadlineTable(tables.Table):
    period = tables.Column(linkify=detail_link("reporting_reportingdeadline_detail"))

    class Meta:
        model = ReportingDeadline
        fields = ["period", "category", "due_on", "note"]


class ReviewRuleTable(tables.Table):
    id = tables.Column(verbose_name=_("编号"), linkify=detail_link("reporting_reviewrule_detail"))
    condition = tables.Column(verbose_name=_("条件"), empty_values=(), orderable=False)

    class Meta:
        model = ReviewRule
        fields = [
            "id",
            "category",
            "indicator",
            "kind",
            "condition",
            "right_indicator",
            "severity",
            "is_active",
        ]

    def render_condition(self, record: ReviewRule) -> str:
        if record.kind == RuleKind.RANGE:
            low, high = plain(record.min_value), plain(record.max_value)
            return f"{low} ～ {high}"
        if record.kind in (RuleKind.MOM_JUMP, RuleKind.YOY_JUMP) and record.threshold_pct is not None:
            return f"±{plain(record.threshold_pct)}%"
        if record.kind == RuleKind.CROSS and record.right_indicator is not None:
            return f"{record.get_operator_display()} {plain(record.factor)}×{record.right_indicator}"
        return "—"


class MonthlyReportTable(tables.Table):
    enterprise = tables.Column(linkify={"viewname": "reporting:report", "args": [tables.A("pk")]})

    class Meta:
        model = MonthlyReport
        fields = [
            "enterprise",
            "territory",
            "category",
            "period",
            "status",
            "deadline",
            "submitted_at",
            "revision",
            "reviewer",
        ]
