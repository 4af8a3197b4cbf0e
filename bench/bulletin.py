"""Benchmark of the city bulletin: `kunlu engine bulletin` against DuckDB SQL and plain pandas, same data.

    .venv/bin/python bench/bulletin.py                 # 5M facts, 3 runs each
    .venv/bin/python bench/bulletin.py --size 50m      # 50M facts (~278 MB of Parquet, generated once)
    .venv/bin/python bench/bulletin.py --size 5m --spark   # also one run of the Spark engine (local[*])
    .venv/bin/python bench/bulletin.py --no-pandas     # product and DuckDB SQL only

Data come from the benchmark's own generator (../shared/bench/gen_facts.py, default seed, 2025, month 9)
into var/bench/ (gitignored) and are reused when present. Each run is a fresh process, timed from start
to exit; runs of the product and the two baselines (bench/baseline_duckdb.sql, bench/baseline_pandas.py)
alternate so all see the same machine. The outputs are checked pairwise under the specification's
comparison rule; peak memory is each child's own maximum resident set (its rusage from wait4). A pandas
run over --pandas-timeout seconds is killed and reported as such. Figures are recorded by hand in
bench/RESULTS.md; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template

import pyarrow.parquet as pq

from kunlu.engine.compare import differences

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GEN_FACTS = REPO.parent / "shared" / "bench" / "gen_facts.py"
SIZES = {"5m": 20_000, "50m": 200_000}  # units → about 5M and 50M facts with 40 indicators
INDICATORS = 40
YEAR, MONTH = 2025, 9

# The baseline process: Python, DuckDB and the SQL file, nothing else.
BASELINE_RUNNER = """
import sys, duckdb
sql, out = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
duckdb.execute("COPY (" + sql + ") TO '" + out.replace("'", "''") + "' (FORMAT parquet)")
"""


# The goals of issue 4, point 10, at 50M facts on 2 cores.
GOAL_VS_DUCKDB, GOAL_VS_PANDAS, GOAL_PEAK_MB = 1.5, 5.0, 2048


@dataclass(frozen=True)
class Run:
    """One timed process."""

    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0  # user + system time of the child: less sensitive to a loaded machine
    timed_out: bool = False


def dataset(size: str, root: Path) -> Path:
    """The generated dataset of this size, generating it first if it is not there."""
    out = root / f"facts-{size}"
    if not (out / "facts.parquet").is_file():
        print(f"generating {size} facts into {out} …", flush=True)
        command = [
            sys.executable,
            str(GEN_FACTS),
            "--units",
            str(SIZES[size]),
            "--indicators",
            str(INDICATORS),
        ]
        subprocess.run([*command, "--out", str(out)], check=True)
    return out


def baseline_sql(data: Path, year: int, month: int) -> str:
    """bench/baseline_duckdb.sql with the dataset and the reporting month filled in."""
    template = Template((BENCH / "baseline_duckdb.sql").read_text(encoding="utf-8"))
    return template.substitute(
        data=str(data).replace("'", "''"),
        year=year,
        month=month,
        report_period=year * 100 + month,
        current_start=year * 100 + 1,
        prior_start=(year - 1) * 100 + 1,
        prior_end=(year - 1) * 100 + month,
    )


def timed(command: list[str], timeout: float | None = None) -> Run:
    """Run a command to its end; wall time from start to exit and its peak resident memory.

    With a timeout, a process still running after it is killed and the run is marked timed_out.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    killer = threading.Timer(timeout, process.kill) if timeout else None
    if killer:
        killer.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if killer:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    if timeout and seconds >= timeout and process.returncode != 0:
        return Run(seconds, usage.ru_maxrss / 1024, cpu, timed_out=True)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return Run(seconds, usage.ru_maxrss / 1024, cpu)


def report(name: str, runs: list[Run]) -> None:
    """One line: best and median wall time, peak memory."""
    if any(r.timed_out for r in runs):
        print(f"  {name:<28} KILLED after {runs[-1].seconds:.0f} s   peak {runs[-1].peak_mb:7.0f} MB so far")
        return
    best = min(r.seconds for r in runs)
    median = statistics.median(r.seconds for r in runs)
    peak = max(r.peak_mb for r in runs)
    cpu = min(r.cpu_seconds for r in runs)
    print(
        f"  {name:<28} best {best:7.2f} s   median {median:7.2f} s   peak {peak:7.0f} MB"
        f"   cpu (min) {cpu:7.2f} s"
    )


def best(runs: list[Run]) -> float:
    """Best wall time of completed runs."""
    return min(r.seconds for r in runs)


