"""The bulletin's metrics, one pure function each, named after what it returns.

Every function takes column expressions (base columns or other metrics) and returns one; none does I/O.
`kunlu.engine.bulletin` and `kunlu.engine.growth` wire them into queries, and the backends run the very same
expression on DuckDB and on Spark. Growth rates are fractions (0.051 = 5.1%); "_pp" values are percentage
points (个百分点). Rules and worked examples: docs/domain.md §3 and bench/README.md.
"""

from __future__ import annotations

from kunlu.engine.sql import (
    Column,
    as_double,
    count_rows,
    count_values,
    false_if_null,
    highest,
    if_then,
    lit,
    mul,
    position_in,
    quotient,
    ratio,
    sub,
    total,
    total_where,
)

DOUBLE_DIGIT_GROWTH = 0.10  # 两位数增长: growth of 10% or more


# --- sums of unit facts (aggregates) ---------------------------------------------------------------------


def month_value(value: Column, in_report_month: Column) -> Column:
    """当月值: Σ value of the reporting month itself."""
    return total_where(value, in_report_month)


def ytd_value(value: Column, in_current_window: Column) -> Column:
    """本年1–N月累计: Σ value over January..M of this year."""
    return total_where(value, in_current_window)


def prior_ytd_value(value: Column, in_prior_window: Column) -> Column:
    """上年同期累计: Σ value over January..M of last year, for every unit that reported then."""
    return total_where(value, in_prior_window)


def last_period(period: Column) -> Column:
    """The latest period (YYYYMM) in which a unit reported an indicator."""
    return highest(period)


def reports_this_year(last_period: Column, current_start: Column) -> Column:
    """可比口径 membership: the unit reported the indicator at least once in this year's window."""
    return last_period >= current_start


def comp_ytd(ytd_value: Column) -> Column:
    """可比口径本年累计: this year's reporting units' values, which is simply the year-to-date value."""
    return ytd_value


def comp_prior(prior_ytd_value: Column, reports_this_year: Column) -> Column:
    """可比口径上年同期: last year's values restated for this year's reporting units only."""
    return total_where(prior_ytd_value, reports_this_year)


def city_target(target: Column) -> Column:
    """全市年度目标: Σ zone targets, only when every zone has one (aggregate over an indicator's zones)."""
    return if_then(count_values(target).eq(count_rows()), total(target))


# --- rates of one row ------------------------------------------------------------------------------------


def yoy_nominal(ytd_value: Column, prior_ytd_value: Column) -> Column:
    """名义同比: year-to-date against last year's published year-to-date; NULL when that was 0."""
    return sub(ratio(ytd_value, prior_ytd_value), lit(1))


def yoy_comparable(comp_ytd: Column, comp_prior: Column) -> Column:
    """可比口径同比: growth of this year's reporting units against the same units a year earlier."""
    return sub(ratio(comp_ytd, comp_prior), lit(1))


def share_of_city(ytd_value: Column, city_ytd_value: Column) -> Column:
    """占全市比重: the row's year-to-date value over the city's; NULL when the city's is 0."""
    return ratio(ytd_value, city_ytd_value)


def prior_share_of_city(prior_ytd_value: Column, city_prior_ytd_value: Column) -> Column:
    """上年同期占全市比重: the same share one year earlier."""
    return ratio(prior_ytd_value, city_prior_ytd_value)


def target_completion(ytd_value: Column, target: Column) -> Column:
    """完成年度目标: year-to-date value over the annual target; NULL without a (non-zero) target."""
    return ratio(ytd_value, target)


def time_progress(month: Column) -> Column:
    """序时进度: the share of the year elapsed, M / 12."""
    return quotient(as_double(month), lit(12))


def progress_gap_pp(target_completion: Column, time_progress: Column) -> Column:
    """超(慢于)序时进度 … 个百分点: target completion minus time progress, in percentage points."""
    return mul(sub(target_completion, time_progress), lit(100))


# --- ranks among the zones of one indicator (windows) ----------------------------------------------------


def rank_ytd(ytd_value: Column, zone_code: Column, indicator_code: Column) -> Column:
    """总量位次: 1 for the largest year-to-date value among the zones; equal values go by zone code."""
    return position_in([indicator_code], [(ytd_value, True), (zone_code, False)])


def rank_yoy(yoy_comparable: Column, zone_code: Column, indicator_code: Column) -> Column:
    """增速位次: 1 for the fastest comparable growth; zones without a growth rate come last, then by code."""
    return position_in([indicator_code], [(yoy_comparable, True), (zone_code, False)])


# --- what drove growth (拉动, 贡献率) and the bulletin's highlights -----------------------------------------


def comparable_increment(comp_ytd: Column, comp_prior: Column) -> Column:
    """可比增量: this year's value minus the same units' value a year earlier."""
    return sub(comp_ytd, comp_prior)


def pull_pp(increment: Column, parent_comp_prior: Column) -> Column:
    """拉动 (个百分点): a part's increment over the whole's base a year earlier, × 100."""
    return mul(ratio(increment, parent_comp_prior), lit(100))


def contribution_rate(increment: Column, parent_increment: Column) -> Column:
    """贡献率: a part's share of the whole's increment; NULL when the whole did not change."""
    return ratio(increment, parent_increment)


def double_digit_growth(yoy: Column) -> Column:
    """两位数增长: growth of 10% or more (false when there is no growth rate)."""
    return false_if_null(yoy >= lit(DOUBLE_DIGIT_GROWTH))


def share_rose(share_of_city: Column, prior_share_of_city: Column) -> Column:
    """占比提升: the share of the city is higher than in the same period last year (false when unknown)."""
    return false_if_null(share_of_city > prior_share_of_city)
