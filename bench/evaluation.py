"""Benchmark of the 亩均效益评价 engine: 35 000 synthetic enterprises under a shipped rule set.

Times `kunlu.engine.evaluation.evaluate` (Decimal arithmetic, full trace) against a baseline — one
hand-written DuckDB SQL query computing the same scope, benchmarks, totals, ranks and bands over Arrow
tables of the same rows — in the same process, checks that both agree firm by firm, and prints the ratio.

    .venv/bin/python bench/evaluation.py [--firms 35000] [--runs 5] [--seed 1]

Results are recorded by hand in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time

import duckdb
import pyarrow as pa

from kunlu.engine.evaluation import (
    EnterpriseRow,
    EvaluationResult,
    evaluate,
    load_ruleset_file,
    shipped_ruleset_path,
    to_arrow,
)

RULESET = "huaian-2024"
REGIONS = ["清江浦区", "淮安区", "淮阴区", "洪泽区", "涟水县", "盱眙县", "金湖县"]
PARKS = [f"园区{index:02d}" for index in range(1, 21)]


def generate(firms: int, seed: int) -> tuple[list[EnterpriseRow], list[EnterpriseRow]]:
    """This year's and last year's rows: industries, scale, land, tax, sales, energy, bonuses, exemptions."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, seeded on purpose)
    current: list[EnterpriseRow] = []
    prior: list[EnterpriseRow] = []
    for number in range(1, firms + 1):
        roll = rng.random()
        # Mostly manufacturing (13–43); some utilities (44–46, exempt), mining, non-industrial firms.
        division = rng.randint(13, 43) if roll < 0.9 else rng.choice([7, 8, 10, 44, 45, 46, 51, 72])
        industry = f"{division:02d}{rng.randint(10, 99)}"
        above_scale = rng.random() < 0.55
        land = round(rng.lognormvariate(3.0 if above_scale else 1.3, 0.9), 2)
        sales = round(land * rng.lognormvariate(5.6, 0.8), 2)
        tax = round(sales * rng.uniform(0.01, 0.09), 2)
        energy = round(sales * rng.uniform(0.02, 0.3), 2) if rng.random() > 0.03 else None
        years = rng.choice([0, 1, 2, 3, 5, 8, 12, 20]) if rng.random() < 0.3 else rng.randint(2, 25)
        inputs: dict[str, float | int | None] = {
            "tax": tax, "sales": sales, "land_mu": land, "energy_tce": energy, "years_in_production": years,
        }  # fmt: skip
        if rng.random() < 0.1:
            inputs["bonus_safety"] = rng.choice([1, 2, 3])
        if rng.random() < 0.1:
            inputs["bonus_innovation"] = rng.choice([1, 2, 3, 5])
        if rng.random() < 0.05:
            inputs["county_deduction"] = rng.choice([1, 2, 5])
        attributes = {
            "id": f"E{number:06d}", "industry": industry, "region": rng.choice(REGIONS),
            "park": rng.choice(PARKS), "above_scale": above_scale,
        }  # fmt: skip
        flags = frozenset({"county_t_class"}) if rng.random() < 0.005 else frozenset()
        current.append(EnterpriseRow(**attributes, flags=flags, inputs=inputs))
        growth = rng.uniform(0.8, 1.1)
        last_year = {
            "tax": round(tax / growth, 2), "sales": round(sales / growth, 2), "land_mu": land,
            "energy_tce": energy, "years_in_production": years - 1,
        }  # fmt: skip
        prior.append(EnterpriseRow(**attributes, inputs=last_year))
    return current, prior


def arrow_of(rows: list[EnterpriseRow]) -> pa.Table:
    """The rows as one flat Arrow table (what a hand-written query would start from)."""
    columns = ["tax", "sales", "land_mu", "energy_tce", "years_in_production"]
    columns += ["bonus_safety", "bonus_energy_saving", "bonus_innovation", "county_deduction"]
    data: dict[str, list[object]] = {
        "id": [row.id for row in rows],
        "industry": [row.industry for row in rows],
        "region": [row.region for row in rows],
        "above_scale": [row.above_scale for row in rows],
        "county_t_class": ["county_t_class" in row.flags for row in rows],
    }
    for column in columns:
        data[column] = [row.inputs.get(column) for row in rows]
    return pa.table(data)


