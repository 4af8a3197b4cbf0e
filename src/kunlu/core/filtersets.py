"""Filters of the core pages: territories, audit events."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kunlu.core.models import AuditEvent, Territory, TerritoryKind


def yes_no_filter(
    label: str | Promise, field_name: str | None = None, method: str | None = None
) -> django_filters.BooleanFilter:
    """A 是/否 filter whose empty choice reads 全部 (Django's own says "Unknown")."""
    choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
    return django_filters.BooleanFilter(
        label=label, field_name=field_name, method=method, widget=forms.Select(choices=choices)
    )


class TerritoryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或代码"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=TerritoryKind.choices)
    parent = django_filters.ModelChoiceFilter(label=_("上级"), queryset=Territory.objects.all())
    is_demo = yes_no_filter(_("示例数据"))

    class Meta:
        model = Territory
        fields = ["q", "kind", "parent", "is_demo"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(name__icontains=value) | queryset.filter(code__icontains=value)


class AuditEventFilterSet(django_filters.FilterSet):
    event = django_filters.CharFilter(label=_("事件"), lookup_expr="startswith")
    actor = django_filters.CharFilter(
        label=_("操作人"), field_name="actor__username", lookup_expr="icontains"
    )
    content_type = django_filters.ModelChoiceFilter(
        label=_("对象类型"), queryset=ContentType.objects.order_by("app_label", "model")
    )
    object_id = django_filters.CharFilter(label=_("对象编号"))
    at_from = django_filters.DateFilter(label=_("起始日期"), field_name="at", lookup_expr="date__gte")
    at_to = django_filters.DateFilter(label=_("截止日期"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["event", "actor", "content_type", "object_id", "at_from", "at_to"]
