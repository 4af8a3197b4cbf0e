"""Declared CRUD: one `CrudViewSet` per model gives list (filter, sort, paginate, Excel export), detail,
add, edit, delete (confirmed, refused when referenced), history, and REST endpoints.

Every view starts from `Model.objects.restrict(user, action)`; what a user may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError

from kunlu.core import audit, crud, menus
from kunlu.core.excel import XLSX_CONTENT_TYPE, write_workbook
from kunlu.core.fields import field_label, field_value
from kunlu.core.permissions import has_model_permission

_registry: dict[str, type[CrudViewSet]] = {}


class OutOfScope(Exception):
    """A write would put the record outside what the user may manage."""


class CrudViewSet:
    """The declaration of one model's plain CRUD. Subclass and set the attributes; register with `urls()`."""

    model: ClassVar[type[models.Model]]
    prefix: ClassVar[str]
    filterset_class: ClassVar[type[django_filters.FilterSet]]
    table_class: ClassVar[type[tables.Table]]
    form_class: ClassVar[type[forms.ModelForm[Any]]]
    export_fields: ClassVar[list[str]]
    detail_fields: ClassVar[list[str] | None] = None
    api_fields: ClassVar[list[str] | None] = None
    api_read_only_fields: ClassVar[list[str]] = []
    # Write-only inputs the API takes besides the model's fields, for the services (a change's reason).
    api_extra_fields: ClassVar[dict[str, Callable[[], serializers.Field[Any, Any, Any, Any]]]] = {}
    api_prefix: ClassVar[str | None] = None  # the REST route, when it differs from the page prefix
    menu_label: ClassVar[Any] = None
    menu_group: ClassVar[Any] = gettext_lazy("基础数据")
    menu_icon: ClassVar[str] = "table"
    menu_order: ClassVar[int] = 100
    paginate_by: ClassVar[int] = 25
    # Which writes the pages and the API offer at all (permissions narrow them further per user).
    actions: ClassVar[frozenset[str]] = frozenset({"add", "change", "delete"})
    create_service: ClassVar[Callable[..., Any]] = staticmethod(crud.record_create)
    update_service: ClassVar[Callable[..., Any]] = staticmethod(crud.record_update)
    delete_service: ClassVar[Callable[..., Any]] = staticmethod(crud.record_delete)

    # -- names and urls -----------------------------------------------------------------------------
    @classmethod
    def key(cls) -> str:
        return f"{cls.model._meta.app_label}.{cls.model._meta.model_name}"

    @classmethod
    def api_route(cls) -> str:
        return cls.api_prefix or cls.prefix

    @classmethod
    def url_name(cls, view: str) -> str:
        return f"{cls.model._meta.app_label}_{cls.model._meta.model_name}_{view}"

    @classmethod
    def detail_url(cls, obj: models.Model) -> str:
        return reverse(cls.url_name("detail"), args=[obj.pk])

    @classmethod
    def urls(cls) -> list[URLPattern]:
        """Register the viewset (registry, navigation) and return its page urls."""
        _registry[cls.key()] = cls
        if cls.menu_label:
            menus.register(
                menus.MenuItem(
                    label=cls.menu_label,
                    group=cls.menu_group,
                    url_name=cls.url_name("list"),
                    icon=cls.menu_icon,
                    order=cls.menu_order,
                    allowed=lambda user: has_model_permission(user, cls.model, "view"),
                )
            )
        p = cls.prefix
        pages = [
            path(f"{p}/", ListView.as_view(viewset=cls), name=cls.url_name("list")),
            path(f"{p}/export/", ExportView.as_view(viewset=cls), name=cls.url_name("export")),
            path(f"{p}/<int:pk>/", DetailView.as_view(viewset=cls), name=cls.url_name("detail")),
            path(f"{p}/<int:pk>/history/", HistoryView.as_view(viewset=cls), name=cls.url_name("history")),
        ]
        if "add" in cls.actions:
            pages.append(path(f"{p}/add/", CreateView.as_view(viewset=cls), name=cls.url_name("add")))
        if "change" in cls.actions:
            pages.append(
                path(f"{p}/<int:pk>/edit/", UpdateView.as_view(viewset=cls), name=cls.url_name("edit"))
            )
        if "delete" in cls.actions:
            pages.append(
                path(f"{p}/<int:pk>/delete/", DeleteView.as_view(viewset=cls), name=cls.url_name("delete"))
            )
        return pages

    @classmethod
    def allows(cls, user: Any, action: str) -> bool:
        """Whether the viewset offers `action` and the user holds it on at least part of the model."""
        return (action == "view" or action in cls.actions) and has_model_permission(user, cls.model, action)

    # -- reads ------------------------------------------------------------------------------------
    @classmethod
    def queryset(cls, user: Any, action: str = "view") -> models.QuerySet[Any]:
        return cls.model.objects.restrict(user, action)  # type: ignore[attr-defined,no-any-return]

    @classmethod
    def filtered(cls, request: HttpRequest) -> django_filters.FilterSet:
        """The user's rows filtered by the request's query: one FilterSet for page, export and API."""
        return cls.filterset_class(request.GET or None, queryset=cls.queryset(request.user), request=request)

    @classmethod
    def with_related(cls, qs: models.QuerySet[Any], names: list[str]) -> models.QuerySet[Any]:
        """Join the relations that `names` (columns or lookup paths) show, so rows cost no extra queries."""
        joins, prefetches = set(), set()
        for name in names:
            opts, chain = cls.model._meta, []
            for part in name.split("__"):
                try:
                    field = opts.get_field(part)
                except FieldDoesNotExist:
                    break
                if not field.is_relation or field.related_model is None:
                    break
                chain.append(part)
                if field.many_to_many or field.one_to_many:
                    prefetches.add("__".join(chain))
                    break
                joins.add("__".join(chain))
                opts = field.related_model._meta  # type: ignore[union-attr]
        return qs.select_related(*sorted(joins)).prefetch_related(*sorted(prefetches))

    @classmethod
    def get_for(cls, user: Any, pk: Any, action: str = "view") -> Any:
        return cls.model.objects.get_for(user, action, pk=pk)  # type: ignore[attr-defined]

    @classmethod
    def export_rows(cls, qs: models.QuerySet[Any]) -> tuple[list[str], Any]:
        headers = [field_label(cls.model, f) for f in cls.export_fields]
        qs = cls.with_related(qs, cls.export_fields)
        rows = ([field_value(obj, f) for f in cls.export_fields] for obj in qs.iterator(chunk_size=2000))
        return headers, rows

    @classmethod
    def export_filename(cls) -> str:
        return f"{cls.model._meta.verbose_name_plural}-{timezone.localdate():%Y%m%d}.xlsx"

    # -- writes -----------------------------------------------------------------------------------
    @classmethod
    def save(cls, *, user: Any, data: dict[str, Any], obj: Any = None) -> Any:
        """Create or update through the service, then make sure the result is within the user's scope."""
        action = "add" if obj is None else "change"
        with transaction.atomic():
            if obj is None:
                obj = cls.create_service(model=cls.model, data=data, actor=user)
            else:
                # A bound form has already copied the new values onto its instance: the service must
                # compare them with the stored record, so it gets a fresh, locked copy.
                stored = cls.model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]
                obj = cls.update_service(obj=stored, data=data, actor=user)
            if not cls.queryset(user, action).filter(pk=obj.pk).exists():
                raise OutOfScope
        return obj


