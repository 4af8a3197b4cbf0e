"""A slow organisations dataset, installed only by the worker-kill test's settings.

Each saved row is counted in a file beside the data (outside the database transaction) and followed by
a pause, so that the test can kill the worker while an import is half-way through its transaction.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from kunlu.accounts.imports import OrganisationDataset
from kunlu.core.imports.datasets import register

ROW_PAUSE_SECONDS = 0.2


def rows_written_file() -> Path:
    return Path(settings.DATA_DIR) / "slow-import-rows-written"


@register
class SlowOrganisationDataset(OrganisationDataset):
    """Organisations, saved at a walking pace."""

    name = "tests.slow_organisation"
    title = gettext_lazy("慢速机构导入（测试用）")

    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        result = super().save_row(values, actor=actor)
        marker = rows_written_file()
        written = int(marker.read_text()) if marker.exists() else 0
        marker.write_text(str(written + 1))
        time.sleep(ROW_PAUSE_SECONDS)
        return result
