"""Tables of the S1 pages."""

from __future__ import annotations

import django_tables2 as tables

from kunlu.core.tables import detail_link
from kunlu.indicators.models import ExchangeRate, Indicator, Observation, Target


class IndicatorTable(tables.Table):
    name = tables.Column(linkify=detail_link("indicators_indicator_detail"))

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "caliber",
            "reporting_basis",
            "frequency",
            "source_department",
            "is_active",
        ]


class ObservationTable(tables.Table):
    indicator = tables.Column(linkify=detail_link("indicators_observation_detail"))

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "territory",
            "period",
            "basis",
            "value",
            "version",
            "recorded_at",
            "superseded_at",
            "recorded_by",
            "source",
        ]
        order_by = ["indicator", "territory", "period"]


class TargetTable(tables.Table):
    indicator = tables.Column(linkify=detail_link("indicators_target_detail"))

    class Meta:
        model = Target
        fields = [
            "year",
            "indicator",
            "territory",
            "value",
            "version",
            "recorded_at",
            "superseded_at",
            "recorded_by",
            "note",
        ]
        order_by = ["-year", "indicator", "territory"]


class ExchangeRateTable(tables.Table):
    period = tables.Column(linkify=detail_link("indicators_exchangerate_detail"))

    class Meta:
        model = ExchangeRate
        fields = ["period", "currency", "cny_per_unit", "source"]
