"""`kunlu engine bulletin`: the city bulletin from a directory of Parquet facts to one Parquet file.

Kept free of Django and of anything heavy at import: the command is timed from process start to exit.
"""

from __future__ import annotations

import os
from pathlib import Path

from kunlu.engine.api import EngineName, open_backend
from kunlu.engine.bulletin import bulletin_query
from kunlu.engine.periods import ReportingMonth
from kunlu.engine.sources import ParquetDir


def write_bulletin(
    *,
    data: Path | str,
    year: int,
    month: int,
    out: Path,
    engine: EngineName = "duckdb",
    master: str | None = None,
) -> None:
    """Compute the bulletin for month M of year Y from the five Parquet files in `data`; write it to `out`.

    The file appears whole or not at all: it is written beside `out` and renamed into place.
    """
    query = bulletin_query(ReportingMonth(year, month))
    backend = open_backend(ParquetDir(data), engine, master=master)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        backend.write_parquet(query, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
