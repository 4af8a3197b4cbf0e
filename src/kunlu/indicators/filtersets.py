"""Filters of the S1 pages (one FilterSet per model: page, export and API)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.core.models import Territory
from kunlu.core.versions import as_of
from kunlu.indicators.choices import Basis, Caliber, Currency
from kunlu.indicators.models import ExchangeRate, Indicator, Observation, Target


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    caliber = django_filters.ChoiceFilter(label=_("统计口径"), choices=Caliber.choices)
    currency = django_filters.ChoiceFilter(label=_("币种"), choices=Currency.choices)
    source_department = django_filters.CharFilter(label=_("数据来源部门"), lookup_expr="icontains")

    class Meta:
        model = Indicator
        fields = ["q", "caliber", "currency", "source_department", "is_active"]

    is_active = yes_no_filter(_("启用"))

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(name_en__icontains=value)
        )


class VersionedFilterSet(django_filters.FilterSet):
    """Filters of versioned facts: current versions unless a moment (as_of) or all versions are asked for."""

    territory = django_filters.ModelChoiceFilter(
        label=_("地区"), queryset=Territory.objects.all(), method="within"
    )
    as_of = django_filters.IsoDateTimeFilter(label=_("截至时点"), method="at_moment")
    all_versions = yes_no_filter(_("显示全部版本"))

    def within(self, queryset: QuerySet[Any], name: str, value: Territory) -> QuerySet[Any]:
        return queryset.filter(territory__path__startswith=value.path)

    def at_moment(self, queryset: QuerySet[Any], name: str, value: datetime) -> QuerySet[Any]:
        return as_of(queryset, value)

    @property
    def qs(self) -> QuerySet[Any]:
        # Unfiltered, the list shows the current versions only (django-filter skips filter_queryset then).
        return super().qs if self.is_bound else as_of(super().qs, None)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        data = self.form.cleaned_data
        if not data.get("as_of") and not data.get("all_versions"):
            queryset = as_of(queryset, None)
        data["all_versions"] = None  # a display switch, not a filter
        return super().filter_queryset(queryset)  # type: ignore[no-any-return]


class ObservationFilterSet(VersionedFilterSet):
    """Territory observations: by indicator, place (with everything beneath it), month, and moment."""

    indicator = django_filters.ModelChoiceFilter(label=_("指标"), queryset=Indicator.objects.all())
    year = django_filters.NumberFilter(label=_("年"), field_name="period__year")
    month = django_filters.NumberFilter(label=_("月"), field_name="period__month")
    basis = django_filters.ChoiceFilter(label=_("数值口径"), choices=Basis.choices)

    class Meta:
        model = Observation
        fields = ["indicator", "territory", "year", "month", "basis", "as_of", "all_versions"]


class TargetFilterSet(VersionedFilterSet):
    """Annual targets: by indicator, place (with everything beneath it), year, and moment."""

    indicator = django_filters.ModelChoiceFilter(label=_("指标"), queryset=Indicator.objects.all())
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = Target
        fields = ["indicator", "territory", "year", "as_of", "all_versions"]


class ExchangeRateFilterSet(django_filters.FilterSet):
    """Exchange rates by year and currency."""

    year = django_filters.NumberFilter(label=_("年"), field_name="period__year")
    currency = django_filters.ChoiceFilter(label=_("币种"), choices=[("USD", _("美元"))])

    class Meta:
        model = ExchangeRate
        fields = ["year", "currency"]
