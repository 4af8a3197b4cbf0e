"""The permission triple for the indicator catalogue (a catalogue: everyone with the role sees all of it)."""

from __future__ import annotations

from kunlu.core.testing import PermissionTriple, World
from kunlu.indicators.models import Indicator
from kunlu.indicators.services import catalogue_install_defaults
from kunlu.indicators.views import IndicatorViewSet


class TestIndicatorTriple(PermissionTriple):
    """The catalogue is not territorial: the triple's "other" is a user with no grant at all."""

    viewset = IndicatorViewSet
    other = "nobody_a"

    def make_object(self, world: World) -> Indicator:
        catalogue_install_defaults(actor=None)
        return Indicator.objects.get(code="trade")

    def test_other_territory_analyst_sees_the_same_catalogue(self, world: World) -> None:
        from kunlu.core.testing import client_for

        indicator = self.make_object(world)
        assert client_for(world.analyst_b).get(self.viewset.detail_url(indicator)).status_code == 200
