"""Tables of S2."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from kunlu.core.formatting import amount
from kunlu.core.tables import detail_link
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


class AmountColumn(tables.Column):
    """An amount in 万 shown in 亿 of its record's currency (亿元 or 亿美元)."""

    def __init__(self, *args: Any, currency_field: str = "currency", **kwargs: Any) -> None:
        self.currency_field = currency_field
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}, "th": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Any, record: Any) -> str:
        currency = record
        for part in self.currency_field.split("__"):
            currency = getattr(currency, part)
        return amount(value, currency=currency)


class LeadTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects:lead"))
    estimated_investment = AmountColumn()

    class Meta:
        model = Lead
        fields = [
            "name",
            "investor",
            "territory",
            "stage",
            "source",
            "is_foreign",
            "chain",
            "estimated_investment",
            "owner",
            "next_action_on",
        ]


class LeadFollowUpTable(tables.Table):
    lead = tables.Column(linkify=detail_link("projects:lead"), accessor="lead")

    class Meta:
        model = LeadFollowUp
        fields = ["lead", "happened_on", "author", "stage", "content", "next_action", "next_action_on"]


class SigningEventTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects_signingevent_detail"))

    class Meta:
        model = SigningEvent
        fields = ["held_on", "name", "territory", "location"]


class ProjectTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects:project"))
    total_investment = AmountColumn()

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "enterprise",
            "territory",
            "phase_no",
            "project_type",
            "status",
            "signed_on",
            "total_investment",
            "is_foreign",
            "chain",
        ]


class ProjectListingTable(tables.Table):
    project = tables.Column(linkify=detail_link("projects:project"), accessor="project")

    class Meta:
        model = ProjectListing
        fields = ["year", "tier", "project", "construction", "responsible_unit"]


class InvestmentPlanTable(tables.Table):
    project = tables.Column(linkify=detail_link("projects:project"), accessor="project")
    amount = AmountColumn(currency_field="project__currency")

    class Meta:
        model = InvestmentPlan
        fields = ["year", "project", "amount", "note"]


class InvestmentActualTable(tables.Table):
    project = tables.Column(linkify=detail_link("projects:project"), accessor="project")
    cumulative = AmountColumn(currency_field="project__currency")

    class Meta:
        model = InvestmentActual
        fields = ["period", "project", "cumulative", "version", "source", "recorded_at", "recorded_by"]


class ProjectChangeTable(tables.Table):
    project = tables.Column(linkify=detail_link("projects:project"), accessor="project")

    class Meta:
        model = ProjectChange
        fields = ["created_at", "project", "field", "old_value", "new_value", "reason", "changed_by"]


class ProjectTierTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects_projecttier_detail"))

    class Meta:
        model = ProjectTier
        fields = ["code", "name", "level", "sort_order", "is_active"]


class ProjectCategoryTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects_projectcategory_detail"))

    class Meta:
        model = ProjectCategory
        fields = ["code", "name", "sort_order"]


class SizeBandSchemeTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects_sizebandscheme_detail"))

    class Meta:
        model = SizeBandScheme
        fields = ["code", "name", "currency", "thresholds"]


class AlertRuleSetTable(tables.Table):
    name = tables.Column(linkify=detail_link("projects_alertruleset_detail"))

    class Meta:
        model = AlertRuleSet
        fields = ["code", "name", "source", "is_active"]


class AlertRuleTable(tables.Table):
    kind = tables.Column(linkify=detail_link("projects_alertrule_detail"))

    class Meta:
        model = AlertRule
        fields = ["rule_set", "kind", "stage", "unit", "yellow_at", "red_at", "description", "is_active"]


class AlertTable(tables.Table):
    project = tables.Column(linkify=detail_link("projects:project"), accessor="project")
    # The rule's kind and set by their columns: a rule's name would read its set once per row.
    rule__rule_set = tables.Column(verbose_name=_("预警规则集"))
    rule__kind = tables.Column(verbose_name=_("预警类型"))

    class Meta:
        model = Alert
        fields = [
            "period",
            "project",
            "level",
            "rule__rule_set",
            "rule__kind",
            "reason",
            "acknowledged_at",
            "comment",
        ]
