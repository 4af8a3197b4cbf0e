"""Filters of enterprise direct reporting (one FilterSet per model: page, export and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.core.models import Territory, TerritoryKind
from kunlu.reporting.choices import ReportStatus, RuleKind, Severity
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReviewRule,
)
from kunlu.reporting.selectors import Month, member_in


def zones(request: Any) -> QuerySet[Territory]:
    """The zones offered in a filter: those the user sees (all zones when there is no request)."""
    qs = Territory.objects.filter(kind=TerritoryKind.ZONE)
    return (
        qs
        if request is None
        else Territory.objects.restrict(request.user, "view").filter(kind=TerritoryKind.ZONE)
    )


def _month(value: str) -> Month | None:
    try:
        return Month.parse(value)
    except ValidationError:
        return None


class MonthlyReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    period = django_filters.CharFilter(label=_("报告期"), method="in_month")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices)
    category = django_filters.ModelChoiceFilter(label=_("报表类别"), queryset=ReportingCategory.objects.all())
    zone = django_filters.ModelChoiceFilter(label=_("园区"), queryset=zones, method="within")

    class Meta:
        model = MonthlyReport
        fields = ["q", "period", "status", "category", "zone"]

    def search(self, queryset: QuerySet[MonthlyReport], name: str, value: str) -> QuerySet[MonthlyReport]:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value))

    def in_month(self, queryset: QuerySet[MonthlyReport], name: str, value: str) -> QuerySet[MonthlyReport]:
        month = _month(value)
        return queryset.none() if month is None else queryset.filter(month.q())

    def within(
        self, queryset: QuerySet[MonthlyReport], name: str, value: Territory
    ) -> QuerySet[MonthlyReport]:
        return queryset.filter(territory__path__startswith=value.path)


class ReportingCategoryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    is_active = yes_no_filter(_("启用"))

    class Meta:
        model = ReportingCategory
        fields = ["q", "is_active"]

    def search(
        self, queryset: QuerySet[ReportingCategory], name: str, value: str
    ) -> QuerySet[ReportingCategory]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class CategoryIndicatorFilterSet(django_filters.FilterSet):
    required = yes_no_filter(_("必填"))

    class Meta:
        model = CategoryIndicator
        fields = ["category", "indicator", "required"]


class CategoryMembershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    category = django_filters.ModelChoiceFilter(label=_("报表类别"), queryset=ReportingCategory.objects.all())
    month = django_filters.CharFilter(label=_("有效月份"), method="in_force")
    zone = django_filters.ModelChoiceFilter(label=_("园区"), queryset=zones, method="within")

    class Meta:
        model = CategoryMembership
        fields = ["q", "category", "month", "zone"]

    def search(
        self, queryset: QuerySet[CategoryMembership], name: str, value: str
    ) -> QuerySet[CategoryMembership]:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value))

    def in_force(
        self, queryset: QuerySet[CategoryMembership], name: str, value: str
    ) -> QuerySet[CategoryMembership]:
        month = _month(value)
        return queryset.none() if month is None else queryset.filter(member_in(month))

    def within(
        self, queryset: QuerySet[CategoryMembership], name: str, value: Territory
    ) -> QuerySet[CategoryMembership]:
        return queryset.filter(enterprise__territory__path__startswith=value.path)


class ReportingDeadlineFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="period__year")

    class Meta:
        model = ReportingDeadline
        fields = ["year", "category"]


class ReviewRuleFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("规则类型"), choices=RuleKind.choices)
    severity = django_filters.ChoiceFilter(label=_("处理方式"), choices=Severity.choices)
    is_active = yes_no_filter(_("启用"))

    class Meta:
        model = ReviewRule
        fields = ["category", "indicator", "kind", "severity", "is_active"]
