"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest

from kunlu.core.testing import World, build_world


@pytest.fixture
def world(db: None) -> World:
    """Two zones of one city with users of every standing (see kunlu.core.testing)."""
    return build_world()


@pytest.fixture(autouse=True)
def _test_settings(settings: pytest.FixtureRequest) -> None:
    """Tests render pages without collectstatic (static names as they are) and hash passwords fast."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing strength is not under test here; a fast hasher keeps the world fixture cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
