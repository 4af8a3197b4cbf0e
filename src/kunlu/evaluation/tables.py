"""Tables of 亩均效益评价."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from kunlu.core.formatting import round_half_up
from kunlu.core.tables import detail_link
from kunlu.evaluation.models import (
    BandPolicy,
    EnterpriseFigure,
    EvaluationResult,
    EvaluationRun,
    Objection,
    RuleSet,
    RuleSetVersion,
)


class ScoreColumn(tables.Column):
    """A score to two decimals (四舍五入); stored unrounded."""

    def render(self, value: Any) -> str:
        return f"{round_half_up(value, 2)}"


class RuleSetTable(tables.Table):
    name = tables.Column(linkify=detail_link("evaluation_ruleset_detail"))

    class Meta:
        model = RuleSet
        fields = ["code", "name", "jurisdiction", "is_shipped", "updated_at"]


class RuleSetVersionTable(tables.Table):
    number = tables.Column(linkify=detail_link("evaluation_rulesetversion_detail"))
    ruleset = tables.Column(verbose_name=_("规则集"))

    class Meta:
        model = RuleSetVersion
        fields = ["ruleset", "number", "year", "note", "created_by", "created_at"]


class EnterpriseFigureTable(tables.Table):
    enterprise = tables.Column(
        verbose_name=_("企业"), linkify=detail_link("evaluation_enterprisefigure_detail")
    )

    class Meta:
        model = EnterpriseFigure
        fields = ["enterprise", "year", "input", "value", "version", "recorded_at", "superseded_at", "source"]


class EvaluationRunTable(tables.Table):
    title = tables.Column(linkify=detail_link("evaluation_evaluationrun_detail"))
    territory = tables.Column(verbose_name=_("评价范围"))
    ruleset_version = tables.Column(verbose_name=_("规则集版本"))

    class Meta:
        model = EvaluationRun
        fields = [
            "title",
            "year",
            "territory",
            "ruleset_version",
            "status",
            "evaluated_count",
            "excluded_count",
            "as_of",
        ]


class EvaluationResultTable(tables.Table):
    enterprise = tables.Column(
        verbose_name=_("企业"), linkify=detail_link("evaluation_evaluationresult_detail")
    )
    run = tables.Column(verbose_name=_("评价批次"))
    total = ScoreColumn()

    class Meta:
        model = EvaluationResult
        fields = [
            "enterprise",
            "run",
            "evaluated",
            "total",
            "rank",
            "graded_count",
            "band",
            "exclusion_message",
        ]


class ObjectionTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("企业"), linkify=detail_link("evaluation_objection_detail"))
    run = tables.Column(verbose_name=_("评价批次"))

    class Meta:
        model = Objection
        fields = ["enterprise", "run", "status", "created_at", "decided_at"]


class BandPolicyTable(tables.Table):
    band = tables.Column(linkify=detail_link("evaluation_bandpolicy_detail"))
    ruleset = tables.Column(verbose_name=_("规则集"))

    class Meta:
        model = BandPolicy
        fields = [
            "band",
            "department",
            "measure",
            "value",
            "unit",
            "description",
            "ruleset",
            "jurisdiction",
            "is_active",
        ]
