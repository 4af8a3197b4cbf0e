"""Tables of the S1 pages."""

from __future__ import annotations

import django_tables2 as tables

from kunlu.core.tables import detail_link
from kunlu.indicators.models import Indicator


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
