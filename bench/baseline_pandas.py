"""The city bulletin of ../../shared/bench/README.md in plain pandas, a baseline of bench/bulletin.py.

    python bench/baseline_pandas.py --data DIR --year Y --month M --out FILE.parquet

Written the way an analyst would write it with pandas, reading the spec top to bottom: read the files,
keep the facts of the two windows, sum per unit and indicator (the comparable basis is a per-unit rule),
attach the zone, sum per zone and indicator, fill in every zone × indicator pair, add the CITY rows,
then the ratios and the ranks. groupby and merge only; no hand tuning (no categoricals, no numpy kernels,
no column pruning beyond what the spec names). Needs pandas ≥ 2 and pyarrow (installed by hand).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

SUMS = ["month_value", "ytd_value", "prior_ytd_value", "comp_ytd", "comp_prior"]
COLUMNS = [
    "zone_code",
    "indicator_code",
    "month_value",
    "ytd_value",
    "prior_ytd_value",
    "yoy_nominal",
    "comp_ytd",
    "comp_prior",
    "yoy_comparable",
    "share_of_city",
    "rank_ytd",
    "rank_yoy",
    "target",
    "target_completion",
    "time_progress",
    "progress_gap_pp",
]


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, missing (null) where the denominator is 0 or missing."""
    return (numerator / denominator).where(denominator.notna() & (denominator != 0))


def rank_within_indicator(rows: pd.DataFrame, column: str) -> pd.Series:
    """Position 1..n within each indicator: column descending (missing last), then zone_code ascending."""
    ordered = rows.sort_values(
        ["indicator_code", column, "zone_code"], ascending=[True, False, True], na_position="last"
    )
    return ordered.groupby("indicator_code").cumcount().add(1).reindex(rows.index)


def bulletin(data: Path, year: int, month: int) -> pd.DataFrame:
    """The bulletin table for month `month` of `year`, rows and columns in the spec's order."""
    report_period = year * 100 + month
    current_start, prior_start, prior_end = year * 100 + 1, (year - 1) * 100 + 1, (year - 1) * 100 + month

    zones = pd.read_parquet(data / "zones.parquet")
    units = pd.read_parquet(data / "units.parquet")
    indicators = pd.read_parquet(data / "indicators.parquet")
    targets = pd.read_parquet(data / "targets.parquet")
    facts = pd.read_parquet(data / "facts.parquet")

    # Facts of the current window C and of the prior window P; the rest is not used.
    in_current = facts["period"].between(current_start, report_period)
    in_prior = facts["period"].between(prior_start, prior_end)
    facts = facts[in_current | in_prior]
    in_current = facts["period"] >= current_start
    facts = facts.assign(
        month_value=facts["value"].where(facts["period"] == report_period, 0.0),
        ytd_value=facts["value"].where(in_current, 0.0),
        prior_ytd_value=facts["value"].where(~in_current, 0.0),
        current_facts=in_current.astype("int64"),
    )

    # Per unit and indicator; a unit is in the comparable basis S when it has a fact in C.
    per_unit = facts.groupby(["unit_id", "indicator_code"], as_index=False)[
        ["month_value", "ytd_value", "prior_ytd_value", "current_facts"]
    ].sum()
    per_unit["comp_ytd"] = per_unit["ytd_value"].where(per_unit["current_facts"] > 0, 0.0)
    per_unit["comp_prior"] = per_unit["prior_ytd_value"].where(per_unit["current_facts"] > 0, 0.0)

    # Zone of each unit (units of zones not in zones.parquet drop out), then sums per zone and indicator.
    unit_zones = units[["unit_id", "zone_code"]].merge(zones[["zone_code"]], on="zone_code")
    per_unit = per_unit.merge(unit_zones, on="unit_id")
    per_zone = per_unit.groupby(["zone_code", "indicator_code"], as_index=False)[SUMS].sum()

    # Every zone × indicator pair, with or without facts (facts of unknown indicators drop out here).
    grid = (
        zones[["zone_code"]]
        .drop_duplicates()
        .merge(indicators[["indicator_code"]].drop_duplicates(), how="cross")
    )
    zone_rows = grid.merge(per_zone, on=["zone_code", "indicator_code"], how="left")
    zone_rows[SUMS] = zone_rows[SUMS].fillna(0.0)
    year_targets = targets.loc[targets["year"] == year, ["zone_code", "indicator_code", "target"]]
    zone_rows = zone_rows.merge(year_targets, on=["zone_code", "indicator_code"], how="left")
    zone_rows["target"] = zone_rows["target"].astype("float64")

    zone_rows["yoy_comparable"] = ratio(zone_rows["comp_ytd"], zone_rows["comp_prior"]) - 1
    zone_rows["rank_ytd"] = rank_within_indicator(zone_rows, "ytd_value")
    zone_rows["rank_yoy"] = rank_within_indicator(zone_rows, "yoy_comparable")

    # CITY rows: sums of the zone rows; the target only when every zone has one.
    city_rows = zone_rows.groupby("indicator_code", as_index=False).agg(
        **{name: (name, "sum") for name in SUMS},
        target=("target", "sum"),
        targets=("target", "count"),
        zones=("zone_code", "count"),
    )
    city_rows["target"] = city_rows["target"].where(city_rows["targets"] == city_rows["zones"])
    city_rows = city_rows.drop(columns=["targets", "zones"]).assign(zone_code="CITY")
    city_rows["yoy_comparable"] = ratio(city_rows["comp_ytd"], city_rows["comp_prior"]) - 1

    rows = pd.concat([zone_rows, city_rows], ignore_index=True)
    city_ytd = rows["indicator_code"].map(city_rows.set_index("indicator_code")["ytd_value"])
    rows["yoy_nominal"] = ratio(rows["ytd_value"], rows["prior_ytd_value"]) - 1
    rows["share_of_city"] = ratio(rows["ytd_value"], city_ytd)
    rows["target_completion"] = ratio(rows["ytd_value"], rows["target"])
    rows["time_progress"] = month / 12
    rows["progress_gap_pp"] = (rows["target_completion"] - rows["time_progress"]) * 100
    rows["rank_ytd"] = rows["rank_ytd"].astype("Int64")
    rows["rank_yoy"] = rows["rank_yoy"].astype("Int64")

    rows["is_city"] = rows["zone_code"] == "CITY"
    rows = rows.sort_values(["indicator_code", "is_city", "zone_code"], ignore_index=True)
    return rows[COLUMNS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--month", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    # Missing values become Parquet nulls (pyarrow turns NaN into null when converting from pandas).
    bulletin(args.data, args.year, args.month).to_parquet(args.out, index=False)


if __name__ == "__main__":
    main()
