from django.urls import URLPattern

from kunlu.core.viewsets import api_viewset
from kunlu.indicators import views

app_name = "indicators"
urlpatterns: list[URLPattern] = []

crud_urlpatterns = views.IndicatorViewSet.urls()
api_routes = [(views.IndicatorViewSet.api_route(), api_viewset(views.IndicatorViewSet))]
