"""The city bulletin (经济运行简报): every zone × indicator plus a CITY row, wired from the metrics.

Input tables (names and columns as in bench/README.md): facts, units, zones, indicators, targets.
The query is one sqlglot tree; a backend renders it for its dialect. Shape of the plan, chosen for speed:
facts are filtered to the two windows and summed per unit and indicator first (the only pass over the big
table), then joined to the small unit table and summed per zone, and the rest works on 13·K rows.
"""

from __future__ import annotations

from sqlglot import exp

from kunlu.engine import metrics
from kunlu.engine.periods import ReportingMonth
from kunlu.engine.sql import (
    as_bigint,
    as_double,
    between,
    both,
    col,
    either,
    lit,
    named,
    null,
    total,
    zero_if_null,
)

CITY = "CITY"

# The output contract: column name and Arrow type, in order.
BULLETIN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("zone_code", "string"),
    ("indicator_code", "string"),
    ("month_value", "double"),
    ("ytd_value", "double"),
    ("prior_ytd_value", "double"),
    ("yoy_nominal", "double"),
    ("comp_ytd", "double"),
    ("comp_prior", "double"),
    ("yoy_comparable", "double"),
    ("share_of_city", "double"),
    ("rank_ytd", "int64"),
    ("rank_yoy", "int64"),
    ("target", "double"),
    ("target_completion", "double"),
    ("time_progress", "double"),
    ("progress_gap_pp", "double"),
)

# Columns summed from facts at unit level, at zone level and again for the city.
SUMS = ("month_value", "ytd_value", "prior_ytd_value")
# Columns of a zone row that the CITY row sums.
ROW_SUMS = (*SUMS, "comp_ytd", "comp_prior")
# The city's values carried on every row as city_<name>, the parent of shares and pulls.
CITY_VALUES = ("ytd_value", "prior_ytd_value", "comp_ytd", "comp_prior")

Ctes = list[tuple[str, exp.Select]]


def _table(name: str, alias: str | None = None) -> exp.Table:
    table = exp.to_table(name)
    return exp.Table(this=table.this, alias=exp.TableAlias(this=exp.to_identifier(alias))) if alias else table


def _same(name: str, left: str, right: str) -> exp.Expr:
    return col(name, left).eq(col(name, right))


def unit_totals(month: ReportingMonth) -> exp.Select:
    """Per unit and indicator: the sums of the two windows and the last period reported.

    Rows are filtered to the prior and current windows first, so "period ≥ January of Y" selects the
    current window and "period < January of Y" the prior one.
    """
    period, value = col("period"), col("value")
    current_start = lit(month.current_start)
    in_windows = either(
        between(period, month.prior_start, month.prior_end),
        between(period, month.current_start, month.report_period),
    )
    return (
        exp.select(
            col("unit_id"),
            col("indicator_code"),
            named(metrics.month_value(value, period.eq(lit(month.report_period))), "month_value"),
            named(metrics.ytd_value(value, period >= current_start), "ytd_value"),
            named(metrics.prior_ytd_value(value, period < current_start), "prior_ytd_value"),
            named(metrics.last_period(period), "last_period"),
        )
        .from_(_table("facts"))
        .where(in_windows)
        .group_by(col("unit_id"), col("indicator_code"))
    )


def zone_totals(month: ReportingMonth) -> exp.Select:
    """Per zone (of the unit) and indicator: the window sums and the comparable-basis prior sum."""
    in_comparable_set = metrics.reports_this_year(col("last_period", "t"), lit(month.current_start))
    return (
        exp.select(
            col("zone_code", "u"),
            col("indicator_code", "t"),
            *(named(total(col(name, "t")), name) for name in SUMS),
            named(metrics.comp_prior(col("prior_ytd_value", "t"), in_comparable_set), "comp_prior"),
        )
        .from_(_table("unit_totals", "t"))
        .join(_table("units", "u"), on=_same("unit_id", "u", "t"))
        .group_by(col("zone_code", "u"), col("indicator_code", "t"))
    )


def zone_rows() -> exp.Select:
    """Every zone × indicator (with or without facts): sums (0 when empty) and this year's target."""
    return (
        exp.select(
            col("zone_code", "z"),
            col("indicator_code", "i"),
            *(named(as_double(zero_if_null(col(name, "t"))), name) for name in SUMS),
            named(metrics.comp_ytd(as_double(zero_if_null(col("ytd_value", "t")))), "comp_ytd"),
            named(as_double(zero_if_null(col("comp_prior", "t"))), "comp_prior"),
            named(as_double(col("target", "g")), "target"),
        )
        .from_(_table("zone_list", "z"))
        .join(_table("indicator_list", "i"), join_type="cross")
        .join(
            _table("zone_totals", "t"),
            on=both(_same("zone_code", "t", "z"), _same("indicator_code", "t", "i")),
            join_type="left",
        )
        .join(
            _table("zone_targets", "g"),
            on=both(_same("zone_code", "g", "z"), _same("indicator_code", "g", "i")),
            join_type="left",
        )
    )


