"""Import services: check an uploaded file against a dataset (preview), then write it all or nothing (commit).

A preview stores the file under DATA_DIR/imports/<sha256>.<type>, reads it within the bounds, checks every
cell and counts what a commit would create, update or leave unchanged, without writing any domain row.
A commit re-reads and re-checks the stored file and writes every row through the dataset in one
transaction, with a lineage row per data row; a file already committed for the dataset changes nothing.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.core import audit, jobs
from kunlu.core.imports import reader
from kunlu.core.imports.datasets import CREATED, UNCHANGED, UPDATED, Column, Dataset, get
from kunlu.core.imports.reader import ErrorDict, FileRejected, Table, cell_error
from kunlu.core.models import ImportBatch, ImportRecord, ImportStatus, Job

logger = logging.getLogger(__name__)

JOB_KIND = "core.import"
# A file can hold 200,000 bad cells; the page lists this many and says how many more there are.
MAX_REPORTED_ERRORS = 1000


class ProgressCallback(Protocol):
    """What a commit reports its progress to (kunlu.core.jobs.Progress in the worker)."""

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


def imports_folder() -> Path:
    """Where uploaded files are kept, named by their SHA-256."""
    return Path(settings.DATA_DIR) / "imports"


def stored_path(batch: ImportBatch) -> Path:
    """The stored file of a batch."""
    return Path(settings.DATA_DIR) / batch.stored_file


def dataset_class(dataset: type[Dataset] | str) -> type[Dataset]:
    """A dataset given by class or by registered name."""
    return get(dataset) if isinstance(dataset, str) else dataset


# -- checking ---------------------------------------------------------------------------------------------


@dataclass
class Checked:
    """The outcome of checking a table: the good rows (row number, values), the errors, the plan."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[ErrorDict] = field(default_factory=list)
    error_count: int = 0
    plan: Counter[str] = field(default_factory=Counter)

    def add(self, error: ErrorDict) -> None:
        """Count an error, keeping the first MAX_REPORTED_ERRORS for the page."""
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def summary(self, row_count: int) -> dict[str, int]:
        """The counts a batch keeps: what would be created, updated, left unchanged; rows; errors."""
        return {
            CREATED: self.plan[CREATED],
            UPDATED: self.plan[UPDATED],
            UNCHANGED: self.plan[UNCHANGED],
            "rows": row_count,
            "errors": self.error_count,
        }


def _add_validation_errors(
    checked: Checked,
    exc: ValidationError,
    *,
    row: int,
    dataset: Dataset,
    raw: dict[str, str],
    column: Column | None = None,
) -> None:
    """Turn a ValidationError (from a parser, a row rule or a service) into errors naming the column.

    Errors keyed by field are shown on that field's column; others on `column` (the cell being read),
    or on the row as a whole.
    """
    if hasattr(exc, "error_dict"):
        items = [(dataset.column_of(name) or column, errors) for name, errors in exc.error_dict.items()]
    else:
        items = [(column, exc.error_list)]
    for where, errors in items:
        title = where.title if where else ""
        value = raw.get(where.field, "") if where else ""
        for error in errors:
            reason = "；".join(error.messages)
            checked.add(cell_error(row, title, value, _row_reason(row, title, reason)))


def _row_reason(row: int, column: str, reason: str) -> str:
    if column:
        return _("第%(row)s行「%(column)s」：%(reason)s") % {"row": row, "column": column, "reason": reason}
    return _("第%(row)s行：%(reason)s") % {"row": row, "reason": reason}


def _map_headers(dataset: Dataset, table: Table, checked: Checked) -> dict[str, int]:
    """The column position of each dataset field present in the file; header problems become errors."""
    by_header = dataset.column_by_header()
    positions: dict[str, int] = {}
    dataset.named_columns = []
    for position, name in enumerate(table.headers):
        if not name:
            continue
        column = by_header.get(name)
        if column is None:
            try:
                column = dataset.header_column(name)
            except ValidationError as exc:
                reason = "；".join(exc.messages)
                checked.add(
                    cell_error(
                        table.header_row,
                        name,
                        name,
                        _("第%(row)s行表头「%(name)s」：%(reason)s")
                        % {"row": table.header_row, "name": name, "reason": reason},
                    )
                )
                continue
            if column is not None:
                dataset.named_columns.append(column)
        if column is None:
            checked.add(
                cell_error(
                    table.header_row,
                    name,
                    name,
                    _("第%(row)s行表头「%(name)s」不是本数据集的列；可用的列：%(columns)s")
                    % {
                        "row": table.header_row,
                        "name": name,
                        "columns": "、".join(c.title for c in dataset.columns),
                    },
                )
            )
        else:
            positions[column.field] = position
    for column in dataset.columns:
        if column.required and column.field not in positions:
            checked.add(
                cell_error(
                    table.header_row,
                    column.title,
                    "",
                    _("缺少必填列「%(name)s」（第%(row)s行表头中没有）")
                    % {"name": column.title, "row": table.header_row},
                )
            )
    return positions


