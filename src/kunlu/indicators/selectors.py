"""S1 reads: facts as they stood at a moment, for what a user may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from kunlu.indicators.models import Observation, Target, UnitObservation

F = TypeVar("F", Observation, UnitObservation, Target)


def as_of(qs: QuerySet[F], moment: datetime | None) -> QuerySet[F]:
    """The versions current at `moment` (now when None): recorded by then and not yet superseded."""
    if moment is None:
        return qs.filter(superseded_at__isnull=True)
    return qs.filter(recorded_at__lte=moment).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment)
    )


def observation_list(*, user: Any, moment: datetime | None = None) -> QuerySet[Observation]:
    """Territory observations the user may see, as they stood at `moment`."""
    qs = Observation.objects.restrict(user, "view").select_related("indicator", "territory", "period")
    return as_of(qs, moment)


def unit_observation_list(*, user: Any, moment: datetime | None = None) -> QuerySet[UnitObservation]:
    """Enterprise observations the user may see, as they stood at `moment`."""
    qs = UnitObservation.objects.restrict(user, "view").select_related("indicator", "enterprise", "period")
    return as_of(qs, moment)
