"""Pages of the enterprise registry: the declared registry list (filters, Excel export that imports back),
an enterprise's page with its profile, names over time and land held, renaming, and the industry list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.core.formatting import amount
from kunlu.core.viewsets import CrudViewSet
from kunlu.enterprises import services
from kunlu.enterprises.filtersets import EnterpriseProfileFilterSet, IndustryFilterSet
from kunlu.enterprises.forms import EnterpriseProfileForm, RenameForm
from kunlu.enterprises.imports import EnterpriseDataset, export_row
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.enterprises.selectors import land_held, name_history
from kunlu.enterprises.tables import EnterpriseProfileTable, IndustryTable

GROUP = gettext_lazy("企业库")


class EnterpriseProfileViewSet(CrudViewSet):
    """The registry, one row per enterprise; its export has the 企业名录 columns, so it imports back."""

    model = EnterpriseProfile
    prefix = "enterprises/registry"
    api_prefix = "enterprises"
    filterset_class = EnterpriseProfileFilterSet
    table_class = EnterpriseProfileTable
    form_class = EnterpriseProfileForm
    actions = frozenset({"add", "change"})
    export_fields = [
        "organisation__uscc",
        "organisation__name",
        "organisation__territory__code",
        "industry__code",
        "is_above_scale",
        "is_high_tech",
        "high_tech_year",
        "specialised_level",
        "is_foreign",
        "foreign_origin",
        "is_headquarters",
        "registered_capital",
        "capital_currency",
        "founded_on",
        "employees",
        "land_area_mu",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "note",
    ]
    menu_label = gettext_lazy("企业名录")
    menu_group = GROUP
    menu_icon = "buildings"
    menu_order = 500
    create_service = staticmethod(services.enterprise_register)
    update_service = staticmethod(services.enterprise_update)

    @classmethod
    def export_rows(cls, qs: models.QuerySet[Any]) -> tuple[list[str], Any]:
        headers = [column.title for column in EnterpriseDataset.columns]
        qs = qs.select_related("organisation", "organisation__territory", "industry")
        return headers, (export_row(p) for p in qs.iterator(chunk_size=2000))

    @classmethod
    def urls(cls) -> list[URLPattern]:
        detail = path(f"{cls.prefix}/<int:pk>/", enterprise_detail, name=cls.url_name("detail"))
        rename = path(f"{cls.prefix}/<int:pk>/rename/", enterprise_rename, name=cls.url_name("rename"))
        return [detail if p.name == cls.url_name("detail") else p for p in super().urls()] + [rename]


class IndustryViewSet(CrudViewSet):
    """GB/T 4754-2017 as installed: read-only, for staff."""

    model = Industry
    prefix = "enterprises/industries"
    api_prefix = "industries"
    filterset_class = IndustryFilterSet
    table_class = IndustryTable
    form_class = EnterpriseProfileForm  # never shown: the catalogue offers no writes
    actions = frozenset()
    export_fields = ["code", "name", "level", "parent__code", "section", "sort"]
    api_fields = ["code", "name", "level", "parent", "section", "sort"]
    menu_label = gettext_lazy("行业分类")
    menu_group = GROUP
    menu_icon = "diagram-3"
    menu_order = 510


def _field_label(name: str) -> str:
    return str(getattr(EnterpriseProfile._meta.get_field(name), "verbose_name", name))


def _profile_rows(profile: EnterpriseProfile) -> list[tuple[str, Any]]:
    """The profile as label/value pairs, numbers printed the house way."""
    org = profile.organisation
    label = _field_label
    capital = None
    if profile.registered_capital is not None:
        capital = amount(profile.registered_capital, currency=profile.capital_currency, scale="万", digits=2)  # type: ignore[arg-type]
    high_tech: Any = profile.is_high_tech
    if profile.is_high_tech and profile.high_tech_year:
        high_tech = _("是（%(year)s年认定）") % {"year": profile.high_tech_year}
    foreign: Any = profile.is_foreign
    if profile.is_foreign:
        foreign = _("是（%(origin)s）") % {"origin": profile.foreign_origin}
    land = (
        None
        if profile.land_area_mu is None
        else _("%(mu)s亩") % {"mu": f"{profile.land_area_mu.normalize():f}"}
    )
    return [
        (_("统一社会信用代码"), org.uscc),
        (_("所属地区"), org.territory.name),
        (label("industry"), str(profile.industry) if profile.industry else None),
        (label("is_above_scale"), profile.is_above_scale),
        (label("is_high_tech"), high_tech),
        (label("specialised_level"), profile.get_specialised_level_display()),
        (label("is_foreign"), foreign),
        (label("is_headquarters"), profile.is_headquarters),
        (_("注册资本"), capital),
        (label("founded_on"), profile.founded_on),
        (label("employees"), profile.employees),
        (label("land_area_mu"), land),
        (label("address"), profile.address or None),
        (label("contact_name"), profile.contact_name or None),
        (label("contact_phone"), profile.contact_phone or None),
        (label("contact_email"), profile.contact_email or None),
        (label("note"), profile.note or None),
    ]


def _context(request: HttpRequest, profile: EnterpriseProfile) -> dict[str, Any]:
    vs = EnterpriseProfileViewSet
    user = request.user
    can_change = vs.queryset(user, "change").filter(pk=profile.pk).exists()
    holdings = land_held(user=user, enterprise=profile.organisation)
    return {
        "object": profile,
        "opts": EnterpriseProfile._meta,
        "rows": _profile_rows(profile),
        "names": name_history(user=user, enterprise=profile.organisation),
        "holdings": holdings,
        "held_mu": sum((h.area_mu for h in holdings), start=0),
        "can_change": can_change,
        "url": {v: vs.url_name(v) for v in ("list", "edit", "history", "rename")},
    }


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An enterprise's page: its profile, the names it bore, the land it holds."""
    profile = EnterpriseProfile.objects.select_related(
        "organisation", "organisation__territory", "industry"
    ).get_for(request.user, "view", pk=pk)
    return render(request, "enterprises/detail.html", _context(request, profile))


@login_required
def enterprise_rename(request: HttpRequest, pk: int) -> HttpResponse:
    """更名: the new name and the date it took effect; the old name is kept in the history."""
    profile = EnterpriseProfile.objects.select_related("organisation").get_for(request.user, "change", pk=pk)
    form = RenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.enterprise_rename(
                    enterprise=profile.organisation,
                    name=form.cleaned_data["name"],
                    effective=form.cleaned_data["effective"],
                    actor=request.user,
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("已更名为：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect(reverse(EnterpriseProfileViewSet.url_name("detail"), args=[profile.pk]))
    if request.method not in ("GET", "POST"):
        raise Http404
    return render(
        request, "enterprises/rename.html", {"object": profile, "form": form, "opts": EnterpriseProfile._meta}
    )


DECLARED: list[type[CrudViewSet]] = [EnterpriseProfileViewSet, IndustryViewSet]
