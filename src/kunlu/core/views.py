"""Core pages: home, the audit log, background jobs, and the declared territory CRUD."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.core import services
from kunlu.core.excel import XLSX_CONTENT_TYPE, write_workbook
from kunlu.core.exporting import export_path
from kunlu.core.filtersets import AuditEventFilterSet, TerritoryFilterSet
from kunlu.core.forms import TerritoryForm
from kunlu.core.jobs import job_progress
from kunlu.core.models import Job, JobStatus, Territory, TerritoryKind
from kunlu.core.tables import AuditEventTable, TerritoryTable
from kunlu.core.viewsets import CrudViewSet, attachment_header


class TerritoryViewSet(CrudViewSet):
    model = Territory
    prefix = "territories"
    filterset_class = TerritoryFilterSet
    table_class = TerritoryTable
    form_class = TerritoryForm
    export_fields = ["code", "name", "name_en", "kind", "parent__name", "sort_order", "is_demo"]
    api_fields = ["code", "name", "name_en", "kind", "parent", "sort_order", "is_demo", "path"]
    api_read_only_fields = ["path"]
    menu_label = gettext_lazy("地区")
    menu_group = gettext_lazy("基础数据")
    menu_icon = "geo-alt"
    menu_order = 900
    create_service = staticmethod(services.territory_create)
    update_service = staticmethod(services.territory_update)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the zones the user may see and what they can open."""
    zones = (
        Territory.objects.restrict(request.user)
        .filter(kind=TerritoryKind.ZONE)
        .select_related("parent")
        .annotate(n_organisations=Count("organisation"))
    )
    return render(request, "core/home.html", {"zones": zones})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit page for administrators: every explicit event, filterable and exportable."""
    if not request.user.is_superuser:
        raise Http404
    from kunlu.core.models import AuditEvent

    filterset = AuditEventFilterSet(
        request.GET or None, queryset=AuditEvent.objects.select_related("actor", "content_type")
    )
    if request.GET.get("export") == "xlsx":
        headers = [_("时间"), _("事件"), _("操作人"), _("对象类型"), _("对象编号"), _("对象"), _("内容")]
        rows = (
            [e.at, e.event, e.actor, e.content_type, e.object_id, e.object_repr, e.data]
            for e in filterset.qs.iterator(chunk_size=2000)
        )
        response = HttpResponse(
            write_workbook([(_("审计日志"), headers, rows)]), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = attachment_header(_("审计日志") + ".xlsx")
        return response
    table = AuditEventTable(filterset.qs)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "core/audit_log.html", {"filter": filterset, "table": table})


def _job_for(request: HttpRequest, pk: int) -> Job:
    return Job.objects.get_for(request.user, "view", pk=pk)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "core/job_detail.html", {"job": job, "progress": job_progress(job)})


@login_required
def job_progress_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar fragment that the job page polls with HTMX until the job has finished."""
    job = _job_for(request, pk)
    return render(request, "core/_job_progress.html", {"job": job, "progress": job_progress(job)})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for(request, pk)
    path = export_path(job)
    if job.status != JobStatus.SUCCEEDED or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.result.get("filename", path.name),
        content_type=XLSX_CONTENT_TYPE,
    )
