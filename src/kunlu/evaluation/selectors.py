"""Reads of 亩均效益评价 with meaning: current results, the band distribution, the objections queue and the
differential measures that apply to each enterprise of a final run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from kunlu.evaluation.models import BandPolicy, EvaluationResult, EvaluationRun, Objection


def current_results(*, user: Any, run: EvaluationRun) -> QuerySet[EvaluationResult]:
    """The run's latest computation, as far as the user may see it: ranked first, then the excluded."""
    return (
        EvaluationResult.objects.restrict(user, "view")
        .filter(run=run, computation=run.computation)
        .select_related("enterprise", "territory")
        .order_by("-evaluated", "track", "ranking_group", "rank", "enterprise__name")
    )


def results_for(user: Any) -> QuerySet[EvaluationResult]:
    """Every current result the user may see (an enterprise: its own, once published)."""
    return EvaluationResult.objects.restrict(user, "view").filter(computation=F("run__computation"))


def band_distribution(run: EvaluationRun) -> list[tuple[str, int]]:
    """How many enterprises each band holds in the run's latest computation, best band first."""
    counts = run.band_counts or {}
    return sorted(counts.items())


def objection_queue(user: Any) -> QuerySet[Objection]:
    """Objections the user may see, pending first, oldest first within."""
    return (
        Objection.objects.restrict(user, "view")
        .select_related("run", "enterprise", "result")
        .order_by(F("decided_at").desc(nulls_first=True), "created_at")
    )


def policies_for(run: EvaluationRun) -> QuerySet[BandPolicy]:
    """The active differential policies of the run's rule set (or of its jurisdiction)."""
    ruleset = run.ruleset_version.ruleset
    return BandPolicy.objects.filter(is_active=True).filter(
        Q(ruleset=ruleset) | Q(ruleset__isnull=True, jurisdiction=ruleset.jurisdiction)
    )


@dataclass(frozen=True)
class Measures:
    """One enterprise's band in a final run and the measures that apply to it the following year."""

    result: EvaluationResult
    policies: list[BandPolicy]


def measures_by_enterprise(*, user: Any, run: EvaluationRun, department: str = "") -> list[Measures]:
    """Each enterprise of the run with its band and the policies of that band (of one department if given)."""
    policies = list(policies_for(run))
    if department:
        policies = [p for p in policies if p.department == department]
    by_band: dict[str, list[BandPolicy]] = {}
    for policy in policies:
        by_band.setdefault(policy.band, []).append(policy)
    out = []
    for result in current_results(user=user, run=run):
        mine = by_band.get(result.band, [])
        if department and not mine:
            continue
        out.append(Measures(result, mine))
    return out
