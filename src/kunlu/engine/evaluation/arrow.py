"""An evaluation's trace as Arrow tables, for bulk storage by the app and for export."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import pyarrow as pa

from kunlu.engine.evaluation.engine import collector_paused
from kunlu.engine.evaluation.rows import EnterpriseResult, EvaluationResult, IndicatorTrace

# Stored values keep 10 decimals: far finer than any published rounding, within decimal128's 38 digits.
SCALE = 10
DECIMAL = pa.decimal128(38, SCALE)
_QUANTUM = Decimal(1).scaleb(-SCALE)
TEXT, INTEGER = pa.string(), pa.int32()

RESULTS = pa.schema(
    [
        ("enterprise_id", TEXT), ("track", TEXT), ("ranking_group", TEXT), ("indicator_points", DECIMAL),
        ("bonus_points", DECIMAL), ("deduction_points", DECIMAL), ("total", DECIMAL), ("rank", INTEGER),
        ("graded_count", INTEGER), ("score_band", TEXT), ("band", TEXT), ("band_basis", TEXT),
        ("band_reason", TEXT), ("vetoes", TEXT), ("exemption", TEXT),
    ]
)  # fmt: skip
INDICATORS = pa.schema(
    [
        ("enterprise_id", TEXT), ("position", INTEGER), ("formula", TEXT), ("name", TEXT), ("unit", TEXT),
        ("value", DECIMAL), ("benchmark", DECIMAL), ("benchmark_basis", TEXT), ("ratio", DECIMAL),
        ("weight", DECIMAL), ("points_raw", DECIMAL), ("points", DECIMAL), ("capping", TEXT),
        ("missing", TEXT), ("missing_reason", TEXT),
    ]
)  # fmt: skip
ADJUSTMENTS = pa.schema(
    [("enterprise_id", TEXT), ("kind", TEXT), ("code", TEXT), ("name", TEXT), ("points", DECIMAL)]
)
EXCLUDED = pa.schema([("enterprise_id", TEXT), ("reason", TEXT), ("message", TEXT), ("band", TEXT)])


def _d(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_QUANTUM, ROUND_HALF_UP)


def _result_row(item: EnterpriseResult) -> tuple[object, ...]:
    return (
        str(item.enterprise_id), item.track.value, item.ranking_group, _d(item.indicator_points),
        _d(item.bonus_points), _d(item.deduction_points), _d(item.total), item.rank, item.graded_count,
        item.score_band, item.band, item.band_basis.value, item.band_reason,
        ",".join(veto.code for veto in item.vetoes), item.exemption,
    )  # fmt: skip


def _indicator_row(enterprise: str, position: int, trace: IndicatorTrace) -> tuple[object, ...]:
    return (
        enterprise, position, trace.formula, trace.name, trace.unit, _d(trace.value), _d(trace.benchmark),
        trace.benchmark_basis, _d(trace.ratio), _d(trace.weight), _d(trace.points_raw), _d(trace.points),
        trace.capping.value if trace.capping else None, trace.missing.value if trace.missing else None,
        trace.missing_reason,
    )  # fmt: skip


def _table(schema: pa.Schema, rows: Sequence[tuple[object, ...]]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema.names]
    arrays = [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)]
    return pa.table(arrays, schema=schema)


def to_arrow(result: EvaluationResult) -> dict[str, pa.Table]:
    """Four tables: results (one row a firm), indicators (firm × indicator), adjustments, excluded."""
    with collector_paused():
        return _tables(result)


def _tables(result: EvaluationResult) -> dict[str, pa.Table]:
    results, indicators, adjustments = [], [], []
    for item in result.results:
        enterprise = str(item.enterprise_id)
        results.append(_result_row(item))
        indicators += [
            _indicator_row(enterprise, index, trace) for index, trace in enumerate(item.indicators)
        ]
        for kind, items in (("bonus", item.bonuses), ("deduction", item.deductions)):
            adjustments += [(enterprise, kind, one.code, one.name, _d(one.points)) for one in items]
    excluded = [(str(item.enterprise_id), item.reason, item.message, item.band) for item in result.excluded]
    return {
        "results": _table(RESULTS, results),
        "indicators": _table(INDICATORS, indicators),
        "adjustments": _table(ADJUSTMENTS, adjustments),
        "excluded": _table(EXCLUDED, excluded),
    }
