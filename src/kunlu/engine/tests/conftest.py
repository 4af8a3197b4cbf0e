"""Fixtures of the engine tests: one shared Spark session and small datasets from the benchmark generator."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from kunlu.engine.spark_backend import spark_session

REPO = Path(__file__).resolve().parents[4]
# The generator is the benchmark's own (shared/bench beside the repository); it is run, never copied.
GEN_FACTS = Path(os.environ.get("KUNLU_GEN_FACTS", REPO.parent / "shared" / "bench" / "gen_facts.py"))
GENERATED_UNITS = 300
GENERATED_INDICATORS = 8


def generate_facts(out: Path, *, units: int, indicators: int, seed: int = 1, month: int = 9) -> Path:
    """Run the benchmark's generator into `out` (year 2025) and return `out`."""
    if not GEN_FACTS.is_file():
        pytest.fail(f"the benchmark generator is missing: {GEN_FACTS} (set KUNLU_GEN_FACTS)")
    command = [sys.executable, str(GEN_FACTS), "--units", str(units), "--indicators", str(indicators)]
    command += ["--seed", str(seed), "--month", str(month), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 units, 8 indicators (rare and new-this-year ones included), 2025, month 9, seed 1."""
    out = tmp_path_factory.mktemp("facts")
    return generate_facts(out, units=GENERATED_UNITS, indicators=GENERATED_INDICATORS)


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """One local Spark session for every engine test (2 cores, few shuffle partitions, no UI)."""
    session = spark_session("local[2]", shuffle_partitions=2)
    yield session
    session.stop()