def check_table(dataset: Dataset, table: Table, *, actor: Any) -> Checked:
    """Check every cell of a table against a dataset and plan each good row, writing nothing."""
    checked = Checked()
    for error in table.header_errors:
        checked.add(error)
    positions = _map_headers(dataset, table, checked)
    if checked.error_count:
        return checked  # without a sound header no cell can be placed in its column
    for error in table.cell_errors:
        checked.add(error)
    dataset.prepare(actor=actor)
    parsed: list[tuple[int, dict[str, Any], dict[str, str]]] = []
    columns: list[tuple[Column, int]] = [
        (column, positions[column.field])
        for column in (*dataset.columns, *dataset.named_columns)
        if column.field in positions
    ]
    for row in table.rows:
        values: dict[str, Any] = {}
        raw = {column.field: row.cells[position] for column, position in columns}
        good = True
        for column, position in columns:
            if (row.number, position) in table.skip:
                good = False  # a formula, reported already
                continue
            text = raw[column.field]
            if not text:
                if column.required:
                    good = False
                    checked.add(
                        cell_error(
                            row.number,
                            column.title,
                            "",
                            _row_reason(row.number, column.title, _("必填，不能为空")),
                        )
                    )
                else:
                    values[column.field] = dataset.empty_value(column)
                continue
            try:
                values[column.field] = dataset.parse_cell(column, text, actor=actor)
            except ValidationError as exc:
                good = False
                _add_validation_errors(checked, exc, row=row.number, dataset=dataset, raw=raw, column=column)
        if good:
            try:
                dataset.clean_row(values, actor=actor)
            except ValidationError as exc:
                good = False
                _add_validation_errors(checked, exc, row=row.number, dataset=dataset, raw=raw)
        if good:
            parsed.append((row.number, values, raw))
    unique = _without_duplicates(dataset, parsed, checked)
    records = [(number, record, raw) for number, values, raw in unique for record in dataset.records(values)]
    dataset.preload((values for _number, values, _raw in records), actor=actor)
    for number, values, raw in records:
        try:
            action = dataset.plan_row(values, actor=actor)
        except ValidationError as exc:
            _add_validation_errors(checked, exc, row=number, dataset=dataset, raw=raw)
            continue
        checked.plan[action] += 1
        checked.rows.append((number, values))
    checked.errors.sort(key=lambda e: e["row"] or 0)  # in file order (stable: columns stay in order)
    return checked


def _without_duplicates(
    dataset: Dataset, parsed: list[tuple[int, dict[str, Any], dict[str, str]]], checked: Checked
) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
    """Rows whose keys no earlier row of the file holds; each repeat is an error naming the first row."""
    seen: dict[tuple[tuple[str, ...], tuple[Any, ...]], int] = {}
    unique = []
    for number, values, raw in parsed:
        repeated = None
        for key in dataset.identity_keys():
            found = dataset.key_values(key, values)
            if found is not None and (key, found) in seen:
                repeated = key, seen[(key, found)]
                break
        if repeated is None:
            for key in dataset.identity_keys():
                found = dataset.key_values(key, values)
                if found is not None:
                    seen[(key, found)] = number
            unique.append((number, values, raw))
            continue
        key, first = repeated
        labels = [(c.title if (c := dataset.column_of(n)) else n) for n in key]
        shown = dataset.shown_field(key)
        column = labels[key.index(shown)]
        checked.add(
            cell_error(
                number,
                column,
                raw.get(shown, ""),
                _row_reason(
                    number,
                    column,
                    _("与第%(first)s行重复（%(key)s相同），同一文件中每条记录只能出现一次")
                    % {"first": first, "key": "、".join(labels)},
                ),
            )
        )
    return unique


def _check_file(dataset: Dataset, path: Path, kind: str, *, actor: Any) -> tuple[Table, Checked]:
    if not path.exists():
        raise reader.reject(_("上传的文件已不在服务器上，请重新上传"))
    table = reader.read_table(path, kind)
    return table, check_table(dataset, table, actor=actor)


def _kind_of(batch: ImportBatch) -> str:
    return batch.stored_file.rpartition(".")[2]


def _committed_earlier(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(
            dataset=batch.dataset, file_sha256=batch.file_sha256, status=ImportStatus.COMMITTED
        )
        .exclude(pk=batch.pk)
        .order_by("committed_at")
        .first()
    )


