"""Fixtures of the direct-reporting tests: the 规上工业 form, both test enterprises as its members."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from kunlu.core import crud
from kunlu.core.models import Period
from kunlu.core.services import period_for
from kunlu.core.testing import World
from kunlu.indicators.models import Indicator
from kunlu.indicators.services import catalogue_install_defaults
from kunlu.reporting import services
from kunlu.reporting.models import CategoryIndicator, MonthlyReport, ReportingCategory, ReviewRule
from kunlu.reporting.services import LineInput

FORM = [
    ("ind_output", True),
    ("ind_electricity", True),
    ("rd_expense", False),
    ("trade", False),
    ("export", False),
]


@dataclass
class Setup:
    """The world, the 规上工业 category with its form, and the catalogue by code."""

    world: World
    category: ReportingCategory
    ind: dict[str, Indicator]

    def rule(self, indicator: str, kind: str, severity: str, **fields: Any) -> ReviewRule:
        """Add a review rule to the category through the service."""
        if isinstance(fields.get("right_indicator"), str):
            fields["right_indicator"] = self.ind[fields["right_indicator"]]
        return services.review_rule_create(
            data={
                "category": self.category,
                "indicator": self.ind[indicator],
                "kind": kind,
                "severity": severity,
                **fields,
            },
            actor=None,
        )

    def draft(
        self,
        year: int = 2025,
        month: int = 9,
        values: dict[str, Any] | None = None,
        explanations: dict[str, str] | None = None,
        enterprise: Any = None,
        actor: Any = None,
    ) -> MonthlyReport:
        """Save a draft of enterprise A (by default) with the given values (numbers or None)."""
        values = {"ind_output": 1000, "ind_electricity": 50} if values is None else values
        explanations = explanations or {}
        lines = {
            code: LineInput(None if v is None else Decimal(str(v)), explanations.get(code, ""))
            for code, v in values.items()
        }
        for code, text in explanations.items():
            lines.setdefault(code, LineInput(None, text))
        return services.report_save_draft(
            enterprise=enterprise or self.world.enterprise_a,
            category=self.category,
            period=period_for(year, month),
            lines=lines,
            actor=actor or self.world.enterprise_user_a,
        )

    def accepted(
        self, year: int, month: int, values: dict[str, Any], enterprise: Any = None
    ) -> MonthlyReport:
        """A report saved, submitted and accepted: its values become the enterprise's facts."""
        enterprise = enterprise or self.world.enterprise_a
        report = self.draft(year, month, values, enterprise=enterprise)
        services.report_submit(report=report, actor=self.world.enterprise_user_a)
        return services.report_accept(report=report, actor=self.world.analyst_a)


def period(year: int, month: int) -> Period:
    return period_for(year, month)


@pytest.fixture
def setup(world: World) -> Setup:
    catalogue_install_defaults(actor=None)
    ind = {i.code: i for i in Indicator.objects.all()}
    category = crud.record_create(
        model=ReportingCategory,
        data={"code": "industry", "name": "规上工业", "deadline_workday": 5},
        actor=None,
    )
    for order, (code, required) in enumerate(FORM, start=1):
        CategoryIndicator.objects.create(
            category=category, indicator=ind[code], required=required, order=order
        )
    for enterprise in (world.enterprise_a, world.enterprise_b):
        services.membership_create(
            data={
                "enterprise": enterprise,
                "category": category,
                "valid_from": period_for(2025, 1),
                "valid_to": None,
            },
            actor=None,
        )
    return Setup(world, category, ind)