def agreement(outputs: dict[str, Path]) -> list[str]:
    """Pairwise differences of the outputs under the comparison rule; empty when all agree."""
    tables = {name: pq.read_table(path) for name, path in outputs.items()}
    found: list[str] = []
    names = list(tables)
    for i, left in enumerate(names):
        for right in names[i + 1 :]:
            pair = differences(tables[left], tables[right])
            found += [f"{left} vs {right}: {line}" for line in pair]
    return found


def bench(size: str, runs: int, root: Path, spark: bool, pandas: bool, pandas_timeout: float) -> bool:
    """Time the product and the baselines on one dataset; True when their outputs agree."""
    data = dataset(size, root)
    out = root / "out"
    out.mkdir(parents=True, exist_ok=True)
    sql_file = out / f"baseline-{size}.sql"
    sql_file.write_text(baseline_sql(data, YEAR, MONTH), encoding="utf-8")
    kunlu = str(Path(sys.executable).with_name("kunlu"))
    product_out, baseline_out = out / f"product-{size}.parquet", out / f"baseline-{size}.parquet"
    args = ["engine", "bulletin", "--data", str(data), "--year", str(YEAR), "--month", str(MONTH)]
    product_command = [kunlu, *args, "--out", str(product_out)]
    baseline_command = [sys.executable, "-c", BASELINE_RUNNER, str(sql_file), str(baseline_out)]
    pandas_out = out / f"pandas-{size}.parquet"
    pandas_command = [sys.executable, str(BENCH / "baseline_pandas.py"), *args[2:], "--out", str(pandas_out)]
    product, baseline, in_pandas = [], [], []
    for _ in range(runs):
        product.append(timed(product_command))
        baseline.append(timed(baseline_command))
        if pandas and not any(r.timed_out for r in in_pandas):
            in_pandas.append(timed(pandas_command, pandas_timeout))
    rows = pq.ParquetFile(data / "facts.parquet").metadata.num_rows
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{size}: {rows:,} facts, {runs} runs each, month {YEAR}-{MONTH:02d} (load average after: {load})")
    report("kunlu engine bulletin", product)
    report("baseline DuckDB SQL", baseline)
    pandas_done = bool(in_pandas) and not any(r.timed_out for r in in_pandas)
    if in_pandas:
        report("baseline pandas", in_pandas)
    ratio = best(product) / best(baseline)
    print(f"  ratio product/DuckDB SQL (best): {ratio:.2f}   (goal at 50M: ≤ {GOAL_VS_DUCKDB})")
    if pandas_done:
        speedup = best(in_pandas) / best(product)
        print(f"  ratio pandas/product (best):     {speedup:.2f}   (goal at 50M: ≥ {GOAL_VS_PANDAS})")
    peak = max(r.peak_mb for r in product)
    print(f"  product peak memory:             {peak:.0f} MB   (goal at 50M: ≤ {GOAL_PEAK_MB} MB)")
    outputs = {"product": product_out, "duckdb": baseline_out}
    if pandas_done:
        outputs["pandas"] = pandas_out
    found = agreement(outputs)
    agreed = " = ".join(outputs)
    print(f"  outputs agree ({agreed})" if not found else "  OUTPUTS DIFFER:\n    " + "\n    ".join(found))
    if spark:
        spark_out = out / f"spark-{size}.parquet"
        report(
            "kunlu … --engine spark", [timed([kunlu, *args, "--out", str(spark_out), "--engine", "spark"])]
        )
        spark_found = differences(pq.read_table(spark_out), pq.read_table(baseline_out))
        print(
            "  spark output agrees"
            if not spark_found
            else "  SPARK DIFFERS:\n    " + "\n    ".join(spark_found)
        )
        found += spark_found
    return not found


def versions() -> str:
    """The versions that matter for the figures."""
    import duckdb
    import pyarrow
    import sqlglot

    try:
        import numpy
        import pandas

        frames = f", pandas {pandas.__version__}, numpy {numpy.__version__}"
    except ImportError:
        frames = ", pandas not installed"
    return (
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}, sqlglot {sqlglot.__version__}, "
        f"pyarrow {pyarrow.__version__}{frames}, {os.cpu_count()} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=[*SIZES, "both"], default="5m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--spark", action="store_true", help="also time one run of --engine spark")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    parser.add_argument(
        "--pandas-timeout", type=float, default=600, help="kill a pandas run after this many seconds"
    )
    args = parser.parse_args()
    print(versions())
    sizes = list(SIZES) if args.size == "both" else [args.size]
    agree = [
        bench(size, args.runs, args.root, args.spark, not args.no_pandas, args.pandas_timeout)
        for size in sizes
    ]
    sys.exit(0 if all(agree) else 1)


if __name__ == "__main__":
    main()
