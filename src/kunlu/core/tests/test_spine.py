"""The territory × period spine: subtrees by path, months as periods."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kunlu.core.models import Period, Territory, TerritoryKind
from kunlu.core.services import period_for, territory_create, territory_update
from kunlu.core.testing import World


def test_paths_make_subtrees(world: World) -> None:
    park = territory_create(
        data={"code": "ZA-1", "name": "甲区园", "kind": TerritoryKind.PARK, "parent": world.zone_a},
        actor=None,
    )
    subtree = set(Territory.objects.filter(path__startswith=world.zone_a.path))
    assert subtree == {world.zone_a, park}
    assert park.depth == 2 and world.city.depth == 0


def test_moving_refuses_a_cycle(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        territory_update(obj=world.city, data={"parent": world.zone_a}, actor=None)
    assert info.value.error_dict["parent"][0].code == "tree_cycle"


@pytest.mark.django_db
def test_period_for_creates_each_month_once() -> None:
    september = period_for(2025, 9)
    assert period_for(2025, 9) == september
    assert Period.objects.count() == 1
    assert september.code == "2025-09"
    assert (september.first_day.isoformat(), september.last_day.isoformat()) == ("2025-09-01", "2025-09-30")
    assert period_for(2024, 2).last_day.day == 29


@pytest.mark.django_db
def test_period_months_run_from_one_to_twelve() -> None:
    with pytest.raises(ValidationError) as info:
        period_for(2025, 13)
    assert info.value.code == "month_range"
