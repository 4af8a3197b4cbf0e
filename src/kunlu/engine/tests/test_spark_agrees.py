"""DuckDB and Spark run the same query trees and agree under the benchmark's comparison rule.

One test runs every comparison, each case named in the failure: under `pytest -n 2` a single test lands
on a single worker, so the suite starts one JVM instead of one per worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
from pyspark.sql import SparkSession

from kunlu.engine import (
    ParquetDir,
    ReportingMonth,
    bulletin,
    highlight_counts,
    unit_contributions,
    zone_growth,
)
from kunlu.engine.backend import Backend
from kunlu.engine.compare import differences
from kunlu.engine.duckdb_backend import DuckDBBackend
from kunlu.engine.sources import Source
from kunlu.engine.spark_backend import SparkBackend
from kunlu.engine.tests.conftest import GENERATED_INDICATORS
from kunlu.engine.tests.tiny import MONTH, tiny_city

Table = Callable[[Backend], pa.Table]
SEPTEMBER, JANUARY = ReportingMonth(2025, 9), ReportingMonth(2025, 1)

GENERATED_CASES: dict[str, Table] = {
    "bulletin 2025-09": lambda b: bulletin(b, SEPTEMBER),
    "bulletin 2025-01": lambda b: bulletin(b, JANUARY),
    "zone growth": lambda b: zone_growth(b, SEPTEMBER),
    "highlight counts": lambda b: highlight_counts(b, SEPTEMBER),
    "unit contributions, top 3": lambda b: unit_contributions(b, SEPTEMBER, 3),
}
TINY_CASES: dict[str, Table] = {"tiny city bulletin": lambda b: bulletin(b, MONTH)}


def disagreements(spark: SparkSession, source: Source, cases: dict[str, Table]) -> dict[str, list[str]]:
    """For each case, where Spark's table differs from DuckDB's (cases that agree are left out)."""
    spark_backend = SparkBackend(spark, source)
    duckdb_backend = DuckDBBackend(source)
    try:
        found = {
            name: differences(table(duckdb_backend), table(spark_backend)) for name, table in cases.items()
        }
    finally:
        spark_backend.close()
        duckdb_backend.close()
    return {name: problems for name, problems in found.items() if problems}


def test_duckdb_and_spark_agree(generated: Path, spark: SparkSession) -> None:
    assert bulletin(DuckDBBackend(ParquetDir(generated)), SEPTEMBER).num_rows == 13 * GENERATED_INDICATORS
    assert disagreements(spark, ParquetDir(generated), GENERATED_CASES) == {}
    assert disagreements(spark, tiny_city(), TINY_CASES) == {}
