"""亩均效益评价 without Django: rule sets as data (YAML ⇄ frozen dataclasses) and the engine applying them.

    ruleset = load_ruleset_file(shipped_ruleset_path("huaian-2024"))
    result = evaluate(ruleset, rows, reference=prior_year_rows)
    result.results[0].indicators[0].points, result.results[0].band, result.excluded, to_arrow(result)

See docs/evaluation-rules.md for the YAML schema and docs/domain.md §1 for the trade's rules.
"""

from kunlu.engine.evaluation.arrow import to_arrow
from kunlu.engine.evaluation.engine import evaluate
from kunlu.engine.evaluation.explain import explain
from kunlu.engine.evaluation.library import FLAGS, FORMULAS, INPUTS, FlagDef, FormulaDef, InputDef
from kunlu.engine.evaluation.plan import EvaluationError
from kunlu.engine.evaluation.rows import (
    AdjustmentTrace,
    BandBasis,
    BenchmarkValue,
    Capping,
    EnterpriseResult,
    EnterpriseRow,
    EvaluationResult,
    Exclusion,
    IndicatorTrace,
    Track,
    VetoTrace,
)
from kunlu.engine.evaluation.ruleset import RuleSet
from kunlu.engine.evaluation.schema import (
    Issue,
    RuleSetError,
    dump_ruleset,
    load_ruleset,
    load_ruleset_file,
    ruleset_from_dict,
    ruleset_to_dict,
)
from kunlu.engine.evaluation.shipped import shipped_ruleset_path, shipped_rulesets

__all__ = [
    "FLAGS",
    "FORMULAS",
    "INPUTS",
    "AdjustmentTrace",
    "BandBasis",
    "BenchmarkValue",
    "Capping",
    "EnterpriseResult",
    "EnterpriseRow",
    "EvaluationError",
    "EvaluationResult",
    "Exclusion",
    "FlagDef",
    "FormulaDef",
    "IndicatorTrace",
    "InputDef",
    "Issue",
    "RuleSet",
    "RuleSetError",
    "Track",
    "VetoTrace",
    "dump_ruleset",
    "evaluate",
    "explain",
    "load_ruleset",
    "load_ruleset_file",
    "ruleset_from_dict",
    "ruleset_to_dict",
    "shipped_ruleset_path",
    "shipped_rulesets",
    "to_arrow",
]