def ranked_zone_rows() -> exp.Select:
    """The zone rows with their ranks among the zones of each indicator."""
    zone, indicator = col("zone_code"), col("indicator_code")
    yoy = metrics.yoy_comparable(col("comp_ytd"), col("comp_prior"))
    return exp.select(
        zone,
        indicator,
        *(col(name) for name in ROW_SUMS),
        col("target"),
        named(metrics.rank_ytd(col("ytd_value"), zone, indicator), "rank_ytd"),
        named(metrics.rank_yoy(yoy, zone, indicator), "rank_yoy"),
        named(lit(0), "is_city"),
    ).from_(_table("zone_rows"))


def city_rows() -> exp.Select:
    """The CITY row of each indicator: sums of its zone rows, and the city target when every zone has one."""
    return (
        exp.select(
            named(lit(CITY), "zone_code"),
            col("indicator_code"),
            *(named(total(col(name)), name) for name in ROW_SUMS),
            named(metrics.city_target(col("target")), "target"),
            named(as_bigint(null()), "rank_ytd"),
            named(as_bigint(null()), "rank_yoy"),
            named(lit(1), "is_city"),
        )
        .from_(_table("zone_rows"))
        .group_by(col("indicator_code"))
    )


def bulletin_rows() -> exp.Select:
    """Zone and CITY rows side by side with the city's own values (the parent of every share and pull)."""
    every_row = exp.union(ranked_zone_rows(), city_rows(), distinct=False)
    return (
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("r")),
            *(named(col(name, "c"), f"city_{name}") for name in CITY_VALUES),
        )
        .from_(every_row.subquery("r"))
        .join(_table("city_rows", "c"), on=_same("indicator_code", "c", "r"))
    )


def bulletin_ctes(month: ReportingMonth) -> Ctes:
    """The common table expressions every bulletin-level query starts from, in dependency order."""
    zone_list = exp.select(col("zone_code")).from_(_table("zones")).distinct()
    indicator_list = exp.select(col("indicator_code")).from_(_table("indicators")).distinct()
    zone_targets = (
        exp.select(col("zone_code"), col("indicator_code"), col("target"))
        .from_(_table("targets"))
        .where(col("year").eq(lit(month.year)))
    )
    return [
        ("unit_totals", unit_totals(month)),
        ("zone_totals", zone_totals(month)),
        ("zone_list", zone_list),
        ("indicator_list", indicator_list),
        ("zone_targets", zone_targets),
        ("zone_rows", zone_rows()),
        ("city_rows", city_rows()),
        ("bulletin_rows", bulletin_rows()),
    ]


def with_ctes(query: exp.Select, ctes: Ctes) -> exp.Select:
    """query preceded by WITH name AS (...) for each CTE."""
    for name, cte in ctes:
        query = query.with_(name, as_=cte, copy=False)
    return query


def in_bulletin_order(query: exp.Select) -> exp.Select:
    """Sorted by indicator, then zone code, with the CITY row last within each indicator."""
    return query.order_by(col("indicator_code"), col("is_city"), col("zone_code"), copy=False)


def bulletin_query(month: ReportingMonth) -> exp.Select:
    """The city bulletin for a reporting month: the 16 columns of bench/README.md, in its row order."""
    ytd, target = col("ytd_value"), col("target")
    completion = metrics.target_completion(ytd, target)
    progress = metrics.time_progress(lit(month.month))
    query = exp.select(
        col("zone_code"),
        col("indicator_code"),
        col("month_value"),
        ytd,
        col("prior_ytd_value"),
        named(metrics.yoy_nominal(ytd, col("prior_ytd_value")), "yoy_nominal"),
        col("comp_ytd"),
        col("comp_prior"),
        named(metrics.yoy_comparable(col("comp_ytd"), col("comp_prior")), "yoy_comparable"),
        named(metrics.share_of_city(ytd, col("city_ytd_value")), "share_of_city"),
        col("rank_ytd"),
        col("rank_yoy"),
        target,
        named(completion, "target_completion"),
        named(progress, "time_progress"),
        named(metrics.progress_gap_pp(completion, progress), "progress_gap_pp"),
    ).from_(_table("bulletin_rows"))
    return in_bulletin_order(with_ctes(query, bulletin_ctes(month)))