def registered(key: str) -> type[CrudViewSet]:
    """The viewset declared for a model key such as "core.territory"."""
    try:
        return _registry[key]
    except KeyError as exc:
        raise Http404 from exc


def restrict_choices(form: forms.BaseForm, user: Any) -> None:
    """Limit every related-record choice to the records the user may see."""
    for field in form.fields.values():
        qs = getattr(field, "queryset", None)
        if qs is not None and hasattr(qs.model, "scope") and hasattr(qs, "restrict"):
            field.queryset = qs.restrict(user, "view")  # type: ignore[attr-defined]


class CrudView(LoginRequiredMixin, View):
    viewset: type[CrudViewSet] = CrudViewSet
    template_name = ""

    def context(self, **extra: Any) -> dict[str, Any]:
        vs = self.viewset
        user = self.request.user
        return {
            "viewset": vs,
            "opts": vs.model._meta,
            "url": {
                v: vs.url_name(v) for v in ("list", "export", "add", "detail", "edit", "delete", "history")
            },
            "can_add": vs.allows(user, "add"),
            "can_change": vs.allows(user, "change"),
            "can_delete": vs.allows(user, "delete"),
            **extra,
        }

    def require(self, action: str) -> None:
        if not self.viewset.allows(self.request.user, action):
            raise Http404


