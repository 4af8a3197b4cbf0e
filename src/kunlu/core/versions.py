"""Versioned facts (S1 observations, S2 actual investment, S3 evaluation figures): a revision is a new row
with its own version, `recorded_at` and `superseded_at`; these reads are shared by every kind of fact."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

M = TypeVar("M", bound=models.Model)


def as_of(qs: QuerySet[M], moment: datetime | None) -> QuerySet[M]:
    """The versions current at `moment` (now when None): recorded by then and not yet superseded."""
    if moment is None:
        return qs.filter(superseded_at__isnull=True)
    return qs.filter(recorded_at__lte=moment).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment)
    )


def versions_of(record: Any) -> QuerySet[Any]:
    """Every version recorded for a versioned record's key (its `version_key`), newest first."""
    key = {name: getattr(record, record._meta.get_field(name).attname) for name in record.version_key}
    return type(record)._default_manager.filter(**key).order_by("-version")  # type: ignore[no-any-return]
