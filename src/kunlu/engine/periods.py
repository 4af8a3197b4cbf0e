"""The reporting month of a bulletin and the two windows it compares (本年1–N月 and 上年同期)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportingMonth:
    """Month M of year Y: the current window is Y01..YM, the prior window the same months of Y−1."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1..9999, got {self.year}")

    @property
    def report_period(self) -> int:
        """YM, the period (YYYYMM) of the reporting month itself (当月)."""
        return self.year * 100 + self.month

    @property
    def current_start(self) -> int:
        """First period of the current window (January of Y)."""
        return self.year * 100 + 1

    @property
    def prior_start(self) -> int:
        """First period of the prior window (January of Y−1)."""
        return (self.year - 1) * 100 + 1

    @property
    def prior_end(self) -> int:
        """Last period of the prior window (month M of Y−1)."""
        return (self.year - 1) * 100 + self.month