class ListView(CrudView):
    def get(self, request: HttpRequest) -> HttpResponse:
        self.require("view")
        vs = self.viewset
        filterset = vs.filtered(request)
        table = vs.table_class(vs.with_related(filterset.qs, list(vs.table_class.base_columns)))
        tables.RequestConfig(request, paginate={"per_page": vs.paginate_by}).configure(table)
        htmx = request.htmx  # type: ignore[attr-defined]
        fragment = bool(htmx) and not htmx.history_restore_request
        template = "core/_list_table.html" if fragment else "core/list.html"
        return render(request, template, self.context(filter=filterset, table=table))


class ExportView(CrudView):
    def get(self, request: HttpRequest) -> HttpResponse:
        self.require("view")
        vs = self.viewset
        qs = vs.filtered(request).qs
        if qs.count() > settings.KUNLU_JOB_THRESHOLD_ROWS:
            from kunlu.core import jobs

            job = jobs.job_start(
                kind="core.export",
                title=_("导出%(name)s") % {"name": vs.model._meta.verbose_name_plural},
                params={"viewset": vs.key(), "query": request.GET.urlencode()},
                actor=request.user,
            )
            return redirect("core:job_detail", pk=job.pk)
        headers, rows = vs.export_rows(qs)
        content = write_workbook([(str(vs.model._meta.verbose_name_plural), headers, rows)])
        audit.record(f"{vs.key()}.export", actor=request.user, data={"query": request.GET.urlencode()})
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = attachment_header(vs.export_filename())
        return response


def attachment_header(filename: str) -> str:
    """A Content-Disposition that downloads under a Chinese file name (RFC 6266), with an ASCII fallback."""
    from urllib.parse import quote

    return f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"


