"""The declared CRUD of S2: leads, signing events, projects and their lists, plans, actuals (read only: they
are written through the project page, the API and imports), the changes log, catalogues and alert rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kunlu.core.viewsets import CrudViewSet
from kunlu.projects import filtersets, forms, services, tables
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

PROMOTION = gettext_lazy("招商引资")
PROJECTS = gettext_lazy("重大项目")
SETTINGS = gettext_lazy("项目设置")
READ_ONLY: frozenset[str] = frozenset()


class LeadViewSet(CrudViewSet):
    model = Lead
    prefix = "projects/leads"
    filterset_class = filtersets.LeadFilterSet
    table_class = tables.LeadTable
    form_class = forms.LeadForm
    export_fields = [
        "name",
        "investor",
        "origin",
        "is_foreign",
        "territory__name",
        "industry__code",
        "industry__name",
        "chain",
        "estimated_investment",
        "currency",
        "source",
        "stage",
        "stage_changed_on",
        "owner",
        "next_action",
        "next_action_on",
        "termination_reason",
        "note",
    ]
    api_fields = [
        "territory" if f == "territory__name" else "industry" if f == "industry__code" else f
        for f in export_fields
        if f != "industry__name"
    ]
    api_read_only_fields = ["stage", "stage_changed_on", "termination_reason"]
    menu_label = gettext_lazy("招商线索")
    menu_group = PROMOTION
    menu_icon = "binoculars"
    menu_order = 400
    create_service = staticmethod(services.lead_create)
    update_service = staticmethod(services.lead_update)

    @classmethod
    def detail_url(cls, obj: Any) -> str:
        return reverse("projects:lead", args=[obj.pk])


class LeadFollowUpViewSet(CrudViewSet):
    model = LeadFollowUp
    prefix = "projects/follow-ups"
    filterset_class = filtersets.LeadFollowUpFilterSet
    table_class = tables.LeadFollowUpTable
    export_fields = [
        "lead__name",
        "happened_on",
        "author",
        "stage",
        "content",
        "next_action",
        "next_action_on",
    ]
    api_fields = ["lead", "happened_on", "author", "stage", "content", "next_action", "next_action_on"]
    actions = READ_ONLY


class SigningEventViewSet(CrudViewSet):
    model = SigningEvent
    prefix = "projects/signing-events"
    filterset_class = filtersets.SigningEventFilterSet
    table_class = tables.SigningEventTable
    form_class = forms.SigningEventForm
    export_fields = ["held_on", "name", "territory__name", "location", "note"]
    api_fields = ["held_on", "name", "territory", "location", "note"]
    menu_label = gettext_lazy("签约活动")
    menu_group = PROMOTION
    menu_icon = "pen"
    menu_order = 420


PROJECT_FIELDS = [
    "code",
    "name",
    "territory__name",
    "enterprise__name",
    "enterprise__uscc",
    "investor",
    "signing_event__name",
    "signed_on",
    "first_phase__code",
    "phase_no",
    "project_type",
    "category__name",
    "status",
    "total_investment",
    "currency",
    "is_foreign",
    "origin",
    "registered_fdi",
    "paid_in_fdi",
    "industry__code",
    "industry__name",
    "chain",
    "content",
]


class ProjectViewSet(CrudViewSet):
    model = Project
    prefix = "projects/projects"
    filterset_class = filtersets.ProjectFilterSet
    table_class = tables.ProjectTable
    form_class = forms.ProjectForm
    export_fields = PROJECT_FIELDS
    api_fields = [
        "code",
        "name",
        "territory",
        "enterprise",
        "investor",
        "lead",
        "signing_event",
        "signed_on",
        "first_phase",
        "phase_no",
        "project_type",
        "category",
        "status",
        "total_investment",
        "currency",
        "is_foreign",
        "origin",
        "registered_fdi",
        "paid_in_fdi",
        "industry",
        "chain",
        "content",
    ]
    api_read_only_fields = ["code", "phase_no"]
    api_extra_fields = {
        "change_reason": lambda: serializers.CharField(
            write_only=True, required=False, allow_blank=True, max_length=500, label=_("变更原因")
        )
    }
    menu_label = gettext_lazy("项目库")
    menu_group = PROJECTS
    menu_icon = "buildings"
    menu_order = 440
    create_service = staticmethod(services.project_create)
    update_service = staticmethod(services.project_update)

    @classmethod
    def detail_url(cls, obj: Any) -> str:
        return reverse("projects:project", args=[obj.pk])


class ProjectListingViewSet(CrudViewSet):
    model = ProjectListing
    prefix = "projects/listings"
    filterset_class = filtersets.ProjectListingFilterSet
    table_class = tables.ProjectListingTable
    form_class = forms.ProjectListingForm
    export_fields = [
        "year",
        "tier__name",
        "project__code",
        "project__name",
        "construction",
        "responsible_unit",
    ]
    api_fields = ["year", "tier", "project", "construction", "responsible_unit"]
    menu_label = gettext_lazy("重大项目清单")
    menu_group = PROJECTS
    menu_icon = "list-ol"
    menu_order = 450


class InvestmentPlanViewSet(CrudViewSet):
    model = InvestmentPlan
    prefix = "projects/plans"
    filterset_class = filtersets.InvestmentPlanFilterSet
    table_class = tables.InvestmentPlanTable
    form_class = forms.InvestmentPlanForm
    export_fields = ["year", "project__code", "project__name", "amount", "project__currency", "note"]
    api_fields = ["year", "project", "amount", "note"]
    actions = frozenset({"add", "change"})
    menu_label = gettext_lazy("年度投资计划")
    menu_group = PROJECTS
    menu_icon = "calendar-check"
    menu_order = 460
    create_service = staticmethod(services.plan_create)
    update_service = staticmethod(services.plan_update)


class InvestmentActualViewSet(CrudViewSet):
    model = InvestmentActual
    prefix = "projects/actuals"
    filterset_class = filtersets.InvestmentActualFilterSet
    table_class = tables.InvestmentActualTable
    export_fields = [
        "period",
        "project__code",
        "project__name",
        "cumulative",
        "project__currency",
        "version",
        "recorded_at",
        "superseded_at",
        "recorded_by",
        "source",
        "note",
    ]
    api_fields = [
        "project",
        "period",
        "cumulative",
        "version",
        "recorded_at",
        "superseded_at",
        "recorded_by",
        "source",
        "note",
    ]
    menu_label = gettext_lazy("月度完成投资")
    menu_group = PROJECTS
    menu_icon = "graph-up"
    menu_order = 470
    actions = READ_ONLY


class ProjectChangeViewSet(CrudViewSet):
    model = ProjectChange
    prefix = "projects/changes"
    filterset_class = filtersets.ProjectChangeFilterSet
    table_class = tables.ProjectChangeTable
    export_fields = [
        "project__code",
        "project__name",
        "created_at",
        "field",
        "old_value",
        "new_value",
        "reason",
    ]
    api_fields = ["created_at", "project", "field", "old_value", "new_value", "reason", "changed_by"]
    menu_label = gettext_lazy("项目变更记录")
    menu_group = PROJECTS
    menu_icon = "journal-text"
    menu_order = 480
    actions = READ_ONLY


class ProjectTierViewSet(CrudViewSet):
    model = ProjectTier
    prefix = "projects/tiers"
    filterset_class = filtersets.ProjectTierFilterSet
    table_class = tables.ProjectTierTable
    form_class = forms.ProjectTierForm
    export_fields = ["code", "name", "level", "sort_order", "is_active"]
    menu_label = gettext_lazy("项目层级")
    menu_group = SETTINGS
    menu_icon = "layers"
    menu_order = 500


class ProjectCategoryViewSet(CrudViewSet):
    model = ProjectCategory
    prefix = "projects/categories"
    filterset_class = filtersets.ProjectCategoryFilterSet
    table_class = tables.ProjectCategoryTable
    form_class = forms.ProjectCategoryForm
    export_fields = ["code", "name", "sort_order"]
    menu_label = gettext_lazy("项目类别")
    menu_group = SETTINGS
    menu_icon = "tags"
    menu_order = 505


class SizeBandSchemeViewSet(CrudViewSet):
    model = SizeBandScheme
    prefix = "projects/size-bands"
    filterset_class = filtersets.SizeBandSchemeFilterSet
    table_class = tables.SizeBandSchemeTable
    form_class = forms.SizeBandSchemeForm
    export_fields = ["code", "name", "currency", "thresholds", "sort_order"]
    menu_label = gettext_lazy("规模分档")
    menu_group = SETTINGS
    menu_icon = "bar-chart-steps"
    menu_order = 510


class AlertRuleSetViewSet(CrudViewSet):
    model = AlertRuleSet
    prefix = "projects/alert-rule-sets"
    filterset_class = filtersets.AlertRuleSetFilterSet
    table_class = tables.AlertRuleSetTable
    form_class = forms.AlertRuleSetForm
    export_fields = ["code", "name", "source", "description", "is_active"]
    detail_fields = [*export_fields, "rules"]
    menu_label = gettext_lazy("预警规则集")
    menu_group = SETTINGS
    menu_icon = "sliders"
    menu_order = 520


class AlertRuleViewSet(CrudViewSet):
    model = AlertRule
    prefix = "projects/alert-rules"
    filterset_class = filtersets.AlertRuleFilterSet
    table_class = tables.AlertRuleTable
    form_class = forms.AlertRuleForm
    export_fields = [
        "rule_set__name",
        "kind",
        "stage",
        "unit",
        "yellow_at",
        "yellow_strict",
        "red_at",
        "red_strict",
        "description",
        "sort_order",
        "is_active",
    ]
    api_fields = [f.replace("rule_set__name", "rule_set") for f in export_fields]
    menu_label = gettext_lazy("预警规则")
    menu_group = SETTINGS
    menu_icon = "exclamation-diamond"
    menu_order = 525
    create_service = staticmethod(services.alert_rule_create)
    update_service = staticmethod(services.alert_rule_update)


class AlertViewSet(CrudViewSet):
    model = Alert
    prefix = "projects/alert-log"
    filterset_class = filtersets.AlertFilterSet
    table_class = tables.AlertTable
    export_fields = [
        "period",
        "project__code",
        "project__name",
        "level",
        "rule__rule_set__name",
        "rule__kind",
        "measure",
        "threshold",
        "reason",
        "acknowledged_by",
        "acknowledged_at",
        "comment",
    ]
    api_fields = [
        "run",
        "period",
        "project",
        "level",
        "rule",
        "measure",
        "threshold",
        "reason",
        "acknowledged_by",
        "acknowledged_at",
        "comment",
    ]
    menu_label = gettext_lazy("预警记录")
    menu_group = PROJECTS
    menu_icon = "archive"
    menu_order = 495
    actions = READ_ONLY


DECLARED: list[type[CrudViewSet]] = [
    LeadViewSet,
    LeadFollowUpViewSet,
    SigningEventViewSet,
    ProjectViewSet,
    ProjectListingViewSet,
    InvestmentPlanViewSet,
    InvestmentActualViewSet,
    ProjectChangeViewSet,
    AlertViewSet,
    ProjectTierViewSet,
    ProjectCategoryViewSet,
    SizeBandSchemeViewSet,
    AlertRuleSetViewSet,
    AlertRuleViewSet,
]