def _mark_duplicate(batch: ImportBatch, earlier: ImportBatch) -> None:
    when = timezone.localtime(earlier.committed_at or earlier.created_at)
    batch.status = ImportStatus.DUPLICATE
    batch.errors = []
    batch.summary = {
        "duplicate_of": earlier.pk,
        "message": _("该文件已于%(when)s导入过（批次%(id)s），本次没有作任何更改")
        % {"when": f"{when:%Y-%m-%d %H:%M}", "id": earlier.pk},
    }


# -- preview ----------------------------------------------------------------------------------------------


@transaction.atomic
def import_preview(*, dataset: type[Dataset] | str, uploaded_file: Any, actor: Any) -> ImportBatch:
    """Store an uploaded file and check it against a dataset: errors by row and column, what would change."""
    cls = dataset_class(dataset)
    organisation = getattr(actor, "organisation", None)
    batch = ImportBatch(
        dataset=cls.name,
        file_name=os.path.basename(str(getattr(uploaded_file, "name", "") or ""))[:255],
        created_by=actor if getattr(actor, "pk", None) else None,
        territory=getattr(organisation, "territory", None),
    )
    try:
        _preview(cls, batch, uploaded_file, actor=actor)
    except FileRejected as exc:
        batch.status = ImportStatus.INVALID
        batch.errors = exc.errors[:MAX_REPORTED_ERRORS]
        batch.summary = {
            CREATED: 0,
            UPDATED: 0,
            UNCHANGED: 0,
            "rows": batch.row_count,
            "errors": len(exc.errors),
        }
    batch.save()
    audit.record(
        "core.import.preview",
        obj=batch,
        actor=actor,
        data={
            "dataset": cls.name,
            "file": batch.file_name,
            "sha256": batch.file_sha256,
            "status": batch.status,
        },
    )
    return batch


def _preview(cls: type[Dataset], batch: ImportBatch, uploaded_file: Any, *, actor: Any) -> None:
    folder = imports_folder()
    stored = reader.store_upload(uploaded_file, folder, max_bytes=settings.KUNLU_UPLOAD_MAX_BYTES)
    batch.file_sha256 = stored.sha256
    try:
        kind = reader.detect_kind(stored.path)
    except FileRejected:
        stored.path.unlink(missing_ok=True)  # not a table: nothing worth keeping
        raise
    final = folder / f"{stored.sha256}.{kind}"
    os.replace(stored.path, final)
    batch.stored_file = str(final.relative_to(Path(settings.DATA_DIR)))
    earlier = _committed_earlier(batch)
    if earlier is not None:
        _mark_duplicate(batch, earlier)
        return
    table, checked = _check_file(cls(), final, kind, actor=actor)
    batch.row_count = len(table.rows)
    batch.errors = checked.errors
    batch.summary = checked.summary(batch.row_count)
    batch.status = ImportStatus.INVALID if checked.error_count else ImportStatus.PREVIEWED


# -- commit -----------------------------------------------------------------------------------------------


class _RowFailed(Exception):
    """A row that passed the preview was refused when written; the whole import is rolled back."""

    def __init__(self, checked: Checked) -> None:
        super().__init__(checked.errors[0]["reason"] if checked.errors else "")
        self.checked = checked


def import_needs_job(batch: ImportBatch) -> bool:
    """Whether a batch is large enough to be committed in the background."""
    return batch.row_count > settings.KUNLU_JOB_THRESHOLD_ROWS


