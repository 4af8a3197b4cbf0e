from django.urls import URLPattern

from kunlu.accounts import views
from kunlu.core.viewsets import api_viewset

app_name = "accounts"
urlpatterns: list[URLPattern] = []

_viewsets = [views.OrganisationViewSet, views.UserViewSet, views.RoleViewSet, views.RoleGrantViewSet]
crud_urlpatterns = [url for vs in _viewsets for url in vs.urls()]
api_routes = [(vs.api_route(), api_viewset(vs)) for vs in _viewsets]
