"""Registering, updating and renaming enterprises: the rules, and each way they refuse (by error code)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.models import AuditEvent
from kunlu.core.testing import World
from kunlu.enterprises import services
from kunlu.enterprises.choices import SpecialisedLevel
from kunlu.enterprises.models import EnterpriseName, EnterpriseProfile, Industry
from kunlu.enterprises.tests.conftest import registration


def codes(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str | None]:
    return [e.code for e in exc.value.error_dict[field]]


def bad_check_digit(serial: int = 301) -> str:
    good = demo_uscc(serial)
    return good[:17] + ("0" if good[17] != "0" else "1")


# -- register -----------------------------------------------------------------------------------------------


def test_register_creates_the_organisation_profile_and_first_name(world: World) -> None:
    profile = services.enterprise_register(
        data=registration(world.zone_a, founded_on=date(2015, 3, 1)), actor=world.analyst_a
    )
    org = profile.organisation
    assert (org.kind, org.territory, org.uscc) == (OrganisationKind.ENTERPRISE, world.zone_a, demo_uscc(301))
    assert (org.contact_name, org.contact_phone) == ("张三", "0512-50000000")
    assert profile.is_above_scale and profile.industry.code == "34"  # type: ignore[union-attr]
    assert [(n.name, n.valid_from, n.valid_to) for n in org.names.all()] == [
        (org.name, date(2015, 3, 1), None)
    ]
    event = AuditEvent.objects.get(event="enterprises.enterprise.register")
    assert event.data["created"] is True and event.actor == world.analyst_a


def test_register_twice_merges_into_the_same_enterprise_when_importing(world: World) -> None:
    first = services.enterprise_register(data=registration(world.zone_a), actor=world.analyst_a)
    again = services.enterprise_register(
        data=registration(world.zone_a, uscc=demo_uscc(301).lower(), employees=150),
        actor=world.analyst_a,
        merge=True,
    )
    assert again.pk == first.pk
    assert Organisation.objects.filter(uscc=demo_uscc(301)).count() == 1
    assert EnterpriseProfile.objects.count() == 1 and again.employees == 150
    assert AuditEvent.objects.filter(event="enterprises.enterprise.register").first().data["merged"] is True  # type: ignore[union-attr]


def test_registering_a_credit_code_again_is_refused_and_keeps_the_stored_values(world: World) -> None:
    services.enterprise_register(data=registration(world.zone_a), actor=world.analyst_a)
    blank_form = {"uscc": demo_uscc(301), "name": "", "territory": world.zone_a, "employees": None}
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(data=blank_form, actor=world.analyst_a)
    assert codes(exc, "uscc") == ["uscc_registered"]
    assert "测试装备制造有限公司301" in exc.value.error_dict["uscc"][0].message
    profile = EnterpriseProfile.objects.get()
    assert profile.employees == 120 and profile.industry.code == "34"  # type: ignore[union-attr]


@pytest.mark.parametrize("has_profile", [False, True])
def test_register_cannot_take_over_an_enterprise_of_another_zone(world: World, has_profile: bool) -> None:
    if has_profile:
        services.enterprise_register(data={"uscc": world.enterprise_b.uscc, "employees": 30}, actor=None)
    data = {"uscc": world.enterprise_b.uscc, "name": "乙区测试企业", "territory": world.zone_a}
    for merge in (False, True):
        with pytest.raises(ValidationError) as exc:
            services.enterprise_register(data=data, actor=world.analyst_a, merge=merge)
        assert codes(exc, "uscc") == ["out_of_scope"]
    world.enterprise_b.refresh_from_db()
    assert world.enterprise_b.territory == world.zone_b
    assert EnterpriseProfile.objects.filter(organisation=world.enterprise_b).count() == int(has_profile)


def test_register_an_organisation_already_known_adds_its_profile(world: World) -> None:
    before = Organisation.objects.count()
    profile = services.enterprise_register(
        data={"uscc": world.enterprise_a.uscc, "is_high_tech": True, "high_tech_year": 2023}, actor=None
    )
    assert profile.organisation == world.enterprise_a and profile.is_high_tech
    assert Organisation.objects.count() == before


def test_register_with_another_name_renames_from_today(world: World) -> None:
    services.enterprise_register(data=registration(world.zone_a), actor=None)
    profile = services.enterprise_register(
        data=registration(world.zone_a, name="测试装备新名称"), actor=None, merge=True
    )
    assert profile.organisation.name == "测试装备新名称"
    names = EnterpriseName.objects.filter(organisation=profile.organisation)
    assert names.get(valid_to__isnull=True).valid_from == timezone.localdate()


@pytest.mark.parametrize(
    ("uscc", "code"),
    [(bad_check_digit(), "uscc_checksum"), ("91320583MA0000", "uscc_length"), ("", "uscc_required")],
)
def test_register_refuses_a_bad_credit_code(world: World, uscc: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(data=registration(world.zone_a, uscc=uscc), actor=None)
    assert codes(exc, "uscc") == [code]
    assert not EnterpriseProfile.objects.exists()


def test_the_check_digit_message_names_the_field_and_the_right_digit() -> None:
    with pytest.raises(ValidationError) as exc:
        services.uscc_validate(bad_check_digit())
    assert exc.value.messages[0].startswith("统一社会信用代码校验位错误：")
    assert f"应为“{demo_uscc(301)[17]}”" in exc.value.messages[0]


def test_register_refuses_a_code_of_another_kind_of_organisation(world: World) -> None:
    account_services.organisation_create(
        data={
            "name": "测试院所",
            "kind": OrganisationKind.SOLVER,
            "territory": world.zone_a,
            "uscc": demo_uscc(302),
        },
        actor=None,
    )
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(data=registration(world.zone_a, serial=302), actor=None)
    assert codes(exc, "uscc") == ["not_enterprise"]


@pytest.mark.parametrize(("field", "code"), [("name", "name_required"), ("territory", "territory_required")])
def test_a_new_enterprise_needs_name_and_territory(world: World, field: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(data={**registration(world.zone_a), field: None}, actor=None)
    assert codes(exc, field) == [code]


def _this_year() -> int:
    return timezone.localdate().year


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"land_area_mu": "0"}, "land_area_mu", "land_area"),
        ({"land_area_mu": "-3"}, "land_area_mu", "land_area"),
        ({"industry": "C"}, "industry", "industry_level"),
        ({"high_tech_year": 2022}, "high_tech_year", "high_tech_flag"),
        ({"is_high_tech": True, "high_tech_year": 2001}, "high_tech_year", "high_tech_year"),
        ({"is_foreign": True}, "foreign_origin", "foreign_origin_required"),
        ({"foreign_origin": "德国"}, "foreign_origin", "foreign_flag"),
        ({"registered_capital": "-1"}, "registered_capital", "capital_negative"),
        ({"founded_on": "tomorrow"}, "founded_on", "founded_future"),
    ],
)
def test_register_refuses_an_inconsistent_profile(
    world: World, extra: dict[str, Any], field: str, code: str
) -> None:
    if extra.get("industry"):
        extra["industry"] = Industry.objects.get(code=extra["industry"])
    if extra.get("founded_on") == "tomorrow":
        extra["founded_on"] = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(data=registration(world.zone_a, **extra), actor=None)
    assert codes(exc, field) == [code]
    assert not Organisation.objects.filter(uscc=demo_uscc(301)).exists()  # nothing half-written


def test_the_land_message_says_it_must_be_above_zero(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.enterprise_register(data=registration(world.zone_a, land_area_mu="0"), actor=None)
    assert "用地面积须大于0" in exc.value.message_dict["land_area_mu"][0]


# -- update -------------------------------------------------------------------------------------------------


def test_update_changes_the_profile_and_moves_the_enterprise(world: World) -> None:
    profile = services.enterprise_register(data=registration(world.zone_a), actor=None)
    services.enterprise_update(
        obj=profile,
        data={
            "territory": world.zone_b,
            "specialised_level": SpecialisedLevel.PROVINCIAL,
            "contact_name": "李四",
        },
        actor=world.admin,
    )
    profile.refresh_from_db()
    assert profile.organisation.territory == world.zone_b and profile.specialised_level == "provincial"
    assert profile.organisation.contact_name == "李四"
    event = AuditEvent.objects.get(event="enterprises.enterprise.update")
    assert event.data["changes"]["specialised_level"] == ["none", "provincial"]


def test_update_refuses_another_credit_code(world: World) -> None:
    profile = services.enterprise_register(data=registration(world.zone_a), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_update(obj=profile, data={"uscc": demo_uscc(303)}, actor=None)
    assert codes(exc, "uscc") == ["uscc_immutable"]


def test_update_refuses_land_of_zero(world: World) -> None:
    profile = services.enterprise_register(data=registration(world.zone_a), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_update(obj=profile, data={"land_area_mu": 0}, actor=None)
    assert codes(exc, "land_area_mu") == ["land_area"]


# -- rename -------------------------------------------------------------------------------------------------


def test_rename_closes_the_old_name_and_opens_the_new(world: World) -> None:
    profile = services.enterprise_register(
        data=registration(world.zone_a, founded_on=date(2010, 1, 1)), actor=None
    )
    org = profile.organisation
    old = org.name
    services.enterprise_rename(
        enterprise=org, name="测试智能装备有限公司", effective=date(2024, 7, 1), actor=world.admin
    )
    org.refresh_from_db()
    assert org.name == "测试智能装备有限公司"
    history = [
        (n.name, n.valid_from, n.valid_to)
        for n in EnterpriseName.objects.filter(organisation=org).order_by("id")
    ]
    assert history == [
        (old, date(2010, 1, 1), date(2024, 6, 30)),
        ("测试智能装备有限公司", date(2024, 7, 1), None),
    ]
    event = AuditEvent.objects.get(event="enterprises.enterprise.rename")
    assert event.data == {"from": old, "to": "测试智能装备有限公司", "effective": "2024-07-01"}


def test_renaming_an_enterprise_without_history_keeps_its_old_name(world: World) -> None:
    services.enterprise_rename(
        enterprise=world.enterprise_a, name="甲区更名企业", effective=date(2024, 1, 1), actor=None
    )
    names = list(EnterpriseName.objects.filter(organisation=world.enterprise_a).order_by("id"))
    assert [(n.name, n.valid_to) for n in names] == [
        ("甲区测试企业", date(2023, 12, 31)),
        ("甲区更名企业", None),
    ]


@pytest.mark.parametrize(
    ("name", "effective", "field", "code"),
    [
        ("甲区测试企业", date(2024, 1, 1), "name", "name_unchanged"),
        ("  ", date(2024, 1, 1), "name", "name_required"),
        ("甲区新名", "tomorrow", "effective", "effective_future"),
        ("甲区新名", date(2014, 1, 1), "effective", "effective_order"),
        ("甲区经发局", date(2024, 1, 1), "name", None),
    ],
)
def test_rename_refusals(world: World, name: str, effective: Any, field: str, code: str | None) -> None:
    services.enterprise_rename(
        enterprise=world.enterprise_a, name="甲区测试企业二", effective=date(2015, 1, 1), actor=None
    )
    services.enterprise_rename(
        enterprise=world.enterprise_a, name="甲区测试企业", effective=date(2016, 1, 1), actor=None
    )
    if effective == "tomorrow":
        effective = timezone.localdate() + timedelta(days=1)
    if code is None:  # a name another enterprise of the zone bears
        services.enterprise_register(data=registration(world.zone_a, name="甲区同名企业"), actor=None)
        name, code = "甲区同名企业", "name_taken"
    with pytest.raises(ValidationError) as exc:
        services.enterprise_rename(enterprise=world.enterprise_a, name=name, effective=effective, actor=None)
    assert codes(exc, field) == [code]


def test_rename_refuses_an_organisation_that_is_not_an_enterprise(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.enterprise_rename(
            enterprise=world.bureau_a, name="新名", effective=date(2024, 1, 1), actor=None
        )
    assert codes(exc, "name") == ["not_enterprise"]
