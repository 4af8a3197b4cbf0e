"""Input locations: local directories are checked up front, cluster URLs are left to Spark."""

from __future__ import annotations

from pathlib import Path

import pytest

from kunlu.engine import ParquetDir


def test_a_missing_local_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "zones.parquet").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=r"units\.parquet") as error:
        ParquetDir(tmp_path).check()
    assert "zones.parquet" not in str(error.value)


def test_a_cluster_url_keeps_its_scheme() -> None:
    source = ParquetDir("hdfs://namenode/kunlu/2025-09/")
    assert source.file("facts") == "hdfs://namenode/kunlu/2025-09/facts.parquet"
    source.check()  # nothing to check on this machine
