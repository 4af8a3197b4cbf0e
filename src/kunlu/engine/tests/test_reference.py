"""The bulletin against a plain-Python reading of bench/README.md, line by line, on generated data."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kunlu.engine import ParquetDir, ReportingMonth, bulletin
from kunlu.engine.bulletin import BULLETIN_COLUMNS
from kunlu.engine.compare import differences
from kunlu.engine.duckdb_backend import DuckDBBackend


def _ratio(a: float, b: float | None) -> float | None:
    return None if b is None or b == 0 else a / b


def reference_bulletin(data: Path, year: int, month: int) -> pa.Table:
    """The specification computed the slow, obvious way: dictionaries and loops."""
    read = {
        name: pq.read_table(data / f"{name}.parquet").to_pylist() for name in ("zones", "units", "indicators")
    }
    zones = sorted({r["zone_code"] for r in read["zones"]})
    indicators = sorted({r["indicator_code"] for r in read["indicators"]})
    zone_of: dict[int, str] = {r["unit_id"]: r["zone_code"] for r in read["units"]}
    current = range(year * 100 + 1, year * 100 + month + 1)
    prior = range((year - 1) * 100 + 1, (year - 1) * 100 + month + 1)
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unit_prior: dict[tuple[str, str, int], float] = defaultdict(float)
    reporting: set[tuple[str, str, int]] = set()
    for f in pq.read_table(data / "facts.parquet").to_pylist():
        zone = zone_of.get(f["unit_id"], "")
        if zone not in zones or f["indicator_code"] not in indicators:
            continue
        key: tuple[str, str] = (zone, f["indicator_code"])
        if f["period"] in current:
            sums[key]["ytd"] += f["value"]
            reporting.add((*key, f["unit_id"]))
            if f["period"] == year * 100 + month:
                sums[key]["month"] += f["value"]
        elif f["period"] in prior:
            sums[key]["prior"] += f["value"]
            unit_prior[(*key, f["unit_id"])] += f["value"]
    for (zone, indicator, unit), value in unit_prior.items():
        if (zone, indicator, unit) in reporting:
            sums[(zone, indicator)]["comp_prior"] += value
    targets = {
        (t["zone_code"], t["indicator_code"]): t["target"]
        for t in pq.read_table(data / "targets.parquet").to_pylist()
        if t["year"] == year
    }
    rows: list[dict[str, Any]] = []
    for indicator in indicators:
        block = []
        for zone in zones:
            s = sums[(zone, indicator)]
            block.append(
                {
                    "zone_code": zone,
                    "month": s["month"],
                    "ytd": s["ytd"],
                    "prior": s["prior"],
                    "comp_prior": s["comp_prior"],
                    "target": targets.get((zone, indicator)),
                }
            )
        every_target = all(b["target"] is not None for b in block)
        city = {k: sum(b[k] for b in block) for k in ("month", "ytd", "prior", "comp_prior")}
        city |= {"zone_code": "CITY", "target": sum(b["target"] for b in block) if every_target else None}
        yoy = {b["zone_code"]: _ratio(b["ytd"], b["comp_prior"]) for b in block}
        by_ytd = sorted(block, key=lambda b: (-b["ytd"], b["zone_code"]))
        by_yoy = sorted(
            block, key=lambda b: (yoy[b["zone_code"]] is None, -(yoy[b["zone_code"]] or 0), b["zone_code"])
        )
        for b in [*block, city]:
            zone = b["zone_code"]
            completion = _ratio(b["ytd"], b["target"])
            growth = _ratio(b["ytd"], b["comp_prior"])
            nominal = _ratio(b["ytd"], b["prior"])
            rows.append(
                {
                    "zone_code": zone,
                    "indicator_code": indicator,
                    "month_value": b["month"],
                    "ytd_value": b["ytd"],
                    "prior_ytd_value": b["prior"],
                    "yoy_nominal": None if nominal is None else nominal - 1,
                    "comp_ytd": b["ytd"],
                    "comp_prior": b["comp_prior"],
                    "yoy_comparable": None if growth is None else growth - 1,
                    "share_of_city": _ratio(b["ytd"], city["ytd"]),
                    "rank_ytd": None if zone == "CITY" else by_ytd.index(b) + 1,
                    "rank_yoy": None if zone == "CITY" else by_yoy.index(b) + 1,
                    "target": b["target"],
                    "target_completion": completion,
                    "time_progress": month / 12,
                    "progress_gap_pp": None if completion is None else (completion - month / 12) * 100,
                }
            )
    schema = pa.schema([(name, pa.type_for_alias(kind)) for name, kind in BULLETIN_COLUMNS])
    return pa.Table.from_pylist(rows, schema=schema)


@pytest.mark.parametrize("month", [9, 1, 12])
def test_bulletin_matches_the_plain_reading(generated: Path, month: int) -> None:
    engine = bulletin(DuckDBBackend(ParquetDir(generated)), ReportingMonth(2025, month))
    assert differences(engine, reference_bulletin(generated, 2025, month)) == []
