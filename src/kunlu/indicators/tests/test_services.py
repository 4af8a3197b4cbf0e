"""S1 services: facts are versioned, never overwritten, and readable as of any past moment."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kunlu.core.models import AuditEvent
from kunlu.core.services import period_for
from kunlu.core.testing import World
from kunlu.core.versions import as_of
from kunlu.indicators import services
from kunlu.indicators.models import Indicator, Observation, Target, UnitObservation
from kunlu.indicators.selectors import observation_list


@pytest.fixture
def catalogue(world: World) -> dict[str, Indicator]:
    services.catalogue_install_defaults(actor=None)
    return {i.code: i for i in Indicator.objects.all()}


def test_default_catalogue_names_the_seed_indicators(catalogue: dict[str, Indicator]) -> None:
    names = {i.name for i in catalogue.values()}
    for name in (
        "地区生产总值",
        "规上工业总产值",
        "规上工业增加值",
        "一般公共预算收入",
        "固定资产投资",
        "工业投资",
        "社会消费品零售总额",
        "外贸进出口总额",
        "出口总额",
        "进口总额",
        "实际使用外资",
        "注册外资",
        "规上服务业营业收入",
        "高新技术产业产值",
        "高新技术产业产值占比",
        "全社会用电量",
        "税收总收入",
    ):
        assert name in names
    assert catalogue["trade"].currency == "USD" and catalogue["trade"].unit == "万美元"
    assert catalogue["hitech_share"].numerator == catalogue["hitech_output"]
    assert catalogue["export"].parent == catalogue["trade"]


def test_installing_the_catalogue_twice_adds_nothing_and_keeps_edits(catalogue: dict[str, Indicator]) -> None:
    Indicator.objects.filter(code="gdp").update(name="GDP（改）")
    assert services.catalogue_install_defaults(actor=None) == []
    assert Indicator.objects.get(code="gdp").name == "GDP（改）"


def test_a_revision_is_a_new_version_and_the_old_one_is_kept(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    sept = period_for(2025, 9)
    first, written = services.observation_record(
        indicator=catalogue["trade"],
        territory=world.zone_a,
        period=sept,
        basis="ytd",
        value=Decimal("752000"),
        actor=world.analyst_a,
    )
    assert written and first.version == 1
    same, written = services.observation_record(
        indicator=catalogue["trade"],
        territory=world.zone_a,
        period=sept,
        basis="ytd",
        value=Decimal("752000"),
        actor=world.analyst_a,
    )
    assert not written and same == first
    second, written = services.observation_record(
        indicator=catalogue["trade"],
        territory=world.zone_a,
        period=sept,
        basis="ytd",
        value=Decimal("752500"),
        actor=world.analyst_a,
    )
    assert written and second.version == 2
    first.refresh_from_db()
    assert first.value == Decimal("752000") and first.superseded_at == second.recorded_at
    assert Observation.objects.filter(superseded_at__isnull=True).get() == second
    assert AuditEvent.objects.filter(event="indicators.observation.revise", object_id=str(second.pk)).exists()


def test_questions_as_of_a_past_moment_get_the_answer_of_then(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    sept = period_for(2025, 9)
    t0 = timezone.now() - timedelta(days=10)
    record = services.observation_record
    record(
        indicator=catalogue["fdi_actual"],
        territory=world.zone_a,
        period=sept,
        basis="ytd",
        value=Decimal("22700"),
        actor=None,
        at=t0,
    )
    record(
        indicator=catalogue["fdi_actual"],
        territory=world.zone_a,
        period=sept,
        basis="ytd",
        value=Decimal("22900"),
        actor=None,
        at=t0 + timedelta(days=5),
    )
    qs = Observation.objects.all()
    assert list(as_of(qs, t0 - timedelta(seconds=1))) == []
    assert [o.value for o in as_of(qs, t0 + timedelta(days=1))] == [Decimal("22700")]
    assert [o.value for o in as_of(qs, t0 + timedelta(days=5))] == [Decimal("22900")]
    assert [o.value for o in as_of(qs, None)] == [Decimal("22900")]


def test_only_one_current_version_per_key(world: World, catalogue: dict[str, Indicator]) -> None:
    sept = period_for(2025, 9)
    services.observation_record(
        indicator=catalogue["gdp"],
        territory=world.zone_a,
        period=sept,
        basis="ytd",
        value=Decimal(1),
        actor=None,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=catalogue["gdp"],
            territory=world.zone_a,
            period=sept,
            basis="ytd",
            value=Decimal(2),
            version=9,
        )


def test_enterprise_facts_belong_to_enterprises(world: World, catalogue: dict[str, Indicator]) -> None:
    sept = period_for(2025, 9)
    fact, _ = services.unit_observation_record(
        indicator=catalogue["ind_output"],
        enterprise=world.enterprise_a,
        period=sept,
        basis="month",
        value=Decimal("1234.5"),
        actor=world.enterprise_user_a,
    )
    assert fact.territory == world.zone_a
    with pytest.raises(ValidationError) as info:
        services.unit_observation_record(
            indicator=catalogue["ind_output"],
            enterprise=world.bureau_a,
            period=sept,
            basis="month",
            value=Decimal(1),
            actor=None,
        )
    assert info.value.error_dict["enterprise"][0].code == "not_enterprise"
    assert list(UnitObservation.objects.restrict(world.enterprise_user_b)) == []
    assert list(UnitObservation.objects.restrict(world.enterprise_user_a)) == [fact]


def test_inactive_indicators_take_no_data(world: World, catalogue: dict[str, Indicator]) -> None:
    Indicator.objects.filter(code="gdp").update(is_active=False)
    with pytest.raises(ValidationError) as info:
        services.observation_record(
            indicator=Indicator.objects.get(code="gdp"),
            territory=world.zone_a,
            period=period_for(2025, 9),
            basis="ytd",
            value=Decimal(1),
            actor=None,
        )
    assert info.value.error_dict["indicator"][0].code == "indicator_inactive"


def test_targets_are_versioned(world: World, catalogue: dict[str, Indicator]) -> None:
    services.target_set(
        indicator=catalogue["fai"], territory=world.zone_a, year=2025, value=Decimal(100), actor=None
    )
    services.target_set(
        indicator=catalogue["fai"], territory=world.zone_a, year=2025, value=Decimal(120), actor=None
    )
    assert [t.value for t in Target.objects.order_by("version")] == [Decimal(100), Decimal(120)]
    assert Target.objects.get(superseded_at__isnull=True).version == 2


def test_zone_users_see_only_their_zones_observations(world: World, catalogue: dict[str, Indicator]) -> None:
    sept = period_for(2025, 9)
    for zone in (world.zone_a, world.zone_b):
        services.observation_record(
            indicator=catalogue["gdp"], territory=zone, period=sept, basis="ytd", value=Decimal(1), actor=None
        )
    assert {o.territory for o in observation_list(user=world.analyst_a)} == {world.zone_a}
    assert {o.territory for o in observation_list(user=world.city_analyst)} == {world.zone_a, world.zone_b}
    assert list(observation_list(user=world.nobody_a)) == []


def test_negative_values_only_where_the_catalogue_allows_them(
    world: World, catalogue: dict[str, Indicator]
) -> None:
    record = services.observation_record
    with pytest.raises(ValidationError) as info:
        record(
            indicator=catalogue["ind_output"],
            territory=world.zone_a,
            period=period_for(2025, 9),
            basis="ytd",
            value=Decimal(-5),
            actor=None,
        )
    assert info.value.error_dict["value"][0].code == "negative"
    Indicator.objects.filter(code="ind_output").update(allows_negative=True)
    fact, written = record(
        indicator=Indicator.objects.get(code="ind_output"),
        territory=world.zone_a,
        period=period_for(2025, 9),
        basis="ytd",
        value=Decimal(-5),
        actor=None,
    )
    assert written and fact.value == Decimal(-5)
