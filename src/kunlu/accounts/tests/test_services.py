"""Account services: organisations with valid credit codes, default roles, grants."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kunlu.accounts import services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Role
from kunlu.core.models import AuditEvent
from kunlu.core.testing import World


def test_uscc_is_normalised(world: World) -> None:
    code = demo_uscc(7)
    org = services.organisation_create(
        data={"name": "新企业", "kind": "enterprise", "territory": world.zone_a, "uscc": f" {code.lower()} "},
        actor=world.admin,
    )
    assert org.uscc == code


@pytest.mark.parametrize("bad", ["91320583MA00000019", "1234", "91320583MA0000001!"])
def test_a_wrong_uscc_is_refused_naming_the_field(world: World, bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        services.organisation_create(
            data={"name": "错码企业", "kind": "enterprise", "territory": world.zone_a, "uscc": bad},
            actor=None,
        )
    assert info.value.error_dict["uscc"][0].code == "uscc_invalid"


def test_an_enterprise_needs_a_uscc(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        services.organisation_create(
            data={"name": "无码企业", "kind": "enterprise", "territory": world.zone_a, "uscc": ""}, actor=None
        )
    assert info.value.error_dict["uscc"][0].code == "uscc_required"


def test_the_same_uscc_cannot_be_registered_twice(world: World) -> None:
    with pytest.raises(ValidationError):
        services.organisation_create(
            data={
                "name": "重复企业",
                "kind": "enterprise",
                "territory": world.zone_b,
                "uscc": world.enterprise_a.uscc,
            },
            actor=None,
        )


def test_roles_sync_is_idempotent_and_keeps_what_admins_added(world: World) -> None:
    analyst = Role.objects.get(code="analyst")
    from django.contrib.auth.models import Permission

    extra = Permission.objects.get(codename="view_user")
    analyst.permissions.add(extra)
    events = AuditEvent.objects.count()
    assert services.roles_sync(actor=None) == []
    assert AuditEvent.objects.count() == events
    assert analyst.permissions.filter(pk=extra.pk).exists()


def test_role_grant_is_idempotent(world: World) -> None:
    before = world.analyst_a.grants.count()
    services.role_grant(user=world.analyst_a, role_code="analyst", territory=world.zone_a, actor=None)
    assert world.analyst_a.grants.count() == before
