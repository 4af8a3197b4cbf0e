"""Fixtures of the S1 tests that several modules share (the import tests above all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kunlu.core.testing import World
from kunlu.indicators.models import Indicator
from kunlu.indicators.tests.importing import install_catalogue


@pytest.fixture
def import_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files kept in the test's own folder."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def catalogue(world: World) -> dict[str, Indicator]:
    """The default catalogue in the two-zone world, by code."""
    return install_catalogue()
