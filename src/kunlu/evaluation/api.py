"""REST API of 亩均效益评价: runs and results read-only (an enterprise: its own result, once published),
objections created by the enterprise and read within scope, rule-set versions, figures and policies."""

from __future__ import annotations

from typing import Any

from kunlu.core.viewsets import CrudViewSet, ScopedModelViewSet, api_viewset
from kunlu.evaluation.views import (
    BandPolicyViewSet,
    EnterpriseFigureViewSet,
    EvaluationResultViewSet,
    EvaluationRunViewSet,
    ObjectionViewSet,
    RuleSetVersionViewSet,
    RuleSetViewSet,
)

READ = ["get", "head", "options"]


class ObjectionApi(ObjectionViewSet):
    """Objections through the API: an enterprise files one (text only; evidence is attached on the page)."""

    actions = frozenset({"add"})


def _read_only(vs: type[CrudViewSet]) -> type[ScopedModelViewSet]:
    base = api_viewset(vs)
    return type(base.__name__, (base,), {"http_method_names": READ})


routes: list[tuple[str, type[Any]]] = [
    ("evaluation/rulesets", _read_only(RuleSetViewSet)),
    ("evaluation/ruleset-versions", api_viewset(RuleSetVersionViewSet)),
    ("evaluation/figures", api_viewset(EnterpriseFigureViewSet)),
    ("evaluation/runs", _read_only(EvaluationRunViewSet)),
    ("evaluation/results", api_viewset(EvaluationResultViewSet)),
    ("evaluation/objections", api_viewset(ObjectionApi)),
    ("evaluation/policies", api_viewset(BandPolicyViewSet)),
]
