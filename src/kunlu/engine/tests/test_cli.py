"""The command-line contract of bench/README.md, run as a user would: `kunlu engine bulletin …`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from kunlu.engine import ParquetDir, ReportingMonth, bulletin
from kunlu.engine.bulletin import BULLETIN_COLUMNS
from kunlu.engine.compare import differences
from kunlu.engine.duckdb_backend import DuckDBBackend
from kunlu.engine.tests.conftest import GENERATED_INDICATORS

KUNLU = Path(sys.executable).with_name("kunlu")


def test_the_command_writes_the_specified_file(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "bulletin.parquet"
    command = [str(KUNLU), "engine", "bulletin", "--data", str(generated), "--year", "2025", "--month", "9"]
    done = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert [(f.name, str(f.type)) for f in table.schema] == list(BULLETIN_COLUMNS)
    assert table.num_rows == 13 * GENERATED_INDICATORS
    keys = list(zip(table["indicator_code"].to_pylist(), table["zone_code"].to_pylist(), strict=True))
    zones = [f"Z{i:02d}" for i in range(1, 13)]
    assert keys == [(f"I{i:02d}", z) for i in range(1, GENERATED_INDICATORS + 1) for z in [*zones, "CITY"]]
    expected = bulletin(DuckDBBackend(ParquetDir(generated)), ReportingMonth(2025, 9))
    assert differences(table, expected) == []
    assert not list(tmp_path.glob(".*partial"))


def test_the_command_does_not_load_django(generated: Path, tmp_path: Path) -> None:
    argv = ["engine", "bulletin", "--data", str(generated), "--year", "2025", "--month", "3"]
    argv += ["--out", str(tmp_path / "b.parquet")]
    script = (
        "import sys; from kunlu.cli import main; "
        f"main({argv!r}); "
        "assert 'django' not in sys.modules, 'django was imported'"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    command = [str(KUNLU), "engine", "bulletin", "--data", str(tmp_path), "--year", "2025", "--month", "9"]
    done = subprocess.run([*command, "--out", str(tmp_path / "b.parquet")], capture_output=True, text=True)
    assert done.returncode != 0
    assert "facts.parquet" in done.stderr
    assert not (tmp_path / "b.parquet").exists()
