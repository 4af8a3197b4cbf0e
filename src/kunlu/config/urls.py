"""URLs: each Kunlu app contributes its pages (namespaced), its declared CRUD pages and its API routes."""

from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from kunlu.core import views as core_views

KUNLU_APPS = [app.split(".")[-1] for app in settings.INSTALLED_APPS if app.startswith("kunlu.")]

router = DefaultRouter()
app_urls = []
crud_urls: list[URLPattern] = []
for label in KUNLU_APPS:
    module = import_module(f"kunlu.{label}.urls")
    app_urls.append(path(f"{label}/", include((module.urlpatterns, label), namespace=label)))
    crud_urls += getattr(module, "crud_urlpatterns", [])
    for prefix, viewset in getattr(module, "api_routes", []):
        router.register(prefix, viewset, basename=f"api-{label}-{prefix}")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
    path("admin/", admin.site.urls),
    *app_urls,
    *crud_urls,
]
