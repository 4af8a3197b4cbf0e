"""The comparison rule of bench/README.md, which the tests and the benchmark judge outputs by."""

from __future__ import annotations

import pyarrow as pa
import pytest

from kunlu.engine.compare import differences, doubles_equal


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (1.0, 1.0, True),
        (1e9, 1e9 + 0.9, True),  # relative: 1e-9 of 1e9 is 1
        (1e9, 1e9 + 1.1, False),
        (0.0, 9e-7, True),  # absolute floor 1e-6
        (0.0, 2e-6, False),
        (None, None, True),
        (None, 0.0, False),
        (0.0, None, False),
    ],
)
def test_doubles_equal(a: float | None, b: float | None, equal: bool) -> None:
    assert doubles_equal(a, b) is equal


def test_tables_agree_with_any_string_type() -> None:
    left = pa.table({"zone_code": pa.array(["Z1"], pa.string()), "v": [1.0]})
    right = pa.table({"zone_code": pa.array(["Z1"], pa.large_string()), "v": [1.0 + 1e-12]})
    assert differences(left, right) == []


def test_differences_name_the_column_and_row() -> None:
    left = pa.table({"rank_ytd": pa.array([1, 2], pa.int64())})
    assert differences(left, pa.table({"rank_ytd": pa.array([1, 3], pa.int64())})) == [
        "row 1, rank_ytd: 2 != 3"
    ]
    assert differences(left, pa.table({"rank_ytd": pa.array([1, 2], pa.int32())})) == [
        "rank_ytd: type int64 != int32"
    ]
    assert differences(left, pa.table({"rank_ytd": pa.array([1], pa.int64())})) == ["row count 2 != 1"]
    assert differences(left, pa.table({"rank": pa.array([1, 2], pa.int64())}))[0].startswith("columns differ")