@transaction.atomic
def import_commit_start(*, batch: ImportBatch, actor: Any) -> Job:
    """Queue the commit of a previewed batch as a background job, whose page shows the progress."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportStatus.PREVIEWED:
        raise ValidationError(
            _("该批次的状态为“%(status)s”，不能导入") % {"status": locked.get_status_display()}, code="status"
        )
    locked.status = ImportStatus.COMMITTING
    locked.save(update_fields=["status", "updated_at"])
    batch.status = locked.status
    return jobs.job_start(
        kind=JOB_KIND,
        title=_("导入%(dataset)s：%(file)s")
        % {"dataset": dataset_class(batch.dataset).title, "file": batch.file_name},
        params={"batch": batch.pk},
        actor=actor,
    )


def import_commit(*, batch: ImportBatch, actor: Any, progress: ProgressCallback | None = None) -> ImportBatch:
    """Write a previewed batch: every row or none, each with its lineage row, audited as core.import.commit.

    The stored file is read and checked again (the data may have changed since the preview). A file whose
    SHA-256 was already committed for the dataset changes nothing (status duplicate); rows equal to what
    is stored are counted unchanged and write nothing. If any row fails, nothing is written.
    """
    try:
        return _commit(batch.pk, actor=actor, progress=progress)
    except _RowFailed as exc:
        return _record_failure(batch, ImportStatus.INVALID, exc.checked.errors, actor=actor)
    except FileRejected as exc:
        return _record_failure(batch, ImportStatus.INVALID, exc.errors, actor=actor)
    except ValidationError:
        raise
    except Exception as exc:
        logger.exception("import of batch %s failed", batch.pk)
        reason = _("导入中断，没有写入任何数据：%(error)s") % {"error": exc}
        _record_failure(batch, ImportStatus.FAILED, [cell_error(None, "", "", reason)], actor=actor)
        raise


@transaction.atomic
def _commit(pk: int, *, actor: Any, progress: ProgressCallback | None) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=pk)
    # Lock every batch of the same file too, so that two commits of one file cannot both pass the check.
    list(
        ImportBatch.objects.select_for_update()
        .filter(dataset=batch.dataset, file_sha256=batch.file_sha256)
        .values_list("pk", flat=True)
    )
    if batch.status not in (ImportStatus.PREVIEWED, ImportStatus.COMMITTING):
        raise ValidationError(
            _("该批次的状态为“%(status)s”，不能导入") % {"status": batch.get_status_display()}, code="status"
        )
    earlier = _committed_earlier(batch)
    if earlier is not None:
        _mark_duplicate(batch, earlier)
        batch.save()
        audit.record("core.import.duplicate", obj=batch, actor=actor, data={"duplicate_of": earlier.pk})
        return batch
    cls = dataset_class(batch.dataset)
    dataset = cls()
    table, checked = _check_file(dataset, stored_path(batch), _kind_of(batch), actor=actor)
    batch.row_count = len(table.rows)
    if checked.error_count:
        batch.status = ImportStatus.INVALID
        batch.errors = checked.errors
        batch.summary = checked.summary(batch.row_count)
        batch.save()
        return batch
    written = _write_rows(dataset, batch, checked, actor=actor, progress=progress)
    batch.status = ImportStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.errors = []
    batch.summary = {
        CREATED: written[CREATED],
        UPDATED: written[UPDATED],
        UNCHANGED: written[UNCHANGED],
        "rows": batch.row_count,
        "errors": 0,
    }
    batch.save()
    audit.record(
        "core.import.commit",
        obj=batch,
        actor=actor,
        data={
            "dataset": batch.dataset,
            "file": batch.file_name,
            "sha256": batch.file_sha256,
            **batch.summary,
        },
    )
    return batch


def _write_rows(
    dataset: Dataset, batch: ImportBatch, checked: Checked, *, actor: Any, progress: ProgressCallback | None
) -> Counter[str]:
    """Save each row through the dataset, with a lineage record; a refused row aborts the whole import."""
    dataset.batch = batch
    total = len(checked.rows)
    written: Counter[str] = Counter()
    records: list[ImportRecord] = []
    if progress is not None:
        progress(0, total, _("正在写入"))
    dataset.preload((values for _number, values in checked.rows), actor=actor)
    for done, (number, values) in enumerate(checked.rows, start=1):
        try:
            obj, action = dataset.save_row(values, actor=actor)
        except ValidationError as exc:
            failed = Checked()
            raw = {name: str(v) for name, v in values.items()}
            _add_validation_errors(failed, exc, row=number, dataset=dataset, raw=raw)
            raise _RowFailed(failed) from exc
        written[action] += 1
        records.append(
            ImportRecord(
                batch=batch,
                row_number=number,
                # A dataset may write records of more than one model (territory or enterprise facts).
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=str(obj.pk),
                action=action,
            )
        )
        if len(records) >= 1000:
            ImportRecord.objects.bulk_create(records)
            records = []
        if progress is not None:
            progress(done, total)
    ImportRecord.objects.bulk_create(records)
    return written


def _record_failure(batch: ImportBatch, status: str, errors: list[ErrorDict], *, actor: Any) -> ImportBatch:
    """Keep why a commit did not happen, after its transaction was rolled back."""
    with transaction.atomic():
        fresh = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        fresh.status = status
        fresh.errors = errors[:MAX_REPORTED_ERRORS]
        fresh.summary = {**fresh.summary, "errors": len(errors)}
        fresh.save()
        audit.record(
            "core.import.fail", obj=fresh, actor=actor, data={"status": status, "errors": errors[:5]}
        )
    return fresh


@jobs.handler(JOB_KIND)
def import_job(*, job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Commit a large batch in the worker, reporting progress per row."""
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    batch = import_commit(batch=batch, actor=job.created_by, progress=progress)
    progress.log(_("批次%(id)s：%(status)s") % {"id": batch.pk, "status": batch.get_status_display()})
    return {
        "batch": batch.pk,
        "status": batch.status,
        "summary": batch.summary,
        "redirect": reverse("core:import_batch", args=[batch.pk]),
    }
