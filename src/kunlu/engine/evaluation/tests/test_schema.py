"""Rule sets as YAML: the documented example and the shipped files load, validate and round-trip."""

from __future__ import annotations

from decimal import Decimal

import yaml

from kunlu.engine.evaluation import dump_ruleset, load_ruleset, ruleset_from_dict, ruleset_to_dict
from kunlu.engine.evaluation.ruleset import (
    Averaging,
    BandingMethod,
    BenchmarkKind,
    Direction,
    ExemptTreatment,
    Group,
    MissingTreatment,
    Period,
    VetoEffect,
)
from kunlu.engine.evaluation.tests.helpers import build, docs_example


def test_documented_example_loads_with_every_part() -> None:
    ruleset = load_ruleset(docs_example())
    assert (ruleset.code, ruleset.version, ruleset.year, ruleset.source) == (
        "example-county-2025",
        2,
        2025,
        "HY",
    )
    assert [i.formula for i in ruleset.indicators][:3] == [
        "net_tax_per_mu",
        "value_added_per_mu",
        "energy_per_value_added",
    ]
    first = ruleset.indicators[0]
    assert first.weight == 40 and first.benchmark.multiple == 2
    assert (first.benchmark.kind, first.benchmark.period, first.benchmark.group) == (
        BenchmarkKind.MEAN, Period.PRIOR, Group.REGION,
    )  # fmt: skip
    assert first.cap is not None and first.cap.bound(first.weight) == 60
    assert ruleset.indicators[2].benchmark.averaging is Averaging.AGGREGATE
    assert ruleset.indicators[2].missing is not None
    assert ruleset.indicators[2].missing.treatment is MissingTreatment.MEAN
    assert ruleset.indicators[3].benchmark.value == Decimal("0.03")
    assert ruleset.formulas[2].direction == Direction.LOWER
    assert ruleset.scope.below_scale.land_inclusive is False
    assert ruleset.scope.exemptions[2].treatment is ExemptTreatment.UNGRADED
    assert ruleset.vetoes[1].effect is VetoEffect.EXCLUDE
    assert ruleset.below_scale_scoring is not None and ruleset.below_scale_scoring.banding is not None
    assert ruleset.below_scale_scoring.banding.method is BandingMethod.THRESHOLD
    assert ruleset.band("T") is not None and ruleset.band("T").special  # type: ignore[union-attr]


def test_round_trip_of_documented_example() -> None:
    ruleset = load_ruleset(docs_example())
    text = dump_ruleset(ruleset)
    assert load_ruleset(text) == ruleset
    assert dump_ruleset(load_ruleset(text)) == text


def test_round_trip_through_plain_data() -> None:
    ruleset = load_ruleset(docs_example())
    assert ruleset_from_dict(ruleset_to_dict(ruleset)) == ruleset


def test_dump_leaves_defaults_out_and_keeps_chinese_readable() -> None:
    text = dump_ruleset(build())
    data = yaml.safe_load(text)
    assert "scope" not in data and "missing" not in data
    assert "测试办法" in text


def test_decimals_are_exact() -> None:
    ruleset = build(
        indicators=[{"formula": "tax_per_mu", "weight": 100, "benchmark": {"kind": "fixed", "value": 0.1}}]
    )
    assert ruleset.indicators[0].benchmark.value == Decimal("0.1")
    odd = build(
        indicators=[
            {
                "formula": "tax_per_mu",
                "weight": 100,
                "benchmark": {"kind": "fixed", "value": "0.12345678901234567890"},
            }
        ]
    )
    assert load_ruleset(dump_ruleset(odd)) == odd
