"""Filters of 亩均效益评价 (one FilterSet per model: page, export and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.evaluation.choices import Department, MeasureKind, ObjectionStatus, RunStatus
from kunlu.evaluation.models import (
    BandPolicy,
    EnterpriseFigure,
    EvaluationResult,
    EvaluationRun,
    Objection,
    RuleSet,
    RuleSetVersion,
)


def runs(request: Any) -> QuerySet[EvaluationRun]:
    """Runs offered in a filter: those the user sees."""
    if request is None:
        return EvaluationRun.objects.all()
    return EvaluationRun.objects.restrict(request.user, "view")


class RuleSetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称、代码或地区"), method="search")

    class Meta:
        model = RuleSet
        fields = ["q"]

    def search(self, queryset: QuerySet[RuleSet], name: str, value: str) -> QuerySet[RuleSet]:
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(jurisdiction__icontains=value)
        )


class RuleSetVersionFilterSet(django_filters.FilterSet):
    ruleset = django_filters.ModelChoiceFilter(label=_("规则集"), queryset=RuleSet.objects.all())

    class Meta:
        model = RuleSetVersion
        fields = ["ruleset"]


class EnterpriseFigureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    year = django_filters.NumberFilter(label=_("年度"))
    input = django_filters.CharFilter(label=_("数据项代码"))
    current = yes_no_filter(_("仅当前版本"), method="only_current")

    class Meta:
        model = EnterpriseFigure
        fields = ["q", "year", "input", "current"]

    def search(
        self, queryset: QuerySet[EnterpriseFigure], name: str, value: str
    ) -> QuerySet[EnterpriseFigure]:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value))

    def only_current(
        self, queryset: QuerySet[EnterpriseFigure], name: str, value: bool
    ) -> QuerySet[EnterpriseFigure]:
        return queryset.filter(superseded_at__isnull=value)


class EvaluationRunFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("评价年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RunStatus.choices)

    class Meta:
        model = EvaluationRun
        fields = ["year", "status"]


class EvaluationResultFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业名称或信用代码"), method="search")
    run = django_filters.ModelChoiceFilter(label=_("评价批次"), queryset=runs)
    band = django_filters.CharFilter(label=_("等级"))
    evaluated = yes_no_filter(_("参评"))

    class Meta:
        model = EvaluationResult
        fields = ["q", "run", "band", "evaluated"]

    def search(
        self, queryset: QuerySet[EvaluationResult], name: str, value: str
    ) -> QuerySet[EvaluationResult]:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value))


class ObjectionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("处理状态"), choices=ObjectionStatus.choices)
    run = django_filters.ModelChoiceFilter(label=_("评价批次"), queryset=runs)

    class Meta:
        model = Objection
        fields = ["status", "run"]


class BandPolicyFilterSet(django_filters.FilterSet):
    band = django_filters.CharFilter(label=_("等级"))
    department = django_filters.ChoiceFilter(label=_("执行部门"), choices=Department.choices)
    measure = django_filters.ChoiceFilter(label=_("措施类别"), choices=MeasureKind.choices)
    ruleset = django_filters.ModelChoiceFilter(label=_("规则集"), queryset=RuleSet.objects.all())

    class Meta:
        model = BandPolicy
        fields = ["band", "department", "measure", "ruleset"]
