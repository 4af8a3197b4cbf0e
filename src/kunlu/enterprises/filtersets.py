"""Filters of the enterprise registry (one FilterSet per model: the page, the export and the API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.core.models import Territory, TerritoryKind
from kunlu.enterprises.choices import IndustryLevel, SpecialisedLevel
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.enterprises.selectors import divisions, sections


def territories(request: Any) -> QuerySet[Territory]:
    """The city, zones, parks and towns the user sees (all of them when there is no request)."""
    kinds = [TerritoryKind.CITY, TerritoryKind.ZONE, TerritoryKind.PARK, TerritoryKind.TOWN]
    qs = Territory.objects.all() if request is None else Territory.objects.restrict(request.user, "view")
    return qs.filter(kind__in=kinds)


class EnterpriseProfileFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    territory = django_filters.ModelChoiceFilter(label=_("地区"), queryset=territories, method="within")
    section = django_filters.ModelChoiceFilter(label=_("行业门类"), queryset=sections(), method="in_section")
    division = django_filters.ModelChoiceFilter(
        label=_("行业大类"), queryset=divisions(), method="in_division"
    )
    is_above_scale = yes_no_filter(_("规上企业"))
    is_high_tech = yes_no_filter(_("高新技术企业"))
    specialised_level = django_filters.ChoiceFilter(label=_("专精特新"), choices=SpecialisedLevel.choices)
    is_foreign = yes_no_filter(_("外资企业"))
    is_headquarters = yes_no_filter(_("总部企业"))

    class Meta:
        model = EnterpriseProfile
        fields = [
            "q",
            "territory",
            "section",
            "division",
            "is_above_scale",
            "is_high_tech",
            "specialised_level",
            "is_foreign",
            "is_headquarters",
        ]

    def search(
        self, queryset: QuerySet[EnterpriseProfile], name: str, value: str
    ) -> QuerySet[EnterpriseProfile]:
        value = value.strip()
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__uscc__icontains=value.upper())
            | Q(organisation__names__name__icontains=value)
        ).distinct()

    def within(
        self, queryset: QuerySet[EnterpriseProfile], name: str, value: Territory
    ) -> QuerySet[EnterpriseProfile]:
        return queryset.filter(organisation__territory__path__startswith=value.path)

    def in_section(
        self, queryset: QuerySet[EnterpriseProfile], name: str, value: Industry
    ) -> QuerySet[EnterpriseProfile]:
        return queryset.filter(industry__section=value.code)

    def in_division(
        self, queryset: QuerySet[EnterpriseProfile], name: str, value: Industry
    ) -> QuerySet[EnterpriseProfile]:
        return queryset.filter(industry__code__startswith=value.code)


class IndustryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("代码或名称"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=IndustryLevel.choices)
    section = django_filters.ModelChoiceFilter(label=_("门类"), queryset=sections(), method="in_section")

    class Meta:
        model = Industry
        fields = ["q", "level", "section"]

    def search(self, queryset: QuerySet[Industry], name: str, value: str) -> QuerySet[Industry]:
        return queryset.filter(Q(code__istartswith=value.strip()) | Q(name__icontains=value.strip()))

    def in_section(self, queryset: QuerySet[Industry], name: str, value: Industry) -> QuerySet[Industry]:
        return queryset.filter(section=value.code)
