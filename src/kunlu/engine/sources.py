"""Where the engine's five input tables come from: a directory of Parquet files or tables in memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

# The input tables and the columns the engine reads from each (bench/README.md, "Data").
INPUT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "zones": ("zone_code",),
    "units": ("unit_id", "zone_code"),
    "indicators": ("indicator_code",),
    "facts": ("unit_id", "indicator_code", "period", "value"),
    "targets": ("zone_code", "indicator_code", "year", "target"),
}
TABLE_NAMES = tuple(INPUT_COLUMNS)


@dataclass(frozen=True)
class ParquetDir:
    """A directory holding zones, units, indicators, facts and targets as `<name>.parquet`.

    A local path, or for Spark on a cluster any URL its executors can read (hdfs://…, s3a://…).
    """

    location: Path | str

    @property
    def is_local(self) -> bool:
        """True for a directory on this machine (not a URL)."""
        return "://" not in str(self.location)

    def file(self, name: str) -> str:
        """The Parquet file of one input table."""
        if self.is_local:
            return str(Path(self.location) / f"{name}.parquet")
        return f"{str(self.location).rstrip('/')}/{name}.parquet"

    def check(self) -> None:
        """Raise FileNotFoundError naming each missing local input file (Spark checks URLs itself)."""
        if not self.is_local:
            return
        missing = [self.file(name) for name in TABLE_NAMES if not Path(self.file(name)).is_file()]
        if missing:
            raise FileNotFoundError(f"missing input files: {', '.join(missing)}")


@dataclass(frozen=True)
class ArrowTables:
    """The five input tables as Arrow tables (tests, loaders that read the database)."""

    tables: Mapping[str, pa.Table]

    def table(self, name: str) -> Any:
        """One input table; KeyError names the missing one."""
        if name not in self.tables:
            raise KeyError(f"missing input table: {name}")
        return self.tables[name]


Source = ParquetDir | ArrowTables
