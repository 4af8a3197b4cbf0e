"""Tables of the core pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from kunlu.core.models import AuditEvent, Territory


def detail_link(view_name: str) -> dict[str, object]:
    return {"viewname": view_name, "args": [tables.A("pk")]}


class TerritoryTable(tables.Table):
    name = tables.Column(linkify=detail_link("core_territory_detail"))
    parent = tables.Column(verbose_name=_("上级"))

    class Meta:
        model = Territory
        fields = ["code", "name", "kind", "parent", "is_demo", "updated_at"]
        order_by = ["path"]


class AuditEventTable(tables.Table):
    class Meta:
        model = AuditEvent
        fields = ["at", "event", "actor", "content_type", "object_id", "object_repr"]
