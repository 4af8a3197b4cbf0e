from django.urls import path
from django.utils.translation import gettext_lazy as _

from kunlu.core import menus
from kunlu.core.viewsets import api_viewset
from kunlu.reporting import api, views
from kunlu.reporting.selectors import may_review

app_name = "reporting"

menus.register(
    menus.MenuItem(
        label=_("本月填报"),
        group=views.GROUP,
        url_name="reporting:my_reports",
        icon="pencil-square",
        order=300,
        allowed=views.files_reports,
    )
)
menus.register(
    menus.MenuItem(
        label=_("审核队列"),
        group=views.GROUP,
        url_name="reporting:review_queue",
        icon="inboxes",
        order=305,
        allowed=may_review,
    )
)
menus.register(
    menus.MenuItem(
        label=_("未报与逾期"),
        group=views.GROUP,
        url_name="reporting:progress",
        icon="alarm",
        order=310,
        allowed=views.follows_progress,
    )
)

urlpatterns = [
    path("fill/", views.my_reports, name="my_reports"),
    path("fill/<slug:category>/<str:month>/", views.report_form, name="report_form"),
    path("report/<int:pk>/", views.report_detail, name="report"),
    path("review/", views.review_queue_page, name="review_queue"),
    path("progress/", views.progress_page, name="progress"),
    path("progress/export/", views.progress_export, name="progress_export"),
]

crud_urlpatterns = [url for vs in views.DECLARED for url in vs.urls()]
api_routes = [
    (views.MonthlyReportViewSet.api_route(), api.MonthlyReportApiViewSet),
    ("reporting/lines", api.ReportLineApiViewSet),
    *((vs.api_route(), api_viewset(vs)) for vs in views.DECLARED if vs is not views.MonthlyReportViewSet),
]
