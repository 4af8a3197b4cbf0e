"""Helpers of the S1 import tests: preview and commit a generated file, count what an import may change."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kunlu.core.imports.services import import_commit, import_preview
from kunlu.core.models import AuditEvent, ImportBatch, ImportRecord, ImportStatus, Period, Territory
from kunlu.core.services import period_for
from kunlu.core.tests.importfiles import upload, xlsx_bytes
from kunlu.indicators import services
from kunlu.indicators.models import Indicator, Observation, Target, UnitObservation


def install_catalogue() -> dict[str, Indicator]:
    """The default catalogue, by code."""
    services.catalogue_install_defaults(actor=None)
    return {i.code: i for i in Indicator.objects.all()}


def preview(
    dataset: str, actor: Any, rows: Sequence[Sequence[Any]], headers: Sequence[Any], content: bytes = b""
) -> ImportBatch:
    """Preview an xlsx of the headers and rows, or the given file (an xlsx made again is another file:
    its properties carry the moment it was made)."""
    content = content or xlsx_bytes(rows, headers=headers)
    return import_preview(dataset=dataset, uploaded_file=upload(content), actor=actor)


def committed(
    dataset: str, actor: Any, rows: Sequence[Sequence[Any]], headers: Sequence[Any], content: bytes = b""
) -> ImportBatch:
    """Preview and commit an xlsx, which must pass."""
    batch = preview(dataset, actor, rows, headers, content)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    batch = import_commit(batch=batch, actor=actor)
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    return batch


def counts() -> dict[str, Any]:
    """What an S1 import may change: facts and their versions, targets, the catalogue, lineage, events."""
    return {
        "observations": Observation.objects.count(),
        "observation_versions": sorted(Observation.objects.values_list("pk", "version", "superseded_at")),
        "unit_observations": sorted(UnitObservation.objects.values_list("pk", "version", "superseded_at")),
        "targets": sorted(Target.objects.values_list("pk", "version", "superseded_at")),
        "indicators": Indicator.objects.count(),
        "periods": Period.objects.count(),
        "indicator_history": Indicator.history.count(),
        "records": ImportRecord.objects.count(),
        "events": AuditEvent.objects.filter(event__startswith="indicators.").count(),
    }


def refused(dataset: str, actor: Any, rows: Sequence[Sequence[Any]], headers: Sequence[Any]) -> ImportBatch:
    """A file the preview refuses and the commit will not write: nothing changes."""
    before = counts()
    batch = preview(dataset, actor, rows, headers)
    assert batch.status == ImportStatus.INVALID, batch.summary
    with pytest.raises(ValidationError):
        import_commit(batch=batch, actor=actor)
    assert counts() == before
    return batch


def reasons(batch: ImportBatch, row: int | None, column: str) -> list[str]:
    """The reasons reported for one cell."""
    return [e["reason"] for e in batch.errors if e["row"] == row and e["column"] == column]


def record(
    indicator: Indicator,
    territory: Territory,
    year: int,
    month: int,
    value: str,
    basis: str = "ytd",
) -> Observation:
    """A territory's observation recorded by hand."""
    fact, _written = services.observation_record(
        indicator=indicator,
        territory=territory,
        period=period_for(year, month),
        basis=basis,
        value=Decimal(value),
        actor=None,
    )
    return fact
