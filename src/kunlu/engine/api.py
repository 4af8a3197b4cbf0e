"""The engine's tables for callers: pick a backend over a source, ask for a table, get Arrow back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from kunlu.engine.backend import Backend
from kunlu.engine.bulletin import bulletin_query
from kunlu.engine.growth import highlight_counts_query, unit_contributions_query, zone_growth_query
from kunlu.engine.periods import ReportingMonth
from kunlu.engine.sources import Source

if TYPE_CHECKING:
    import pyarrow as pa

EngineName = Literal["duckdb", "spark"]
# DuckDB's own ceiling; the process stays within the 4 GB budget for 50M facts with room for Python.
DUCKDB_MEMORY_LIMIT = "3GB"


def open_backend(source: Source, engine: EngineName = "duckdb", *, master: str | None = None) -> Backend:
    """A backend over the source: embedded DuckDB (default) or Spark (`master`, default local[*])."""
    if engine == "duckdb":
        from kunlu.engine.duckdb_backend import DuckDBBackend

        return DuckDBBackend(source, memory_limit=DUCKDB_MEMORY_LIMIT)
    if engine == "spark":
        from kunlu.engine.spark_backend import SparkBackend, spark_session

        return SparkBackend(spark_session(master or "local[*]"), source)
    raise ValueError(f"unknown engine: {engine}")


def bulletin(backend: Backend, month: ReportingMonth) -> pa.Table:
    """经济运行简报: every zone × indicator and a CITY row per indicator (16 columns, bench/README.md)."""
    return backend.to_arrow(bulletin_query(month))


def zone_growth(backend: Backend, month: ReportingMonth) -> pa.Table:
    """Each zone's 拉动 (pp) and 贡献率 on the city's comparable growth; 两位数增长 and 占比提升 flags."""
    return backend.to_arrow(zone_growth_query(month))


def highlight_counts(backend: Backend, month: ReportingMonth) -> pa.Table:
    """Per zone: the number of indicators with double-digit growth and with a larger share of the city."""
    return backend.to_arrow(highlight_counts_query(month))


def unit_contributions(backend: Backend, month: ReportingMonth, top_n: int = 10) -> pa.Table:
    """The enterprises that contributed most to each zone's growth of each indicator (拉动, 贡献率)."""
    return backend.to_arrow(unit_contributions_query(month, top_n))
