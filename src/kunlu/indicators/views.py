"""S1 pages: the indicator catalogue, observations, annual targets, exchange rates (declared CRUD)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kunlu.core.viewsets import CrudViewSet
from kunlu.indicators import services
from kunlu.indicators.filtersets import (
    ExchangeRateFilterSet,
    IndicatorFilterSet,
    ObservationFilterSet,
    TargetFilterSet,
)
from kunlu.indicators.forms import ExchangeRateForm, IndicatorForm, ObservationForm, TargetForm
from kunlu.indicators.models import INDICATOR_FIELDS, ExchangeRate, Indicator, Observation, Target
from kunlu.indicators.tables import ExchangeRateTable, IndicatorTable, ObservationTable, TargetTable

MONITORING = _("经济运行监测")
REFERENCES = {"numerator", "denominator", "parent"}  # exported by code, as the import reads them


class IndicatorViewSet(CrudViewSet):
    model = Indicator
    prefix = "indicators/catalogue"
    api_prefix = "indicators"
    filterset_class = IndicatorFilterSet
    table_class = IndicatorTable
    form_class = IndicatorForm
    export_fields = [f"{name}__code" if name in REFERENCES else name for name in INDICATOR_FIELDS]
    api_fields = list(INDICATOR_FIELDS)
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


class TargetViewSet(CrudViewSet):
    """Annual targets, set by hand, by the API or imported; a revision is a new version, never an edit."""

    model = Target
    prefix = "indicators/targets"
    api_prefix = "targets"
    filterset_class = TargetFilterSet
    table_class = TargetTable
    form_class = TargetForm
    actions = frozenset({"add"})
    export_fields = [
        "year",
        "indicator__code",
        "indicator__name",
        "territory__code",
        "territory__name",
        "value",
        "indicator__unit",
        "version",
        "recorded_at",
        "superseded_at",
        "recorded_by",
        "note",
    ]
    api_fields = [
        "indicator",
        "territory",
        "year",
        "value",
        "version",
        "recorded_at",
        "superseded_at",
        "note",
    ]
    api_read_only_fields = ["version", "recorded_at", "superseded_at"]
    menu_label = _("年度目标")
    menu_group = MONITORING
    menu_icon = "bullseye"
    menu_order = 120
    create_service = staticmethod(services.target_create)


class ExchangeRateViewSet(CrudViewSet):
    """Dated exchange rates, only for showing a 美元 figure beside its 人民币 estimate (never to sum them)."""

    model = ExchangeRate
    prefix = "indicators/exchange-rates"
    api_prefix = "exchange-rates"
    filterset_class = ExchangeRateFilterSet
    table_class = ExchangeRateTable
    form_class = ExchangeRateForm
    export_fields = ["period", "currency", "cny_per_unit", "source"]
    menu_label = _("汇率")
    menu_group = MONITORING
    menu_icon = "currency-exchange"
    menu_order = 130
    create_service = staticmethod(services.exchange_rate_create)
    update_service = staticmethod(services.exchange_rate_update)
