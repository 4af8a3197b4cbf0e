"""Large Excel exports run as jobs; the file waits in the data directory for its owner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import QueryDict

from kunlu.core import audit, jobs
from kunlu.core.excel import write_workbook
from kunlu.core.models import Job


def export_path(job: Job) -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}.xlsx"


@jobs.handler("core.export")
def export_job(*, job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Write the filtered, scoped rows of a declared model to an xlsx file."""
    from kunlu.core.viewsets import registered

    vs = registered(job.params["viewset"])
    user = job.created_by
    qs = vs.filterset_class(QueryDict(job.params.get("query", "")), queryset=vs.queryset(user)).qs
    total = qs.count()
    progress(0, total)
    headers, rows = vs.export_rows(qs)

    def counted() -> Any:
        for n, row in enumerate(rows, start=1):
            progress(n, total)
            yield row

    write_workbook(
        [(str(vs.model._meta.verbose_name_plural), headers, counted())], target=str(export_path(job))
    )
    audit.record(
        f"{vs.key()}.export", obj=job, actor=user, data={"rows": total, "query": job.params.get("query")}
    )
    return {"file": export_path(job).name, "filename": vs.export_filename(), "rows": total}
