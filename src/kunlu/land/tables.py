"""Tables of 标准地 and 数据得地."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from kunlu.core.formatting import plain, round_half_up
from kunlu.core.tables import detail_link
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


def wan(value: Decimal) -> str:
    """An amount in 万元 (the column names the unit), one decimal, rounded half up: 35200.0000 → "35200.0"."""
    return f"{round_half_up(value, 1):f}"


class PlainColumn(tables.Column):
    """A stored decimal without its trailing zeros (35.0000 → "35", 2.5000 → "2.5")."""

    def render(self, value: Any) -> str:
        return plain(value)


class WanColumn(tables.Column):
    """An amount in 万元, printed the house way."""

    def render(self, value: Any) -> str:
        return wan(value)


class ParcelTable(tables.Table):
    code = tables.Column(linkify=detail_link("land_parcel_detail"))
    territory = tables.Column(verbose_name=_("所属园区"))
    holder = tables.Column(verbose_name=_("受让企业"))
    area_mu = PlainColumn()

    class Meta:
        model = Parcel
        fields = ["code", "name", "territory", "area_mu", "land_use", "status", "holder", "agreed_start_date"]


class IndicatorDefinitionTable(tables.Table):
    name = tables.Column(linkify=detail_link("land_indicatordefinition_detail"))

    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "name",
            "unit",
            "direction",
            "due_stage",
            "application_field",
            "required",
            "is_active",
        ]


class ScorecardTable(tables.Table):
    name = tables.Column(linkify=detail_link("land_scorecard_detail"))

    class Meta:
        model = Scorecard
        fields = ["code", "name", "is_active"]


class CriterionTable(tables.Table):
    name = tables.Column(linkify=detail_link("land_criterion_detail"))
    weight = PlainColumn()
    floor = PlainColumn()
    target = PlainColumn()

    class Meta:
        model = Criterion
        fields = ["scorecard", "order", "name", "source", "weight", "method", "floor", "target"]


class ApplicationTable(tables.Table):
    id = tables.Column(verbose_name=_("编号"), linkify=detail_link("land_application_detail"))
    parcel = tables.Column(verbose_name=_("地块"))
    applicant_label = tables.Column(verbose_name=_("申请人"), accessor="applicant_label", orderable=False)
    applicant = tables.Column(visible=False)  # joined for the applicant's name
    total_investment_wan = WanColumn()
    expected_output_wan = WanColumn()
    expected_tax_wan = WanColumn()

    class Meta:
        model = Application
        fields = [
            "id",
            "parcel",
            "applicant_label",
            "total_investment_wan",
            "expected_output_wan",
            "expected_tax_wan",
            "total_score",
            "rank",
        ]


class AllocationTable(tables.Table):
    parcel = tables.Column(verbose_name=_("地块"), linkify=detail_link("land_allocation_detail"))
    winner__applicant = tables.Column(verbose_name=_("受让企业"))

    class Meta:
        model = Allocation
        fields = ["parcel", "winner__applicant", "decided_by", "decided_at"]


class CommitmentTable(tables.Table):
    parcel = tables.Column(verbose_name=_("地块"), linkify=detail_link("land_commitment_detail"))
    enterprise = tables.Column(verbose_name=_("承诺企业"))
    indicator = tables.Column(verbose_name=_("控制指标"))
    value = PlainColumn()

    class Meta:
        model = Commitment
        fields = ["parcel", "enterprise", "indicator", "direction", "value", "unit", "due_stage", "due_date"]


class ReviewTable(tables.Table):
    parcel = tables.Column(verbose_name=_("地块"), linkify=detail_link("land_review_detail"))

    class Meta:
        model = Review
        fields = ["parcel", "stage", "sequence", "reviewed_on", "reviewer"]


class RemedyRuleTable(tables.Table):
    name = tables.Column(linkify=detail_link("land_remedyrule_detail"))
    min_shortfall_pct = PlainColumn()
    max_shortfall_pct = PlainColumn()
    penalty_rate = PlainColumn()

    class Meta:
        model = RemedyRule
        fields = [
            "name",
            "stage",
            "min_shortfall_pct",
            "max_shortfall_pct",
            "min_failures",
            "kind",
            "rectify_months",
            "penalty_rate",
            "is_active",
        ]


class RemedyActionTable(tables.Table):
    parcel = tables.Column(verbose_name=_("地块"), linkify=detail_link("land_remedyaction_detail"))
    enterprise = tables.Column(verbose_name=_("企业"))
    amount_wan = WanColumn()

    class Meta:
        model = RemedyAction
        fields = ["parcel", "enterprise", "kind", "description", "amount_wan", "due_date", "status"]
