"""The reporting month and its windows."""

from __future__ import annotations

import pytest

from kunlu.engine import ReportingMonth


def test_windows_of_september() -> None:
    month = ReportingMonth(2025, 9)
    assert (month.prior_start, month.prior_end) == (202401, 202409)
    assert (month.current_start, month.report_period) == (202501, 202509)


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_1_to_12_is_refused(month: int) -> None:
    with pytest.raises(ValueError, match="month"):
        ReportingMonth(2025, month)
