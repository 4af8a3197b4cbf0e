"""Demo data of S1: the default indicator catalogue (figures come with the monitoring slice)."""

from __future__ import annotations

from kunlu.indicators.services import catalogue_install_defaults


def load() -> list[tuple[str, str, str]]:
    catalogue_install_defaults(actor=None)
    return []
