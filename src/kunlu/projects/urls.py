from django.urls import path
from django.utils.translation import gettext_lazy as _

from kunlu.core import menus
from kunlu.core.viewsets import api_viewset
from kunlu.projects import api
from kunlu.projects.views import alerts, dashboards, leads, projects
from kunlu.projects.views.crud import DECLARED, PROJECTS, PROMOTION

app_name = "projects"

for label, group, url_name, icon, order, allowed in [
    (_("招商漏斗"), PROMOTION, "projects:pipeline", "funnel", 405, leads.sees_leads),
    (_("签约统计"), PROMOTION, "projects:signings", "bar-chart", 425, dashboards.sees_projects),
    (_("重大项目推进"), PROJECTS, "projects:board", "kanban", 430, dashboards.sees_projects),
    (_("项目预警"), PROJECTS, "projects:alerts", "exclamation-triangle", 490, alerts.sees_alerts),
]:
    menus.register(
        menus.MenuItem(label=label, group=group, url_name=url_name, icon=icon, order=order, allowed=allowed)
    )

urlpatterns = [
    path("leads/<int:pk>/", leads.lead_page, name="lead"),
    path("leads/<int:pk>/follow-up/", leads.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:pk>/terminate/", leads.lead_terminate, name="lead_terminate"),
    path("leads/<int:pk>/sign/", leads.lead_sign, name="lead_sign"),
    path("pipeline/", leads.pipeline, name="pipeline"),
    path("project/<int:pk>/", projects.project_page, name="project"),
    path("project/<int:pk>/stage/", projects.project_stage, name="project_stage"),
    path("project/<int:pk>/plan/", projects.project_plan, name="project_plan"),
    path("project/<int:pk>/actual/", projects.project_actual, name="project_actual"),
    path("signings/", dashboards.signings, name="signings"),
    path("board/", dashboards.board, name="board"),
    path("board/export/", dashboards.board_export, name="board_export"),
    path("alerts/", alerts.alerts_page, name="alerts"),
    path("alerts/compute/", alerts.alerts_compute, name="alerts_compute"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge, name="alert_acknowledge"),
]

crud_urlpatterns = [url for vs in DECLARED for url in vs.urls()]
api_routes = [
    ("projects/actuals", api.InvestmentActualApiViewSet),
    ("projects/alert-log", api.AlertApiViewSet),
    *(
        (vs.api_route(), api_viewset(vs))
        for vs in DECLARED
        if vs.api_route() not in ("projects/actuals", "projects/alert-log")
    ),
]
