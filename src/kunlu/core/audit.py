"""Explicit audit events: services call `record` with a dotted event name, the object and a payload."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from kunlu.core.models import AuditEvent


def acting_user(actor: Any) -> Any:
    """The user behind an action, or None for the system (demo loads, jobs, migrations)."""
    return actor if actor is not None and getattr(actor, "pk", None) else None


def record(
    event: str, *, obj: models.Model | None = None, actor: Any = None, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Record that `actor` did `event` (e.g. "accounts.user.lock") to `obj`, with `data` as payload."""
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    return AuditEvent.objects.create(
        event=event,
        actor=acting_user(actor),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        data=payload,
    )


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The explicit events recorded about one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
