"""What drove growth: 拉动 and 贡献率 of zones and of enterprises, and the bulletin's highlight counts.

All on the comparable basis (可比口径), so the parts add up to the whole: the zones' pulls sum to the city's
comparable growth in percentage points, their contribution rates to 1; an enterprise's pull and
contribution are measured against its zone. These tables are for S1's pages, not the benchmark output.
"""

from __future__ import annotations

from sqlglot import exp

from kunlu.engine import metrics
from kunlu.engine.bulletin import bulletin_ctes, in_bulletin_order, with_ctes
from kunlu.engine.periods import ReportingMonth
from kunlu.engine.sql import col, count_where, lit, named, position_in, zero_if_null

ZONE_GROWTH_COLUMNS = (
    "zone_code",
    "indicator_code",
    "comp_ytd",
    "comp_prior",
    "yoy_comparable",
    "increment",
    "pull_pp",
    "contribution_rate",
    "share_of_city",
    "prior_share_of_city",
    "double_digit_growth",
    "share_rose",
)
# The bulletin CTEs an enterprise-level query needs.
_UNIT_CTES = {"unit_totals", "zone_totals", "zone_list", "indicator_list"}


def _zone_growth(month: ReportingMonth) -> exp.Select:
    """The zone-growth columns over the bulletin rows (without the CTEs and the ordering)."""
    comp_ytd, comp_prior = col("comp_ytd"), col("comp_prior")
    increment = metrics.comparable_increment(comp_ytd, comp_prior)
    city_increment = metrics.comparable_increment(col("city_comp_ytd"), col("city_comp_prior"))
    share = metrics.share_of_city(col("ytd_value"), col("city_ytd_value"))
    prior_share = metrics.prior_share_of_city(col("prior_ytd_value"), col("city_prior_ytd_value"))
    yoy = metrics.yoy_comparable(comp_ytd, comp_prior)
    return exp.select(
        col("zone_code"),
        col("indicator_code"),
        col("is_city"),
        comp_ytd,
        comp_prior,
        named(yoy, "yoy_comparable"),
        named(increment, "increment"),
        named(metrics.pull_pp(increment, col("city_comp_prior")), "pull_pp"),
        named(metrics.contribution_rate(increment, city_increment), "contribution_rate"),
        named(share, "share_of_city"),
        named(prior_share, "prior_share_of_city"),
        named(metrics.double_digit_growth(yoy), "double_digit_growth"),
        named(metrics.share_rose(share, prior_share), "share_rose"),
    ).from_(exp.to_table("bulletin_rows"))


def zone_growth_query(month: ReportingMonth) -> exp.Select:
    """Per zone and indicator (and CITY): increment, 拉动 and 贡献率 on the city, 两位数增长, 占比提升."""
    query = exp.select(*(col(name) for name in ZONE_GROWTH_COLUMNS)).from_(_zone_growth(month).subquery("g"))
    return in_bulletin_order(with_ctes(query, bulletin_ctes(month)))


def highlight_counts_query(month: ReportingMonth) -> exp.Select:
    """Per zone (and CITY): how many indicators grew by double digits and how many raised their city share."""
    query = (
        exp.select(
            col("zone_code"),
            named(count_where(col("double_digit_growth")), "double_digit_count"),
            named(count_where(col("share_rose")), "share_up_count"),
        )
        .from_(_zone_growth(month).subquery("g"))
        .group_by(col("zone_code"), col("is_city"))
        .order_by(col("is_city"), col("zone_code"))
    )
    return with_ctes(query, bulletin_ctes(month))


def unit_contributions_query(month: ReportingMonth, top_n: int = 10) -> exp.Select:
    """The top N enterprises of each zone and indicator by comparable increment, with 拉动 and 贡献率.

    Only units of the comparable set (reporting this year) take part, as in the zone's comparable growth.
    Equal increments are ordered by unit_id.
    """
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    unit_ytd = zero_if_null(col("ytd_value", "t"))
    unit_prior = zero_if_null(col("prior_ytd_value", "t"))
    increment = metrics.comparable_increment(unit_ytd, unit_prior)
    zone_increment = metrics.comparable_increment(col("ytd_value", "z"), col("comp_prior", "z"))
    zone, indicator = col("zone_code", "u"), col("indicator_code", "t")
    ranked = (
        exp.select(
            named(zone, "zone_code"),
            named(indicator, "indicator_code"),
            named(position_in([zone, indicator], [(increment, True), (col("unit_id", "t"), False)]), "rank"),
            col("unit_id", "t"),
            named(unit_ytd, "comp_ytd"),
            named(unit_prior, "comp_prior"),
            named(increment, "increment"),
            named(metrics.pull_pp(increment, col("comp_prior", "z")), "pull_pp"),
            named(metrics.contribution_rate(increment, zone_increment), "contribution_rate"),
        )
        .from_(exp.to_table("unit_totals").as_("t"))
        .join(exp.to_table("units").as_("u"), on=col("unit_id", "u").eq(col("unit_id", "t")))
        .join(exp.to_table("zone_list").as_("l"), on=col("zone_code", "l").eq(zone))
        .join(exp.to_table("indicator_list").as_("i"), on=col("indicator_code", "i").eq(indicator))
        .join(
            exp.to_table("zone_totals").as_("z"),
            on=exp.and_(col("zone_code", "z").eq(zone), col("indicator_code", "z").eq(indicator)),
        )
        .where(metrics.reports_this_year(col("last_period", "t"), lit(month.current_start)))
    )
    query = (
        exp.select(exp.Star())
        .from_(ranked.subquery("r"))
        .where(col("rank") <= lit(top_n))
        .order_by(col("indicator_code"), col("zone_code"), col("rank"))
    )
    ctes = [(name, cte) for name, cte in bulletin_ctes(month) if name in _UNIT_CTES]
    return with_ctes(query, ctes)
