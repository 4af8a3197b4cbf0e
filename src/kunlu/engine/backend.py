"""What a backend offers: run one engine query and hand back a plain table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlglot import exp

from kunlu.engine.sql import Dialect

if TYPE_CHECKING:
    import pyarrow as pa


class Backend(Protocol):
    """An engine that runs the engine's queries over the five input tables (DuckDB, Spark)."""

    dialect: Dialect

    def sql(self, query: exp.Query) -> str:
        """The query as this backend will run it (its dialect, its table names)."""
        ...

    def to_arrow(self, query: exp.Query) -> pa.Table:
        """Run the query and return its rows as an Arrow table."""
        ...

    def write_parquet(self, query: exp.Query, path: Path) -> None:
        """Run the query and write its rows to one Parquet file."""
        ...

    def close(self) -> None:
        """Release what the backend holds (its database or its views)."""
        ...
