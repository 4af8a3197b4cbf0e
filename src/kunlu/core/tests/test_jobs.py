"""Background jobs: a large export runs in the worker, with progress, and only its owner sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from kunlu.core import jobs
from kunlu.core.models import Job, JobStatus
from kunlu.core.testing import World, client_for, xlsx_rows

# The real worker closes its database connection after each task, as it must in production: these tests
# therefore run with real transactions rather than inside one rolled-back test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    """Process every queued task in this process, as `kunlu worker` does, then return."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, queue_name="*", verbosity=0)


@pytest.fixture
def big_export(world: World, settings: Any, django_capture_on_commit_callbacks: Any) -> Job:
    settings.KUNLU_JOB_THRESHOLD_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.city_analyst).get(
            reverse("accounts_organisation_export"), {"kind": "enterprise"}
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    return job


def test_an_export_over_the_threshold_runs_as_a_job(world: World, big_export: Job) -> None:
    client = client_for(world.city_analyst)
    page = client.get(reverse("core:job_detail", args=[big_export.pk]))
    assert page.context["job"].status == JobStatus.QUEUED
    assert b'hx-trigger="every 1s"' in page.content  # the page polls while the job is not finished
    run_worker()
    big_export.refresh_from_db()
    assert big_export.status == JobStatus.SUCCEEDED, big_export.log
    assert big_export.result["rows"] == 2 and big_export.task_id
    progress = client.get(reverse("core:job_progress", args=[big_export.pk]))
    assert progress.context["progress"]["percent"] == 100
    assert b"hx-trigger" not in progress.content  # finished: polling stops
    download = client.get(reverse("core:job_download", args=[big_export.pk]))
    rows = xlsx_rows(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert {r[0] for r in rows[1:]} == {"甲区测试企业", "乙区测试企业"}


def test_a_job_of_another_user_is_404(world: World, big_export: Job) -> None:
    run_worker()
    other = client_for(world.analyst_a)
    for name in ("core:job_detail", "core:job_progress", "core:job_download"):
        assert other.get(reverse(name, args=[big_export.pk])).status_code == 404


def test_a_failing_job_keeps_its_error(world: World) -> None:
    @jobs.handler("test.fail")
    def fail(*, job: Job, progress: jobs.Progress) -> dict[str, Any]:
        progress(1, 2)
        raise RuntimeError("数据源不可用")

    job = jobs.job_start(kind="test.fail", title="会失败的任务", params={}, actor=world.admin)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.result["error"] == "数据源不可用"
    assert "RuntimeError" in job.log


def test_unknown_job_kinds_are_refused(world: World) -> None:
    with pytest.raises(ValueError):
        jobs.job_start(kind="nope", title="x", params={}, actor=world.admin)
