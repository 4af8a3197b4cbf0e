"""Filters of S2 (one FilterSet per model: page, export and API). The project filters also serve the drill
from every figure of the dashboards to the projects behind it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kunlu.core.filtersets import yes_no_filter
from kunlu.core.models import Territory
from kunlu.projects.choices import (
    OPEN_STAGES,
    AlertKind,
    AlertLevel,
    ConstructionKind,
    Currency,
    LeadSource,
    LeadStage,
    ProjectStatus,
    ProjectType,
)
from kunlu.projects.models import (
    Alert,
    AlertRule,
    AlertRuleSet,
    InvestmentActual,
    InvestmentPlan,
    Lead,
    LeadFollowUp,
    Project,
    ProjectCategory,
    ProjectChange,
    ProjectListing,
    ProjectTier,
    SigningEvent,
    SizeBandScheme,
)


def territories(request: Any) -> QuerySet[Territory]:
    """The territories offered in a filter: those the user sees."""
    if request is None:
        return Territory.objects.all()
    return Territory.objects.restrict(request.user, "view")


def signing_events(request: Any) -> QuerySet[SigningEvent]:
    """The signing events offered in a filter: those the user sees."""
    if request is None:
        return SigningEvent.objects.all()
    return SigningEvent.objects.restrict(request.user, "view")


class WithinFilterSet(django_filters.FilterSet):
    """A filter set whose `territory` filter takes a territory and everything below it."""

    territory = django_filters.ModelChoiceFilter(label=_("地区"), queryset=territories, method="within")
    territory_path = "territory__path"

    def within(self, queryset: QuerySet[Any], name: str, value: Territory) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.territory_path}__startswith": value.path})


class LeadFilterSet(WithinFilterSet):
    q = django_filters.CharFilter(label=_("项目或投资方"), method="search")
    stage = django_filters.MultipleChoiceFilter(label=_("阶段"), choices=LeadStage.choices)
    source = django_filters.ChoiceFilter(label=_("线索来源"), choices=LeadSource.choices)
    is_foreign = yes_no_filter(_("外资"))
    chain = django_filters.CharFilter(label=_("目标产业链"), lookup_expr="icontains")
    owner = django_filters.CharFilter(label=_("负责人"), field_name="owner__username")
    overdue = yes_no_filter(_("跟进逾期"), method="is_overdue")

    class Meta:
        model = Lead
        fields = ["q", "territory", "stage", "source", "is_foreign", "chain", "owner", "overdue"]

    def search(self, queryset: QuerySet[Lead], name: str, value: str) -> QuerySet[Lead]:
        return queryset.filter(Q(name__icontains=value) | Q(investor__icontains=value))

    def is_overdue(self, queryset: QuerySet[Lead], name: str, value: bool) -> QuerySet[Lead]:
        late = Q(next_action_on__lt=timezone.localdate(), stage__in=OPEN_STAGES)
        return queryset.filter(late) if value else queryset.exclude(late)


class LeadFollowUpFilterSet(django_filters.FilterSet):
    lead = django_filters.NumberFilter(label=_("招商线索"), field_name="lead_id")
    happened_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="happened_on", lookup_expr="gte"
    )
    happened_to = django_filters.DateFilter(label=_("截止日期"), field_name="happened_on", lookup_expr="lte")

    class Meta:
        model = LeadFollowUp
        fields = ["lead", "happened_from", "happened_to"]


class SigningEventFilterSet(WithinFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="held_on__year")

    class Meta:
        model = SigningEvent
        fields = ["territory", "year"]


class ProjectFilterSet(WithinFilterSet):
    q = django_filters.CharFilter(label=_("项目、编号或单位"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProjectStatus.choices)
    tier = django_filters.ModelChoiceFilter(
        label=_("项目层级"), queryset=ProjectTier.objects.all(), method="on_list"
    )
    year = django_filters.NumberFilter(label=_("列入年度"), method="listed_in")
    construction = django_filters.ChoiceFilter(
        label=_("建设类型"), choices=ConstructionKind.choices, method="built_as"
    )
    category = django_filters.ModelChoiceFilter(label=_("项目类别"), queryset=ProjectCategory.objects.all())
    project_type = django_filters.ChoiceFilter(label=_("建设性质"), choices=ProjectType.choices)
    currency = django_filters.ChoiceFilter(label=_("币种"), choices=Currency.choices)
    is_foreign = yes_no_filter(_("外资"))
    signing_event = django_filters.ModelChoiceFilter(label=_("签约活动"), queryset=signing_events)
    signed_from = django_filters.DateFilter(
        label=_("签约起始日期"), field_name="signed_on", lookup_expr="gte"
    )
    signed_to = django_filters.DateFilter(label=_("签约截止日期"), field_name="signed_on", lookup_expr="lte")
    investment_min = django_filters.NumberFilter(
        label=_("计划总投资不低于（万）"), field_name="total_investment", lookup_expr="gte"
    )
    investment_below = django_filters.NumberFilter(
        label=_("计划总投资低于（万）"), field_name="total_investment", lookup_expr="lt"
    )
    section = django_filters.CharFilter(label=_("行业门类"), field_name="industry__section")
    industry = django_filters.CharFilter(label=_("行业代码"), method="in_industry")
    chain = django_filters.CharFilter(label=_("所属产业链"))
    ids = django_filters.BaseInFilter(label=_("项目编号（内部）"), field_name="id")

    class Meta:
        model = Project
        fields = ["q", "territory", "status", "tier", "year", "category", "currency", "is_foreign"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(investor__icontains=value)
        )

    def in_industry(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        """A class and everything below it (35 takes 351, 3511 …)."""
        return queryset.filter(industry__code__startswith=value.strip().lstrip("ABCDEFGHIJKLMNOPQRST"))

    def _listings(self) -> QuerySet[ProjectListing]:
        qs = ProjectListing.objects.all()
        data = self.form.cleaned_data
        if data.get("tier"):
            qs = qs.filter(tier=data["tier"])
        if data.get("year"):
            qs = qs.filter(year=data["year"])
        if data.get("construction"):
            qs = qs.filter(construction=data["construction"])
        return qs

    def on_list(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(pk__in=self._listings().values("project_id"))

    listed_in = on_list
    built_as = on_list


class ProjectListingFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    tier = django_filters.ModelChoiceFilter(label=_("项目层级"), queryset=ProjectTier.objects.all())
    construction = django_filters.ChoiceFilter(label=_("建设类型"), choices=ConstructionKind.choices)

    class Meta:
        model = ProjectListing
        fields = ["year", "tier", "construction"]


class InvestmentPlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    project = django_filters.NumberFilter(label=_("项目"), field_name="project_id")

    class Meta:
        model = InvestmentPlan
        fields = ["year", "project"]


class InvestmentActualFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="period__year")
    month = django_filters.NumberFilter(label=_("月份"), field_name="period__month")
    project = django_filters.NumberFilter(label=_("项目"), field_name="project_id")
    current = yes_no_filter(_("现行版本"), field_name="superseded_at__isnull")

    class Meta:
        model = InvestmentActual
        fields = ["year", "month", "project", "current"]


class ProjectChangeFilterSet(django_filters.FilterSet):
    project = django_filters.NumberFilter(label=_("项目"), field_name="project_id")
    field = django_filters.CharFilter(label=_("变更事项"), lookup_expr="icontains")

    class Meta:
        model = ProjectChange
        fields = ["project", "field"]


class CatalogueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class ProjectTierFilterSet(CatalogueFilterSet):
    class Meta:
        model = ProjectTier
        fields = ["q", "level", "is_active"]


class ProjectCategoryFilterSet(CatalogueFilterSet):
    class Meta:
        model = ProjectCategory
        fields = ["q"]


class SizeBandSchemeFilterSet(CatalogueFilterSet):
    class Meta:
        model = SizeBandScheme
        fields = ["q", "currency"]


class AlertRuleSetFilterSet(CatalogueFilterSet):
    class Meta:
        model = AlertRuleSet
        fields = ["q", "is_active"]


class AlertRuleFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("预警类型"), choices=AlertKind.choices)

    class Meta:
        model = AlertRule
        fields = ["rule_set", "kind", "is_active"]


class AlertFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("预警等级"), choices=AlertLevel.choices)
    kind = django_filters.ChoiceFilter(
        label=_("预警类型"), choices=AlertKind.choices, field_name="rule__kind"
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="period__year")
    month = django_filters.NumberFilter(label=_("月份"), field_name="period__month")
    rule_set = django_filters.ModelChoiceFilter(
        label=_("预警规则集"), queryset=AlertRuleSet.objects.all(), field_name="run__rule_set"
    )
    acknowledged = yes_no_filter(_("已确认"), method="is_acknowledged")
    project = django_filters.NumberFilter(label=_("项目"), field_name="project_id")

    class Meta:
        model = Alert
        fields = ["level", "kind", "year", "month", "rule_set", "acknowledged", "project"]

    def is_acknowledged(self, queryset: QuerySet[Alert], name: str, value: bool) -> QuerySet[Alert]:
        return queryset.filter(acknowledged_at__isnull=not value)
