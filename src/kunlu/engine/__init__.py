"""Django-free analytics: the monthly bulletin's metrics over plain tables, on DuckDB or Spark.

`kunlu.engine` takes the five input tables (Parquet files or Arrow tables) and returns plain Arrow tables.
Each metric is a pure function in `metrics` over column expressions; `bulletin` and `growth` wire them into
one query tree that both backends run (DuckDB embedded by default, Spark for scale). Nothing here imports
Django; loaders that turn the database into tables live with the apps.
"""

from kunlu.engine.api import (
    bulletin,
    highlight_counts,
    open_backend,
    unit_contributions,
    zone_growth,
)
from kunlu.engine.periods import ReportingMonth
from kunlu.engine.sources import ArrowTables, ParquetDir

__all__ = [
    "ArrowTables",
    "ParquetDir",
    "ReportingMonth",
    "bulletin",
    "highlight_counts",
    "open_backend",
    "unit_contributions",
    "zone_growth",
]
