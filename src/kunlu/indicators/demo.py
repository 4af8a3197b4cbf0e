"""Demo data of S1: the default catalogue, synthetic enterprises of the demo city and their monthly reports
for 2024-01 … 2025-09, and the zones' 2025 targets, calibrated so that the monitoring of 2025年1–9月 shows
the seed report's figures for 昆山高新区 (see `kunlu.indicators.demo_data`).

Idempotent: enterprises are looked up by their 统一社会信用代码, and a value is written only where the
enterprise's current value differs (a changed demo value becomes a new version, as any revision does).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.models import Period, Territory
from kunlu.core.services import period_for
from kunlu.indicators import demo_data
from kunlu.indicators.models import Indicator, UnitObservation
from kunlu.indicators.services import catalogue_install_defaults, target_set, unit_observation_record

SOURCE = "示例数据（合成）"
Key = tuple[int, int, int, str]  # enterprise, indicator, period, basis


def load() -> list[tuple[str, str, str]]:
    """Install the catalogue, then add whatever of the demo enterprises, reports and targets is missing."""
    catalogue_install_defaults(actor=None)
    enterprises = _enterprises()
    _reports(enterprises)
    _targets()
    return []


def _enterprises() -> dict[int, Organisation]:
    """The demo enterprises by serial, registered through the accounts service when missing."""
    demo = demo_data.ENTERPRISES
    territories = {t.code: t for t in Territory.objects.filter(code__in={e.territory for e in demo})}
    found = {o.uscc: o for o in Organisation.objects.filter(uscc__in=[demo_uscc(e.serial) for e in demo])}
    result = {}
    for enterprise in demo:
        uscc = demo_uscc(enterprise.serial)
        org = found.get(uscc)
        if org is None:
            org = account_services.organisation_create(
                data={
                    "name": enterprise.name,
                    "kind": OrganisationKind.ENTERPRISE,
                    "territory": territories[enterprise.territory],
                    "uscc": uscc,
                    "is_demo": True,
                },
                actor=None,
            )
        result[enterprise.serial] = org
    return result


def _filed_at(year: int, month: int) -> datetime:
    """When a month's report was recorded: the 10th of the following month, 9 o'clock."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timezone.make_aware(datetime(year, month, 10, 9))


def _reports(enterprises: dict[int, Organisation]) -> None:
    """Record each demo report whose value is not already the enterprise's current one."""
    rows = demo_data.reports()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r.indicator for r in rows})}
    periods: dict[tuple[int, int], Period] = {}
    for row in rows:
        if (row.year, row.month) not in periods:
            periods[(row.year, row.month)] = period_for(row.year, row.month)
    current: dict[Key, Decimal] = {
        (e, i, p, b): v
        for e, i, p, b, v in UnitObservation.objects.filter(
            enterprise__in=enterprises.values(), superseded_at__isnull=True
        ).values_list("enterprise_id", "indicator_id", "period_id", "basis", "value")
    }
    missing: list[UnitObservation] = []
    for row in rows:
        enterprise, indicator = enterprises[row.serial], indicators[row.indicator]
        period = periods[(row.year, row.month)]
        key = (enterprise.pk, indicator.pk, period.pk, row.basis)
        if key not in current:
            # A key never recorded: version 1, exactly what unit_observation_record writes (not audited).
            missing.append(
                UnitObservation(
                    indicator=indicator,
                    enterprise=enterprise,
                    territory_id=enterprise.territory_id,
                    period=period,
                    basis=row.basis,
                    value=row.value,
                    version=1,
                    recorded_at=_filed_at(row.year, row.month),
                    source=SOURCE,
                )
            )
        elif current[key] != row.value:
            unit_observation_record(
                indicator=indicator,
                enterprise=enterprise,
                period=period,
                basis=row.basis,
                value=row.value,
                actor=None,
                source=SOURCE,
                audited=False,
            )
    UnitObservation.objects.bulk_create(missing, batch_size=2000)


def _targets() -> None:
    """The zones' 2025 annual targets (target_set writes nothing when the value is unchanged)."""
    zones = {t.code: t for t in Territory.objects.filter(code__in=demo_data.ZONES)}
    indicators = {i.code: i for i in Indicator.objects.all()}
    for zone, code, value in demo_data.targets():
        target_set(
            indicator=indicators[code],
            territory=zones[zone],
            year=demo_data.YEAR,
            value=value,
            actor=None,
            note="示例数据",
        )
