"""Import pages: the datasets a user may import, upload and preview, commit, the result and the batch list.

A user may use a dataset with core.add_importbatch and add and change rights on its model; batches are
read through ImportBatch.objects.restrict(user), narrowed to the user's own (all of them for a superuser).
Anything a user may not use or see is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kunlu.core.excel import XLSX_CONTENT_TYPE
from kunlu.core.imports import datasets, reader, services
from kunlu.core.imports.datasets import Dataset
from kunlu.core.imports.template import template_filename, template_workbook
from kunlu.core.models import ImportBatch, ImportRecord, ImportStatus, Job


class UploadForm(forms.Form):
    """The upload of one file."""

    file = forms.FileField(
        label=gettext_lazy("选择文件"),
        help_text=gettext_lazy("Excel工作簿（.xlsx）或CSV文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )


class BoundedUploadHandler(FileUploadHandler):
    """Stops taking an uploaded file once it passes the size bound, so that it never reaches the disk."""

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Pass the chunk on, or stop the upload once the bound is passed."""
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """Leave the file to the next handler (memory or temporary file)."""
        return None


def dataset_or_404(user: Any, name: str) -> type[Dataset]:
    """The dataset of that name if the user may import it; 404 otherwise (whether it exists or not)."""
    try:
        cls = datasets.get(name)
    except LookupError as exc:
        raise Http404 from exc
    if not cls.allowed(user):
        raise Http404
    return cls


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    """The import batches a user sees: through restrict(), and only their own unless a superuser."""
    qs = ImportBatch.objects.restrict(user, "view")
    if not user.is_superuser:
        qs = qs.filter(created_by=user)
    return qs.select_related("created_by")


def _title(name: str) -> str:
    try:
        return str(datasets.get(name).title)
    except LookupError:
        return name


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The datasets the user may import, and their latest batches."""
    available = datasets.datasets_for(request.user)
    batches = batches_for(request.user)
    if not available and not batches.exists():
        raise Http404
    recent = [(b, _title(b.dataset)) for b in batches[:20]]
    return render(request, "core/imports/index.html", {"datasets": available, "batches": recent})


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """Every batch of the user, newest first."""
    batches = batches_for(request.user)
    if not batches.exists() and not datasets.datasets_for(request.user):
        raise Http404
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    rows = [(b, _title(b.dataset)) for b in page.object_list]
    return render(request, "core/imports/batch_list.html", {"page": page, "batches": rows})


@csrf_exempt
@login_required
def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    """A dataset's page: its columns, its template and the upload form; a good upload goes to the preview.

    The upload handler that bounds the file must be installed before the body is read, so CSRF is
    checked in the inner view (Django's documented way of changing upload handlers in a view).
    """
    cls = dataset_or_404(request.user, name)
    handler = BoundedUploadHandler(request, max_bytes=settings.KUNLU_UPLOAD_MAX_BYTES)
    if not hasattr(request, "_files"):  # else the body was read already; the service's bound still applies
        request.upload_handlers = [handler, *request.upload_handlers]
    return _dataset_page(request, cls, handler)


@csrf_protect
def _dataset_page(request: HttpRequest, cls: type[Dataset], handler: BoundedUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if handler.exceeded:
            form.is_valid()  # the file was dropped at the bound: say why, rather than "required"
            form.errors["file"] = form.error_class(
                [reader.too_large(settings.KUNLU_UPLOAD_MAX_BYTES).errors[0]["reason"]]
            )
        elif form.is_valid():
            batch = services.import_preview(
                dataset=cls, uploaded_file=form.cleaned_data["file"], actor=request.user
            )
            return redirect("core:import_batch", pk=batch.pk)
    return render(
        request,
        "core/imports/dataset.html",
        {
            "dataset": cls,
            "form": form,
            "max_rows": settings.KUNLU_IMPORT_MAX_ROWS,
            "max_size": reader.size_text(settings.KUNLU_UPLOAD_MAX_BYTES),
        },
    )


@login_required
def dataset_template(request: HttpRequest, name: str) -> HttpResponse:
    """Download the dataset's template."""
    cls = dataset_or_404(request.user, name)
    response = HttpResponse(template_workbook(cls), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(template_filename(cls))}"
    )
    return response


def _job_of(batch: ImportBatch, user: Any) -> Job | None:
    return (
        Job.objects.restrict(user, "view")
        .filter(kind=services.JOB_KIND, params__batch=batch.pk)
        .order_by("-created_at")
        .first()
    )


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch: its preview (counts and every bad cell) with the commit button, or its result."""
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    try:
        cls: type[Dataset] | None = datasets.get(batch.dataset)
    except LookupError:
        cls = None
    lineage = {
        row["action"]: row["n"]
        for row in ImportRecord.objects.filter(batch=batch).values("action").annotate(n=Count("id"))
    }
    return render(
        request,
        "core/imports/batch.html",
        {
            "batch": batch,
            "dataset": cls,
            "dataset_title": _title(batch.dataset),
            "can_commit": batch.status == ImportStatus.PREVIEWED
            and cls is not None
            and cls.allowed(request.user),
            "in_background": services.import_needs_job(batch),
            "lineage": [(label, lineage.get(value, 0)) for value, label in ImportRecord.Action.choices],
            "job": _job_of(batch, request.user) if batch.status == ImportStatus.COMMITTING else None,
        },
    )


@require_POST
@login_required
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Commit a previewed batch: at once when small, as a background job when large."""
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    dataset_or_404(request.user, batch.dataset)
    if batch.status != ImportStatus.PREVIEWED:
        messages.error(
            request, _("该批次的状态为“%(status)s”，不能导入") % {"status": batch.get_status_display()}
        )
        return redirect("core:import_batch", pk=batch.pk)
    if services.import_needs_job(batch):
        job = services.import_commit_start(batch=batch, actor=request.user)
        return redirect("core:job_detail", pk=job.pk)
    try:
        batch = services.import_commit(batch=batch, actor=request.user)
    except DatabaseError:
        messages.error(request, _("数据库繁忙，导入没有完成，也没有写入任何数据，请稍后重试"))
        return redirect("core:import_batch", pk=batch.pk)
    if batch.status == ImportStatus.COMMITTED:
        summary = batch.summary
        messages.success(
            request,
            _("导入完成：新增%(created)s条，更新%(updated)s条，未变%(unchanged)s条")
            % {
                "created": summary["created"],
                "updated": summary["updated"],
                "unchanged": summary["unchanged"],
            },
        )
    return redirect("core:import_batch", pk=batch.pk)
