"""Filters of 标准地 and 数据得地 (one FilterSet per model: page, export and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.core.models import Territory, TerritoryKind
from kunlu.land.choices import ActionStatus, LandUse, ParcelStatus, RemedyKind, Stage
from kunlu.land.models import (
    Allocation,
    Application,
    Commitment,
    Criterion,
    IndicatorDefinition,
    Parcel,
    RemedyAction,
    RemedyRule,
    Review,
    Scorecard,
)


def places(request: Any) -> QuerySet[Territory]:
    """Zones and parks offered in a filter: those the user sees."""
    kinds = (TerritoryKind.ZONE, TerritoryKind.PARK, TerritoryKind.TOWN)
    if request is None:
        return Territory.objects.filter(kind__in=kinds)
    return Territory.objects.restrict(request.user, "view").filter(kind__in=kinds)


class _Within:
    territory_path = "territory__path"

    def within(self, queryset: QuerySet[Any], name: str, value: Territory) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.territory_path}__startswith": value.path})


class ParcelFilterSet(_Within, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("地块编号、名称或受让企业"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ParcelStatus.choices)
    land_use = django_filters.ChoiceFilter(label=_("用途"), choices=LandUse.choices)
    place = django_filters.ModelChoiceFilter(label=_("园区"), queryset=places, method="within")

    class Meta:
        model = Parcel
        fields = ["q", "status", "land_use", "place"]

    def search(self, queryset: QuerySet[Parcel], name: str, value: str) -> QuerySet[Parcel]:
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(holder__name__icontains=value)
        )


class IndicatorDefinitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    is_active = yes_no_filter(_("启用"))

    class Meta:
        model = IndicatorDefinition
        fields = ["q", "due_stage", "is_active"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ScorecardFilterSet(IndicatorDefinitionFilterSet):
    class Meta:
        model = Scorecard
        fields = ["q", "is_active"]


class CriterionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Criterion
        fields = ["scorecard", "source", "method"]


class ApplicationFilterSet(_Within, django_filters.FilterSet):
    territory_path = "parcel__territory__path"
    q = django_filters.CharFilter(label=_("地块编号或申请人"), method="search")
    place = django_filters.ModelChoiceFilter(label=_("园区"), queryset=places, method="within")
    scored = django_filters.BooleanFilter(
        label=_("已评分"), field_name="rank", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Application
        fields = ["q", "place", "scored"]

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return queryset.filter(
            Q(parcel__code__icontains=value)
            | Q(applicant__name__icontains=value)
            | Q(investor_name__icontains=value)
        )


class AllocationFilterSet(_Within, django_filters.FilterSet):
    territory_path = "parcel__territory__path"
    q = django_filters.CharFilter(label=_("地块编号或受让企业"), method="search")
    place = django_filters.ModelChoiceFilter(label=_("园区"), queryset=places, method="within")

    class Meta:
        model = Allocation
        fields = ["q", "place"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(parcel__code__icontains=value) | Q(parcel__holder__name__icontains=value))


class CommitmentFilterSet(_Within, django_filters.FilterSet):
    territory_path = "parcel__territory__path"
    q = django_filters.CharFilter(label=_("地块编号或企业"), method="search")
    place = django_filters.ModelChoiceFilter(label=_("园区"), queryset=places, method="within")
    due_stage = django_filters.ChoiceFilter(label=_("核验阶段"), choices=Stage.choices)

    class Meta:
        model = Commitment
        fields = ["q", "place", "due_stage", "indicator"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(parcel__code__icontains=value) | Q(enterprise__name__icontains=value))


class ReviewFilterSet(_Within, django_filters.FilterSet):
    territory_path = "parcel__territory__path"
    q = django_filters.CharFilter(label=_("地块编号"), field_name="parcel__code", lookup_expr="icontains")
    place = django_filters.ModelChoiceFilter(label=_("园区"), queryset=places, method="within")
    stage = django_filters.ChoiceFilter(label=_("核验阶段"), choices=Stage.choices)

    class Meta:
        model = Review
        fields = ["q", "place", "stage"]


class RemedyRuleFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("处置方式"), choices=RemedyKind.choices)
    is_active = yes_no_filter(_("启用"))

    class Meta:
        model = RemedyRule
        fields = ["kind", "stage", "is_active"]


class RemedyActionFilterSet(_Within, django_filters.FilterSet):
    territory_path = "parcel__territory__path"
    q = django_filters.CharFilter(label=_("地块编号或企业"), method="search")
    place = django_filters.ModelChoiceFilter(label=_("园区"), queryset=places, method="within")
    kind = django_filters.ChoiceFilter(label=_("处置方式"), choices=RemedyKind.choices)
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=ActionStatus.choices)

    class Meta:
        model = RemedyAction
        fields = ["q", "place", "kind", "status"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(parcel__code__icontains=value) | Q(enterprise__name__icontains=value))
