"""The registry demo: the HQ park's eight enterprises profiled; loading twice changes nothing."""

from __future__ import annotations

import pytest

from kunlu.accounts import demo as accounts_demo
from kunlu.core import demo as core_demo
from kunlu.core.models import AuditEvent
from kunlu.enterprises import demo
from kunlu.enterprises.choices import SpecialisedLevel
from kunlu.enterprises.models import EnterpriseName, EnterpriseProfile, Industry


def snapshot() -> tuple[object, ...]:
    return (
        sorted(EnterpriseProfile.objects.values_list("pk", "updated_at")),
        EnterpriseProfile.history.count(),
        EnterpriseName.objects.count(),
        Industry.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_demo_loads_twice_without_change() -> None:
    core_demo.load()
    accounts_demo.load()
    assert demo.load() == []
    first = snapshot()
    assert demo.load() == []
    assert snapshot() == first


@pytest.mark.django_db
def test_the_hq_park_has_eight_headquarters_equipment_makers() -> None:
    core_demo.load()
    accounts_demo.load()
    demo.load()
    park = EnterpriseProfile.objects.filter(organisation__territory__code="KS-GX-ZB").select_related(
        "industry"
    )
    assert park.count() == 8
    assert all(p.is_headquarters and p.is_above_scale and p.land_area_mu for p in park)
    assert {p.industry.code[:2] for p in park} <= {"34", "35", "40"}  # type: ignore[union-attr]
    assert park.filter(specialised_level=SpecialisedLevel.LITTLE_GIANT).count() == 5
    every = EnterpriseProfile.objects.count()
    assert every == 9  # with 昆山示例光电科技 in the development zone
    kf = EnterpriseProfile.objects.get(organisation__territory__code="KS-KF-GL")
    assert kf.is_foreign and kf.foreign_origin and not kf.is_headquarters
