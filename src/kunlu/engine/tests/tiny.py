"""A hand-made city of three zones whose bulletin for 2025, months 1–3, is worked out by hand in the tests.

Units: 1, 2 in Z1; 3, 4 in Z2; 5 in Z3; 6 in ZX (a zone the city does not have). Indicators:
A  u1 reports both years (and a fact in 2024-04, after the window); u2 stopped last year; u3 entered this
   year (one fact of 0 in March); u4 reported 40 last year and only a 0 this year; u6 (unknown zone),
   unit 999 (unknown) and indicator IX (unknown) must be ignored.
B  ties: Z1 and Z2 both 10 this year and 10 last year; Z3 only a 0 last year.
G  growth: Z1 +20%, Z2 +5% (from two facts in the same month, both counted), Z3 exactly +10%.
R  rare: only u5 (Z3), new this year.
N  no facts at all.
Targets 2025: A for every zone (and a stray one for ZX); B for Z1 (20) and Z2 (0) only; G and N for every
zone; R only for 2024, which the 2025 bulletin must ignore.
"""

from __future__ import annotations

import pyarrow as pa

from kunlu.engine import ArrowTables, ReportingMonth

MONTH = ReportingMonth(2025, 3)

FACTS = [
    (1, "A", 202401, 10.0),
    (1, "A", 202402, 10.0),
    (1, "A", 202403, 10.0),
    (1, "A", 202404, 100.0),
    (1, "A", 202312, 5.0),
    (1, "A", 202501, 12.0),
    (1, "A", 202503, 18.0),
    (2, "A", 202402, 20.0),
    (3, "A", 202502, 5.0),
    (3, "A", 202503, 0.0),
    (4, "A", 202401, 40.0),
    (4, "A", 202501, 0.0),
    (4, "A", 202504, 999.0),
    (6, "A", 202501, 1000.0),
    (999, "A", 202501, 500.0),
    (1, "IX", 202501, 77.0),
    (1, "B", 202403, 10.0),
    (1, "B", 202503, 10.0),
    (3, "B", 202401, 10.0),
    (3, "B", 202501, 10.0),
    (5, "B", 202402, 0.0),
    (1, "G", 202402, 100.0),
    (1, "G", 202502, 120.0),
    (3, "G", 202401, 100.0),
    (3, "G", 202501, 50.0),
    (3, "G", 202501, 55.0),
    (5, "G", 202403, 100.0),
    (5, "G", 202503, 110.0),
    (5, "R", 202502, 7.0),
]

TARGETS = [
    ("Z1", "A", 2025, 60.0),
    ("Z2", "A", 2025, 10.0),
    ("Z3", "A", 2025, 20.0),
    ("ZX", "A", 2025, 500.0),
    ("Z1", "A", 2024, 999.0),
    ("Z1", "B", 2025, 20.0),
    ("Z2", "B", 2025, 0.0),
    ("Z1", "G", 2025, 100.0),
    ("Z2", "G", 2025, 100.0),
    ("Z3", "G", 2025, 100.0),
    ("Z1", "G", 2024, 90.0),
    ("Z1", "N", 2025, 1.0),
    ("Z2", "N", 2025, 2.0),
    ("Z3", "N", 2025, 3.0),
    ("Z1", "R", 2024, 5.0),
    ("Z2", "R", 2024, 5.0),
    ("Z3", "R", 2024, 5.0),
]


def tiny_city() -> ArrowTables:
    """The five input tables; zones and indicators deliberately not in code order."""
    unit_id, indicator, period, value = zip(*FACTS, strict=True)
    zone, target_indicator, year, target = zip(*TARGETS, strict=True)
    return ArrowTables(
        {
            "zones": pa.table({"zone_code": ["Z3", "Z1", "Z2"], "zone_name": ["三区", "一区", "二区"]}),
            "units": pa.table(
                {
                    "unit_id": pa.array([1, 2, 3, 4, 5, 6], pa.int64()),
                    "zone_code": ["Z1", "Z1", "Z2", "Z2", "Z3", "ZX"],
                    "industry": ["C39"] * 6,
                    "size_factor": [1.0] * 6,
                }
            ),
            "indicators": pa.table(
                {
                    "indicator_code": ["G", "R", "A", "N", "B"],
                    "name": ["增长", "稀有", "甲", "无", "并列"],
                    "unit": ["万元"] * 5,
                }
            ),
            "facts": pa.table(
                {
                    "unit_id": pa.array(unit_id, pa.int64()),
                    "indicator_code": pa.array(indicator, pa.string()),
                    "period": pa.array(period, pa.int32()),
                    "value": pa.array(value, pa.float64()),
                }
            ),
            "targets": pa.table(
                {
                    "zone_code": pa.array(zone, pa.string()),
                    "indicator_code": pa.array(target_indicator, pa.string()),
                    "year": pa.array(year, pa.int32()),
                    "target": pa.array(target, pa.float64()),
                }
            ),
        }
    )
