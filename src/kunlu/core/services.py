"""Core services: territories (which keep their tree path)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kunlu.core import audit
from kunlu.core.crud import _changes
from kunlu.core.models import Period, Territory


def _path_of(territory: Territory) -> str:
    return f"{territory.parent.path if territory.parent else '/'}{territory.pk}/"


@transaction.atomic
def territory_create(*, model: type[Territory] = Territory, data: dict[str, Any], actor: Any) -> Territory:
    """Add a territory under its parent (or as a root)."""
    territory = Territory(**data, path="/")
    territory.full_clean(exclude=["path"])
    territory.save()
    territory.path = _path_of(territory)
    # The path needs the new primary key; set it without a second history row.
    Territory.objects.filter(pk=territory.pk).update(path=territory.path)
    territory.history.filter(history_type="+").update(path=territory.path)
    audit.record("core.territory.create", obj=territory, actor=actor, data={"code": territory.code})
    return territory


@transaction.atomic
def territory_update(*, obj: Territory, data: dict[str, Any], actor: Any) -> Territory:
    """Change a territory; moving it re-roots its whole subtree."""
    parent = data.get("parent", obj.parent)
    if parent is not None and parent.path.startswith(obj.path):
        raise ValidationError({"parent": ValidationError(_("上级不能是本地区或其下级"), code="tree_cycle")})
    changes = _changes(obj, data)
    old_path = obj.path
    for name, value in data.items():
        setattr(obj, name, value)
    obj.path = _path_of(obj)
    obj.full_clean()
    obj.save()
    if obj.path != old_path:
        Territory.objects.filter(path__startswith=old_path).exclude(pk=obj.pk).update(
            path=Concat(Value(obj.path), Substr("path", len(old_path) + 1))
        )
    audit.record("core.territory.update", obj=obj, actor=actor, data={"changes": changes})
    return obj


def period_for(year: int, month: int) -> Period:
    """The Period of a month, created on first use."""
    if not 1 <= month <= 12:
        raise ValidationError(_("月份须在1至12之间"), code="month_range")
    period, _created = Period.objects.get_or_create(year=year, month=month)
    return period


def refusal(field: str, message: str, code: str) -> ValidationError:
    """A service's refusal of one field: a Chinese message naming the problem, and a code tests assert."""
    return ValidationError({field: ValidationError(message, code=code)})
