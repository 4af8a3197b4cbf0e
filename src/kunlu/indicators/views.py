"""S1 pages: the indicator catalogue (declared CRUD)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kunlu.core.viewsets import CrudViewSet
from kunlu.indicators.filtersets import IndicatorFilterSet
from kunlu.indicators.forms import IndicatorForm
from kunlu.indicators.models import Indicator
from kunlu.indicators.tables import IndicatorTable

MONITORING = _("经济运行监测")


class IndicatorViewSet(CrudViewSet):
    model = Indicator
    prefix = "indicators/catalogue"
    api_prefix = "indicators"
    filterset_class = IndicatorFilterSet
    table_class = IndicatorTable
    form_class = IndicatorForm
    export_fields = [
        "code",
        "name",
        "name_en",
        "unit",
        "currency",
        "caliber",
        "source_department",
        "additivity",
        "numerator__code",
        "denominator__code",
        "parent__code",
        "reporting_basis",
        "frequency",
        "precision",
        "price_basis",
        "sort_order",
        "is_active",
        "description",
    ]
    api_fields = [
        "code",
        "name",
        "name_en",
        "unit",
        "currency",
        "caliber",
        "source_department",
        "additivity",
        "numerator",
        "denominator",
        "parent",
        "reporting_basis",
        "frequency",
        "precision",
        "price_basis",
        "sort_order",
        "is_active",
        "description",
    ]
    menu_label = _("指标目录")
    menu_group = MONITORING
    menu_icon = "list-columns"
    menu_order = 100
