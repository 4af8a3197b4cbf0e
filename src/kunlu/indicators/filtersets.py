"""Filters of the S1 pages (one FilterSet per model: page, export and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.indicators.choices import Caliber, Currency
from kunlu.indicators.models import Indicator


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
