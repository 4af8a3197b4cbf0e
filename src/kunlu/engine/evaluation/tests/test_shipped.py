"""Every shipped rule set (src/kunlu/evaluation/rulesets/) loads, validates, round-trips, cites its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from kunlu.engine.evaluation import (
    dump_ruleset,
    load_ruleset,
    load_ruleset_file,
    shipped_ruleset_path,
    shipped_rulesets,
)
from kunlu.engine.evaluation.ruleset import Averaging, BenchmarkKind, Group, Period

DOMAIN = Path(__file__).resolve().parents[6] / "shared" / "docs" / "domain.md"


def test_the_fully_specified_methods_are_shipped() -> None:
    assert [path.stem for path in shipped_rulesets()] == ["huaian-2024"]


@pytest.mark.parametrize("path", shipped_rulesets(), ids=lambda path: path.stem)
def test_shipped_ruleset_is_valid_and_round_trips(path: Path) -> None:
    ruleset = load_ruleset_file(path)
    assert path.stem == ruleset.code
    assert path.stem.endswith(str(ruleset.year))
    assert load_ruleset(dump_ruleset(ruleset)) == ruleset
    text = path.read_text(encoding="utf-8")
    assert f"[{ruleset.source}]" in text  # the file cites its domain.md source key
    if DOMAIN.is_file():
        assert f"| {ruleset.source} |" in DOMAIN.read_text(encoding="utf-8")


def test_huaian_2024_is_the_published_method() -> None:
    ruleset = load_ruleset_file(shipped_ruleset_path("huaian-2024"))
    assert [(i.formula, int(i.weight)) for i in ruleset.indicators] == [
        ("tax_per_mu", 45), ("sales_per_mu", 35), ("tax_per_energy", 20),
    ]  # fmt: skip
    for indicator in ruleset.indicators:
        benchmark = indicator.benchmark
        assert (benchmark.kind, int(benchmark.multiple), benchmark.period, benchmark.group) == (
            BenchmarkKind.MEAN, 2, Period.PRIOR, Group.REGION,
        )  # fmt: skip
        assert benchmark.averaging is Averaging.AGGREGATE
    assert ruleset.scope.below_scale.min_land_mu == 3 and ruleset.scope.below_scale.land_inclusive
    assert [(b.code, b.top_percent) for b in ruleset.banding.bands] == [
        ("A", 20), ("B", 60), ("C", 95), ("D", None), ("T", None),
    ]  # fmt: skip
    assert ruleset.banding.ranking_group is Group.REGION
    assert {e.code for e in ruleset.scope.exemptions} == {"utility", "new_production", "county_t_class"}


def test_unknown_shipped_name_is_refused() -> None:
    with pytest.raises(FileNotFoundError, match="huaian-2024"):
        shipped_ruleset_path("nowhere-1999")
