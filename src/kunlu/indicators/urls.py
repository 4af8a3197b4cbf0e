from typing import Any

from django.urls import URLPattern, path

from kunlu.core.viewsets import api_viewset
from kunlu.indicators import api, views, views_monitoring

app_name = "indicators"
urlpatterns: list[URLPattern] = [
    path("monitoring/", views_monitoring.monitoring_zone, name="monitoring_zone"),
    path("monitoring/city/", views_monitoring.monitoring_city, name="monitoring_city"),
    path("monitoring/trace/", views_monitoring.monitoring_trace, name="monitoring_trace"),
]

_viewsets = [views.IndicatorViewSet, views.ObservationViewSet, views.TargetViewSet, views.ExchangeRateViewSet]
crud_urlpatterns = [url for vs in _viewsets for url in vs.urls()]
api_routes: list[tuple[str, type[Any]]] = [(vs.api_route(), api_viewset(vs)) for vs in _viewsets]
api_routes.append(("monitoring", api.MonitoringViewSet))