class DetailView(CrudView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        vs = self.viewset
        obj = vs.get_for(request.user, pk)
        names = vs.detail_fields or vs.export_fields
        rows = [(field_label(vs.model, f), field_value(obj, f)) for f in names]
        return render(
            request,
            "core/detail.html",
            self.context(
                object=obj,
                rows=rows,
                can_change="change" in vs.actions
                and vs.queryset(request.user, "change").filter(pk=obj.pk).exists(),
                can_delete="delete" in vs.actions
                and vs.queryset(request.user, "delete").filter(pk=obj.pk).exists(),
            ),
        )


class FormViewMixin(CrudView):
    action = "add"

    def form(self, obj: Any = None) -> forms.ModelForm[Any]:
        data = self.request.POST if self.request.method == "POST" else None
        form = self.viewset.form_class(data=data, instance=obj)
        restrict_choices(form, self.request.user)
        return form

    def handle(self, obj: Any = None) -> HttpResponse:
        form = self.form(obj)
        if self.request.method == "POST" and form.is_valid():
            data = {
                name: form.cleaned_data[name] for name in form._meta.fields or [] if name in form.cleaned_data
            }
            try:
                saved = self.viewset.save(user=self.request.user, data=data, obj=obj)
            except OutOfScope:
                form.add_error(None, _("该记录超出您的管理范围"))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(self.request, _("已保存：%(obj)s") % {"obj": saved})
                return redirect(self.viewset.detail_url(saved))
        return render(self.request, "core/form.html", self.context(form=form, object=obj))


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else on the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CreateView(FormViewMixin):
    def get(self, request: HttpRequest) -> HttpResponse:
        self.require("add")
        return self.handle()

    post = get


class UpdateView(FormViewMixin):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.handle(self.viewset.get_for(request.user, pk, "change"))

    post = get


class DeleteView(CrudView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.viewset.get_for(request.user, pk, "delete")
        return render(request, "core/confirm_delete.html", self.context(object=obj))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        vs = self.viewset
        obj = vs.get_for(request.user, pk, "delete")
        try:
            vs.delete_service(obj=obj, actor=request.user)
        except crud.ReferencedError as exc:
            return render(
                request, "core/confirm_delete.html", self.context(object=obj, referenced_by=exc.referenced_by)
            )
        messages.success(request, _("已删除：%(obj)s") % {"obj": obj})
        return redirect(vs.url_name("list"))


class HistoryView(CrudView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        vs = self.viewset
        obj = vs.get_for(request.user, pk)
        events = audit.events_for(obj)[:200]
        if getattr(vs.model, "history_kept_by", None) == "version":
            # A fact's history is its versions: every value recorded for the same key, newest first.
            facts = vs.with_related(obj.versions(), ["recorded_by", "batch"])
            return render(request, "core/history.html", self.context(object=obj, facts=facts, events=events))
        versions = []
        for record in obj.history.select_related("history_user").all()[:200]:
            previous = record.prev_record
            changes = []
            if previous is not None:
                delta = record.diff_against(previous)
                changes = [(field_label(vs.model, c.field), c.old, c.new) for c in delta.changes]
            versions.append({"record": record, "changes": changes})
        return render(
            request,
            "core/history.html",
            self.context(object=obj, versions=versions, events=events),
        )


# -- REST ------------------------------------------------------------------------------------------
API_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class ScopedSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A model serializer whose related-record choices are limited to what the user may see."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        request = self.context.get("request")
        for field in fields.values():
            qs = getattr(field, "queryset", None)
            if request is not None and qs is not None and hasattr(qs, "restrict"):
                field.queryset = qs.restrict(request.user, "view")  # type: ignore[attr-defined]
        return fields


class ScopedModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """REST endpoints of a declared model, through the same scoping, filters and services as the pages."""

    crud: type[CrudViewSet]

    def get_queryset(self) -> models.QuerySet[Any]:
        action = API_ACTIONS.get(self.action or "list", "view")
        qs = self.crud.queryset(self.request.user, action)
        return self.crud.with_related(qs, self.crud.api_fields or self.crud.export_fields)

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not has_model_permission(request.user, self.crud.model, "view"):
            raise NotFound
        return super().list(request, *args, **kwargs)

    def get_object(self) -> Any:
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound from exc

    def _save(self, serializer: serializers.BaseSerializer[Any], obj: Any = None) -> None:
        try:
            serializer.instance = self.crud.save(
                user=self.request.user, data=dict(serializer.validated_data), obj=obj
            )
        except OutOfScope as exc:
            raise ApiValidationError({"non_field_errors": [_("该记录超出您的管理范围")]}) from exc
        except ValidationError as exc:
            raise ApiValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        if not has_model_permission(self.request.user, self.crud.model, "add"):
            raise NotFound
        self._save(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance: Any) -> None:
        try:
            self.crud.delete_service(obj=instance, actor=self.request.user)
        except crud.ReferencedError as exc:
            raise ApiValidationError(
                {"non_field_errors": [_("该记录被引用，不能删除"), *exc.referenced_by]}
            ) from exc


def api_viewset(vs: type[CrudViewSet]) -> type[ScopedModelViewSet]:
    """Build the REST viewset of a declared model."""
    fields = ["id", *(vs.api_fields or vs.export_fields), *vs.api_extra_fields]
    meta = type(
        "Meta", (), {"model": vs.model, "fields": fields, "read_only_fields": vs.api_read_only_fields}
    )
    extra = {name: make() for name, make in vs.api_extra_fields.items()}
    serializer = type(f"{vs.model.__name__}Serializer", (ScopedSerializer,), {"Meta": meta, **extra})
    methods = ["get", "head", "options"]
    methods += ["post"] if "add" in vs.actions else []
    methods += ["put", "patch"] if "change" in vs.actions else []
    methods += ["delete"] if "delete" in vs.actions else []
    return type(
        f"{vs.model.__name__}ApiViewSet",
        (ScopedModelViewSet,),
        {
            "crud": vs,
            "http_method_names": methods,
            "serializer_class": serializer,
            "filterset_class": vs.filterset_class,
            "queryset": vs.model.objects.none(),  # type: ignore[attr-defined]
            "ordering_fields": "__all__",
        },
    )
