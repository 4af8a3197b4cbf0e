"""Fixtures of the registry tests: uploaded files kept per test, a registration's data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kunlu.accounts.demo import demo_uscc
from kunlu.core.models import Territory
from kunlu.enterprises.models import Industry


@pytest.fixture
def import_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files kept in the test's own folder."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def registration(territory: Territory, serial: int = 301, **extra: Any) -> dict[str, Any]:
    """The data of a new enterprise of general equipment making (大类 34), with a valid credit code."""
    return {
        "uscc": demo_uscc(serial),
        "name": f"测试装备制造有限公司{serial}",
        "territory": territory,
        "industry": Industry.objects.get(code="34"),
        "is_above_scale": True,
        "employees": 120,
        "land_area_mu": "25.5",
        "contact_name": "张三",
        "contact_phone": "0512-50000000",
        **extra,
    }
