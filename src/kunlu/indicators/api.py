"""S1 API beyond the declared CRUD: the monitoring metrics, with the same scoping as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kunlu.core.permissions import has_model_permission
from kunlu.indicators.models import UnitObservation
from kunlu.indicators.monitoring import CITY, Monitoring, cities_for, latest_month, visible_zones

PARAMETERS = [
    OpenApiParameter("city", OpenApiTypes.STR, description="城市代码（默认：第一个可见城市）"),
    OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认：最近有数据的月份）"),
    OpenApiParameter("month", OpenApiTypes.INT, description="截至月份 1–12"),
    OpenApiParameter("as_of", OpenApiTypes.DATETIME, description="按该时点已记录的数据版本计算"),
    OpenApiParameter("zone", OpenApiTypes.STR, description="只返回该园区（及全市）的行"),
]


class MonitoringRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    zone_code = serializers.CharField()
    indicator_code = serializers.CharField()
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    month_value = serializers.FloatField()
    ytd_value = serializers.FloatField()
    prior_ytd_value = serializers.FloatField()
    yoy_nominal = serializers.FloatField(allow_null=True)
    comp_ytd = serializers.FloatField()
    comp_prior = serializers.FloatField()
    yoy_comparable = serializers.FloatField(allow_null=True)
    share_of_city = serializers.FloatField(allow_null=True)
    prior_share_of_city = serializers.FloatField(allow_null=True)
    rank_ytd = serializers.IntegerField(allow_null=True)
    rank_yoy = serializers.IntegerField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_completion = serializers.FloatField(allow_null=True)
    time_progress = serializers.FloatField()
    progress_gap_pp = serializers.FloatField(allow_null=True)
    increment = serializers.FloatField(allow_null=True)
    pull_pp = serializers.FloatField(allow_null=True)
    contribution_rate = serializers.FloatField(allow_null=True)
    double_digit_growth = serializers.BooleanField(allow_null=True)
    share_rose = serializers.BooleanField(allow_null=True)


class MonitoringViewSet(viewsets.ViewSet):
    """经济运行监测指标: every metric of the bulletin for the zones the user may see and the city."""

    @extend_schema(parameters=PARAMETERS, responses=MonitoringRowSerializer(many=True))
    def list(self, request: Request) -> Response:
        user = request.user
        if not has_model_permission(user, UnitObservation, "view"):
            raise NotFound
        cities = cities_for(user)
        city = next(
            (c for c in cities if c.code == request.query_params.get("city")), cities[0] if cities else None
        )
        if city is None:
            raise NotFound
        year, month = self._month(request, city)
        moment = None
        if raw := request.query_params.get("as_of"):
            moment = parse_datetime(raw)
            if moment is None:
                raise ApiValidationError(
                    {"as_of": [_("时点格式应为 ISO 8601，例如 2025-10-20T12:00:00+08:00")]}
                )
        monitoring = Monitoring(city=city, year=year, month=month, moment=moment)
        codes = {z.code for z in visible_zones(user=user, city=city)}
        if wanted := request.query_params.get("zone"):
            if wanted not in codes:
                raise NotFound
            codes = {wanted}
        rows = []
        for (zone_code, code), metrics in sorted(monitoring.rows.items()):
            indicator = monitoring.indicators.get(code)
            if indicator is None or (zone_code != CITY and zone_code not in codes):
                continue
            rows.append({**metrics, "indicator_name": indicator.name, "unit": indicator.unit})
        return Response(MonitoringRowSerializer(rows, many=True).data)

    def _month(self, request: Request, city: Any) -> tuple[int, int]:
        params = request.query_params
        if "year" in params or "month" in params:
            try:
                year, month = int(params["year"]), int(params["month"])
            except (KeyError, ValueError) as exc:
                raise ApiValidationError({"month": [_("须同时给出整数的 year 和 month")]}) from exc
            if not 1 <= month <= 12:
                raise ApiValidationError({"month": [_("月份须在1至12之间")]})
            return year, month
        latest = latest_month(city)
        if latest is None:
            raise NotFound
        return latest
