-- The city bulletin of ../../shared/bench/README.md as plain DuckDB SQL, written by hand for speed: the
-- baseline the product (`kunlu engine bulletin`) is timed against. bench/bulletin.py fills in ${data},
-- ${year}, ${month}, ${report_period} (YM), ${current_start} (Y01), ${prior_start} ((Y-1)01) and
-- ${prior_end} ((Y-1)M) and runs it as COPY (...) TO the output file.
-- Plan: the only pass over facts sums per unit and indicator (ELSE 0 keeps the sums on DuckDB's non-NULL
-- path, measured faster than FILTER or NULL-producing CASE); everything after that works on small tables.
WITH unit_totals AS (
    SELECT
        unit_id,
        indicator_code,
        sum(CASE WHEN period = ${report_period} THEN value ELSE 0 END) AS month_value,
        sum(CASE WHEN period >= ${current_start} THEN value ELSE 0 END) AS ytd_value,
        sum(CASE WHEN period < ${current_start} THEN value ELSE 0 END) AS prior_ytd_value,
        max(period) AS last_period
    FROM read_parquet('${data}/facts.parquet')
    WHERE period BETWEEN ${prior_start} AND ${prior_end} OR period BETWEEN ${current_start} AND ${report_period}
    GROUP BY ALL
),
zone_totals AS (
    SELECT
        u.zone_code,
        t.indicator_code,
        sum(t.month_value) AS month_value,
        sum(t.ytd_value) AS ytd_value,
        sum(t.prior_ytd_value) AS prior_ytd_value,
        sum(t.prior_ytd_value) FILTER (WHERE t.last_period >= ${current_start}) AS comp_prior
    FROM unit_totals AS t
    JOIN read_parquet('${data}/units.parquet') AS u USING (unit_id)
    GROUP BY ALL
),
zone_rows AS (
    SELECT
        z.zone_code,
        i.indicator_code,
        coalesce(t.month_value, 0) AS month_value,
        coalesce(t.ytd_value, 0) AS ytd_value,
        coalesce(t.prior_ytd_value, 0) AS prior_ytd_value,
        coalesce(t.ytd_value, 0) AS comp_ytd,
        coalesce(t.comp_prior, 0) AS comp_prior,
        g.target::DOUBLE AS target
    FROM (SELECT DISTINCT zone_code FROM read_parquet('${data}/zones.parquet')) AS z
    CROSS JOIN (SELECT DISTINCT indicator_code FROM read_parquet('${data}/indicators.parquet')) AS i
    LEFT JOIN zone_totals AS t USING (zone_code, indicator_code)
    LEFT JOIN (
        SELECT zone_code, indicator_code, target
        FROM read_parquet('${data}/targets.parquet')
        WHERE year = ${year}
    ) AS g USING (zone_code, indicator_code)
),
city_rows AS (
    SELECT
        'CITY' AS zone_code,
        indicator_code,
        sum(month_value) AS month_value,
        sum(ytd_value) AS ytd_value,
        sum(prior_ytd_value) AS prior_ytd_value,
        sum(comp_ytd) AS comp_ytd,
        sum(comp_prior) AS comp_prior,
        CASE WHEN count(target) = count(*) THEN sum(target) END AS target,
        NULL::BIGINT AS rank_ytd,
        NULL::BIGINT AS rank_yoy,
        1 AS is_city
    FROM zone_rows
    GROUP BY indicator_code
),
all_rows AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY indicator_code ORDER BY ytd_value DESC, zone_code) AS rank_ytd,
        row_number() OVER (
            PARTITION BY indicator_code
            ORDER BY comp_ytd / nullif(comp_prior, 0) - 1 DESC NULLS LAST, zone_code
        ) AS rank_yoy,
        0 AS is_city
    FROM zone_rows
    UNION ALL
    SELECT * FROM city_rows
)
SELECT
    a.zone_code,
    a.indicator_code,
    a.month_value,
    a.ytd_value,
    a.prior_ytd_value,
    a.ytd_value / nullif(a.prior_ytd_value, 0) - 1 AS yoy_nominal,
    a.comp_ytd,
    a.comp_prior,
    a.comp_ytd / nullif(a.comp_prior, 0) - 1 AS yoy_comparable,
    a.ytd_value / nullif(c.ytd_value, 0) AS share_of_city,
    a.rank_ytd,
    a.rank_yoy,
    a.target,
    a.ytd_value / nullif(a.target, 0) AS target_completion,
    ${month} / 12 AS time_progress,
    (a.ytd_value / nullif(a.target, 0) - ${month} / 12) * 100 AS progress_gap_pp
FROM all_rows AS a
JOIN city_rows AS c USING (indicator_code)
ORDER BY a.indicator_code, a.is_city, a.zone_code
