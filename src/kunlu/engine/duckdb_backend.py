"""The embedded default backend: DuckDB, in process, over Parquet files or Arrow tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlglot import exp

from kunlu.engine.sources import TABLE_NAMES, ArrowTables, ParquetDir, Source
from kunlu.engine.sql import Dialect, render

if TYPE_CHECKING:
    import pyarrow as pa


def _quoted(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


class DuckDBBackend:
    """Runs engine queries on an in-memory DuckDB database whose views are the five input tables."""

    dialect: Dialect = "duckdb"

    def __init__(
        self, source: Source, *, threads: int | None = None, memory_limit: str | None = None
    ) -> None:
        import duckdb

        config: dict[str, str | bool | int | float | list[str]] = {}
        if threads:
            config["threads"] = threads
        if memory_limit:
            config["memory_limit"] = memory_limit
        self.connection = duckdb.connect(config=config)
        if isinstance(source, ParquetDir):
            source.check()
            for name in TABLE_NAMES:
                file = _quoted(source.file(name))
                # Names come from TABLE_NAMES and the path is quoted: nothing here comes from a user as SQL.
                self.connection.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet({file})')  # noqa: S608
        elif isinstance(source, ArrowTables):
            for name in TABLE_NAMES:
                self.connection.register(name, source.table(name))

    def sql(self, query: exp.Query) -> str:
        """The query in DuckDB's dialect."""
        return render(query, self.dialect)

    def to_arrow(self, query: exp.Query) -> pa.Table:
        """Run the query and return its rows as an Arrow table."""
        return cast("pa.Table", self.connection.sql(self.sql(query)).to_arrow_table())

    def write_parquet(self, query: exp.Query, path: Path) -> None:
        """Run the query and let DuckDB write the Parquet file itself (no Arrow round trip)."""
        self.connection.execute(f"COPY ({self.sql(query)}) TO {_quoted(str(path))} (FORMAT parquet)")

    def close(self) -> None:
        """Release the database."""
        self.connection.close()
