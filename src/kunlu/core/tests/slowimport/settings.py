"""Settings for the worker-kill test: Kunlu's own, plus the test app that declares the slow dataset."""

from kunlu.config.settings import *  # noqa: F403
from kunlu.config.settings import INSTALLED_APPS

# Installed under its own top-level name (the test puts this folder on PYTHONPATH): Kunlu mounts the urls
# of every app named kunlu.*, and this one has none.
INSTALLED_APPS = [*INSTALLED_APPS, "slowimport"]
# The test builds its users in a subprocess; hashing strength is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
