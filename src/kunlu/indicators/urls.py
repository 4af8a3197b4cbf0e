from django.urls import URLPattern

from kunlu.core.viewsets import api_viewset
from kunlu.indicators import views

app_name = "indicators"
urlpatterns: list[URLPattern] = []

_viewsets = [views.IndicatorViewSet, views.ObservationViewSet]
crud_urlpatterns = [url for vs in _viewsets for url in vs.urls()]
api_routes = [(vs.api_route(), api_viewset(vs)) for vs in _viewsets]
