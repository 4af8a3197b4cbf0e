"""The distributed backend: Spark SQL (PySpark), local mode or a cluster, running the same query trees."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlglot import exp

from kunlu.engine.sources import TABLE_NAMES, ParquetDir, Source
from kunlu.engine.sql import Dialect, render

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

_instances = itertools.count(1)


def spark_session(master: str = "local[*]", *, shuffle_partitions: int | None = None) -> SparkSession:
    """A Spark session for the engine (no web UI, UTC); reuses the running one if there is one."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("kunlu-engine")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkBackend:
    """Runs engine queries on Spark; the input tables become temporary views private to this backend."""

    dialect: Dialect = "spark"

    def __init__(self, session: SparkSession, source: Source) -> None:
        self.session = session
        # Views live in the session, which tests share: a prefix keeps two backends' tables apart.
        prefix = f"kunlu_engine_{next(_instances)}_"
        self.views = {name: prefix + name for name in TABLE_NAMES}
        for name, view in self.views.items():
            self._load(source, name).createOrReplaceTempView(view)

    def _load(self, source: Source, name: str) -> DataFrame:
        if isinstance(source, ParquetDir):
            source.check()
            return self.session.read.parquet(source.file(name))
        return self.session.createDataFrame(source.table(name))

    def sql(self, query: exp.Query) -> str:
        """The query in Spark's dialect, reading this backend's views."""
        return render(exp.replace_tables(query, self.views), self.dialect)

    def to_arrow(self, query: exp.Query) -> pa.Table:
        """Run the query and collect its rows to the driver as an Arrow table."""
        return cast("pa.Table", self.session.sql(self.sql(query)).toArrow())

    def write_parquet(self, query: exp.Query, path: Path) -> None:
        """Run the query and write one Parquet file from the driver (results are a few rows per indicator)."""
        import pyarrow.parquet as pq

        pq.write_table(self.to_arrow(query), path)

    def close(self) -> None:
        """Drop this backend's views (the session stays for others)."""
        for view in self.views.values():
            self.session.catalog.dropTempView(view)
