from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kunlu.core import menus, views
from kunlu.core.viewsets import api_viewset

app_name = "core"

menus.register(
    menus.MenuItem(
        label=_("审计日志"),
        group=_("系统管理"),
        url_name="core:audit_log",
        icon="journal-text",
        order=990,
        allowed=lambda user: user.is_superuser,
    )
)

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views.job_progress_partial, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("imports/", include("kunlu.core.imports.urls")),
]

crud_urlpatterns = views.TerritoryViewSet.urls()
api_routes = [(views.TerritoryViewSet.api_route(), api_viewset(views.TerritoryViewSet))]
