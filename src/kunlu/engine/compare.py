"""The benchmark's comparison rule for two bulletin tables (bench/README.md, "Output")."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

RELATIVE = 1e-9
ABSOLUTE = 1e-6


def doubles_equal(a: float | None, b: float | None) -> bool:
    """|a − b| ≤ max(1e-9 · max(|a|, |b|), 1e-6); NULL equals only NULL."""
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= max(RELATIVE * max(abs(a), abs(b)), ABSOLUTE)


def _is_string(data_type: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(data_type) or pa.types.is_large_string(data_type))


def differences(left: pa.Table, right: pa.Table, *, limit: int = 20) -> list[str]:
    """Where two tables differ under the rule (same columns, types and row order); empty when they agree.

    Strings may be any Arrow string type; doubles compare with the tolerance, everything else exactly.
    """
    import pyarrow as pa

    if left.column_names != right.column_names:
        return [f"columns differ: {left.column_names} != {right.column_names}"]
    found: list[str] = []
    for name, lt, rt in zip(left.column_names, left.schema.types, right.schema.types, strict=True):
        if lt != rt and not (_is_string(lt) and _is_string(rt)):
            found.append(f"{name}: type {lt} != {rt}")
    if left.num_rows != right.num_rows:
        found.append(f"row count {left.num_rows} != {right.num_rows}")
    if found:
        return found
    for name, data_type in zip(left.column_names, left.schema.types, strict=True):
        is_double = pa.types.is_floating(data_type)
        for row, (a, b) in enumerate(zip(left[name].to_pylist(), right[name].to_pylist(), strict=True)):
            if not (doubles_equal(a, b) if is_double else a == b):
                found.append(f"row {row}, {name}: {a!r} != {b!r}")
                if len(found) >= limit:
                    return found
    return found
