"""Background jobs with progress: a `Job` record, the django-tasks task that runs it, progress in the cache.

Progress goes to the cache (files or Redis), not the database, so that a page can follow a job whose work
is inside one long transaction (an import commits all or nothing); the job row keeps the final state.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kunlu.core import audit
from kunlu.core.models import Job, JobStatus

Handler = Callable[..., dict[str, Any]]
_handlers: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work of jobs of `kind`: f(*, job, progress) -> result dict."""

    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        return func

    return register


class Progress:
    """Report how far a job has got; cheap to call once per row."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        if total is not None:
            self.job.total = total
        self.job.done = done
        if now - self._last < 0.3 and done != self.job.total:
            return
        self._last = now
        cache.set(
            progress_key(self.job.pk), {"done": done, "total": self.job.total, "message": message}, 3600
        )

    def log(self, line: str) -> None:
        self.job.log += f"[{timezone.localtime():%H:%M:%S}] {line}\n"


def progress_key(job_id: int) -> str:
    return f"kunlu:job:{job_id}:progress"


def job_progress(job: Job) -> dict[str, Any]:
    """Where a job stands: live figures while it runs, the stored ones once it has finished."""
    live = cache.get(progress_key(job.pk)) if job.status == JobStatus.RUNNING else None
    done, total = (live["done"], live["total"]) if live else (job.done, job.total)
    percent = 100 if job.status == JobStatus.SUCCEEDED else (int(done * 100 / total) if total else 0)
    return {
        "done": done,
        "total": total,
        "percent": min(percent, 100),
        "message": (live or {}).get("message", ""),
    }


@transaction.atomic
def job_start(*, kind: str, title: str, params: dict[str, Any], actor: Any) -> Job:
    """Queue a job of a registered kind; the worker picks it up after this transaction commits."""
    if kind not in _handlers:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title, params=params, created_by=actor)
    audit.record("core.job.start", obj=job, actor=actor, data={"kind": kind, "params": params})

    def enqueue() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


@task()
def run_job(job_id: int) -> None:
    """Run one job in the worker, recording its outcome on the job row."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])
    progress = Progress(job)
    try:
        job.result = _handlers[job.kind](job=job, progress=progress)
        job.status = JobStatus.SUCCEEDED
    except Exception as exc:  # the job's outcome is shown to its owner, not raised in the worker
        job.status = JobStatus.FAILED
        job.result = {"error": str(exc)}
        progress.log(traceback.format_exc(limit=5))
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_key(job.pk))
