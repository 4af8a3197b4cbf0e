"""Generic services for plain records: create, update, delete, each atomic and audited."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from kunlu.core import audit

M = TypeVar("M", bound=models.Model)


def event_name(model: type[models.Model], verb: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{verb}"


def _changes(obj: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {}
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            continue
        old = getattr(obj, getattr(field, "attname", name))
        new = value.pk if isinstance(value, models.Model) else value
        if old != new:
            changed[name] = [old, new]
    return changed


def _set_many(obj: models.Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if obj._meta.get_field(name).many_to_many:
            getattr(obj, name).set(value)


@transaction.atomic
def record_create(*, model: type[M], data: dict[str, Any], actor: Any) -> M:
    """Create a plain record from cleaned data and audit it."""
    plain = {k: v for k, v in data.items() if not model._meta.get_field(k).many_to_many}
    obj = model(**plain)
    obj.full_clean()
    obj.save()
    _set_many(obj, data)
    audit.record(
        event_name(model, "create"), obj=obj, actor=actor, data={k: str(v) for k, v in plain.items()}
    )
    return obj


@transaction.atomic
def record_update(*, obj: M, data: dict[str, Any], actor: Any) -> M:
    """Change a plain record from cleaned data; the audit event carries old and new values."""
    changes = _changes(obj, data)
    for name, value in data.items():
        if not obj._meta.get_field(name).many_to_many:
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    _set_many(obj, data)
    audit.record(event_name(type(obj), "update"), obj=obj, actor=actor, data={"changes": changes})
    return obj


class ReferencedError(Exception):
    """The record is still referenced by others and cannot be deleted."""

    def __init__(self, referenced_by: list[str]) -> None:
        super().__init__(", ".join(referenced_by))
        self.referenced_by = referenced_by


@transaction.atomic
def record_delete(*, obj: models.Model, actor: Any) -> None:
    """Delete a record that nothing references; refuse with the referencing records otherwise."""
    try:
        audit.record(event_name(type(obj), "delete"), obj=obj, actor=actor, data={"repr": str(obj)})
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        referencing = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        names = sorted({f"{o._meta.verbose_name}：{o}" for o in list(referencing)[:20]})
        transaction.set_rollback(True)
        raise ReferencedError(names) from exc
