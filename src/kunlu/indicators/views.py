"""S1 pages: the indicator catalogue (declared CRUD)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kunlu.core.viewsets import CrudViewSet
from kunlu.indicators import services
from kunlu.indicators.filtersets import IndicatorFilterSet, ObservationFilterSet
from kunlu.indicators.forms import IndicatorForm, ObservationForm
from kunlu.indicators.models import Indicator, Observation
from kunlu.indicators.tables import IndicatorTable, ObservationTable

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


class ObservationViewSet(CrudViewSet):
    """Territory observations: added by hand or imported, revised only by new versions, never deleted."""

    model = Observation
    prefix = "indicators/observations"
    api_prefix = "observations"
    filterset_class = ObservationFilterSet
    table_class = ObservationTable
    form_class = ObservationForm
    actions = frozenset({"add"})
    export_fields = [
        "indicator__code",
        "indicator__name",
        "territory__code",
        "territory__name",
        "period",
        "basis",
        "value",
        "indicator__unit",
        "version",
        "recorded_at",
        "superseded_at",
        "recorded_by",
        "source",
        "note",
    ]
    detail_fields = [
        "indicator",
        "territory",
        "period",
        "basis",
        "value",
        "indicator__unit",
        "version",
        "recorded_at",
        "superseded_at",
        "recorded_by",
        "batch",
        "source",
        "note",
    ]
    api_fields = [
        "indicator",
        "territory",
        "period",
        "basis",
        "value",
        "version",
        "recorded_at",
        "superseded_at",
        "source",
        "note",
    ]
    menu_label = _("地区指标数据")
    menu_group = MONITORING
    menu_icon = "table"
    menu_order = 110
    create_service = staticmethod(services.observation_create)
