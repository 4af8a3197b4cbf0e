"""S1 reads: facts as they stood at a moment, for what a user may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from kunlu.core.versions import as_of
from kunlu.indicators.models import Observation, UnitObservation


def observation_list(*, user: Any, moment: datetime | None = None) -> QuerySet[Observation]:
    """Territory observations the user may see, as they stood at `moment`."""
    qs = Observation.objects.restrict(user, "view").select_related("indicator", "territory", "period")
    return as_of(qs, moment)


def unit_observation_list(*, user: Any, moment: datetime | None = None) -> QuerySet[UnitObservation]:
    """Enterprise observations the user may see, as they stood at `moment`."""
    qs = UnitObservation.objects.restrict(user, "view").select_related("indicator", "enterprise", "period")
    return as_of(qs, moment)