# The Huai'an method by hand, in one query: scope and T class (the same for last year's rows), prior-year
# county benchmarks (2 × Σ/Σ), points, bonus − deduction, ranks per county (ties share the better rank),
# percentile bands ceil(p·N).
SCOPE = """
  CAST(substr(industry, 1, 2) AS INTEGER) BETWEEN 6 AND 46
  AND (above_scale OR land_mu >= 3)
  AND NOT (CAST(substr(industry, 1, 2) AS INTEGER) BETWEEN 44 AND 46)
  AND NOT coalesce(years_in_production < 2, false)
  AND NOT county_t_class
"""
BASELINE_SQL = """
WITH
cur AS (SELECT * FROM current_rows WHERE <SCOPE>),
ref AS (SELECT * FROM prior_rows WHERE <SCOPE>),
bench AS (
  SELECT region,
    2 * sum(tax) FILTER (WHERE land_mu <> 0 AND tax IS NOT NULL)
      / nullif(sum(land_mu) FILTER (WHERE land_mu <> 0 AND tax IS NOT NULL), 0) AS b_tax,
    2 * sum(sales) FILTER (WHERE land_mu <> 0 AND sales IS NOT NULL)
      / nullif(sum(land_mu) FILTER (WHERE land_mu <> 0 AND sales IS NOT NULL), 0) AS b_sales,
    2 * sum(tax) FILTER (WHERE energy_tce <> 0 AND tax IS NOT NULL)
      / nullif(sum(energy_tce) FILTER (WHERE energy_tce <> 0 AND tax IS NOT NULL), 0) AS b_green
  FROM ref GROUP BY region
),
points AS (
  SELECT c.id, c.region,
      coalesce(c.tax / nullif(c.land_mu, 0) / nullif(b.b_tax, 0) * 45, 0)
    + coalesce(c.sales / nullif(c.land_mu, 0) / nullif(b.b_sales, 0) * 35, 0)
    + coalesce(c.tax / nullif(c.energy_tce, 0) / nullif(b.b_green, 0) * 20, 0)
    + greatest(coalesce(c.bonus_safety, 0), 0) + greatest(coalesce(c.bonus_energy_saving, 0), 0)
    + greatest(coalesce(c.bonus_innovation, 0), 0) - greatest(coalesce(c.county_deduction, 0), 0) AS total
  FROM cur c LEFT JOIN bench b USING (region)
),
ranked AS (
  SELECT id, region, total,
    rank() OVER (PARTITION BY region ORDER BY total DESC) AS rnk,
    count(*) OVER (PARTITION BY region) AS n
  FROM points
)
SELECT id, region, total, rnk,
  CASE WHEN rnk <= ceil(0.20 * n) THEN 'A' WHEN rnk <= ceil(0.60 * n) THEN 'B'
       WHEN rnk <= ceil(0.95 * n) THEN 'C' ELSE 'D' END AS band
FROM ranked
""".replace("<SCOPE>", SCOPE)


def baseline(current: pa.Table, prior: pa.Table) -> pa.Table:
    """The hand-written DuckDB query over the two Arrow tables."""
    connection = duckdb.connect()
    connection.register("current_rows", current)
    connection.register("prior_rows", prior)
    result = connection.sql(BASELINE_SQL).to_arrow_table()
    connection.close()
    return result


def check(product: EvaluationResult, reference: pa.Table) -> int:
    """Both computed the same firms, totals (to 1e-9), ranks and bands; returns the number of firms."""
    expected = {row["id"]: row for row in reference.to_pylist()}
    assert len(expected) == len(product.results), (len(expected), len(product.results))
    for result in product.results:
        row = expected[str(result.enterprise_id)]
        close = abs(float(result.total) - row["total"]) <= 1e-9 * max(1.0, abs(row["total"]))
        assert close, (result.enterprise_id, result.total, row["total"])
        assert result.rank == row["rnk"] and result.band == row["band"], (result, row)
    return len(expected)


def timed(function: object, runs: int) -> tuple[list[float], list[float], object]:
    """Wall and CPU seconds of each run (CPU time is what a loaded machine does not inflate)."""
    walls, cpus, value = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        value = function()  # type: ignore[operator]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=35_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ruleset = load_ruleset_file(shipped_ruleset_path(RULESET))
    current, prior = generate(args.firms, args.seed)
    current_table, prior_table = arrow_of(current), arrow_of(prior)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"{platform.machine()} · {python} · duckdb {duckdb.__version__}")
    print(f"{args.firms} firms (seed {args.seed}), rule set {RULESET}")

    product_times, product_cpu, product = timed(
        lambda: evaluate(ruleset, current, reference=prior), args.runs
    )
    baseline_times, baseline_cpu, table = timed(lambda: baseline(current_table, prior_table), args.runs)
    arrow_times, _, _ = timed(lambda: to_arrow(product), 1)
    assert isinstance(product, EvaluationResult) and isinstance(table, pa.Table)
    evaluated = check(product, table)
    best_product, best_baseline = min(product_times), min(baseline_times)
    print(f"evaluated {evaluated} firms, excluded {len(product.excluded)}; totals, ranks and bands agree")
    median = statistics.median
    print(
        f"evaluate():          best {best_product:.3f} s, median {median(product_times):.3f} s, "
        f"cpu {min(product_cpu):.3f} s"
    )
    print(
        f"DuckDB SQL baseline: best {best_baseline:.3f} s, median {median(baseline_times):.3f} s, "
        f"cpu {min(baseline_cpu):.3f} s (DuckDB runs threads: its cpu may exceed its wall time)"
    )
    print(f"to_arrow() of the trace: {arrow_times[0]:.3f} s")
    print(f"ratio evaluate / baseline (best): {best_product / best_baseline:.1f}×")
    print(f"goal ≤ 3 s for 35 000 firms: {'met' if best_product <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
