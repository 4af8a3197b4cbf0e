"""Large imports in the background: through the real worker, in-process and as a process killed mid-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.models import ImportBatch, ImportRecord, ImportStatus, Job, JobStatus
from kunlu.core.testing import World, client_for
from kunlu.core.tests.importfiles import upload, xlsx_bytes

DATASET = "accounts.organisation"


@pytest.fixture
def signals_kept() -> Iterator[None]:
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def run_worker() -> None:
    """Process every queued task in this process, as `kunlu worker` does, then return."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, queue_name="*", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_import_over_the_threshold_commits_in_the_worker(
    world: World, settings: Any, tmp_path: Path, signals_kept: None
) -> None:
    settings.DATA_DIR = tmp_path
    settings.KUNLU_JOB_THRESHOLD_ROWS = 5
    rows = [[f"甲区批量企业{i:02d}", "企业", "ZA", demo_uscc(700 + i), "", ""] for i in range(12)]
    client = client_for(world.analyst_a)
    response = client.post(
        reverse("core:import_dataset", args=[DATASET]), {"file": upload(xlsx_bytes(rows), "批量.xlsx")}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.row_count == 12

    response = client.post(reverse("core:import_commit", args=[batch.pk]))
    job = Job.objects.get(kind="core.import")
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    page = client.get(response["Location"])
    assert b'hx-trigger="every 1s"' in page.content  # the progress bar polls until the job is done
    assert not Organisation.objects.filter(name__startswith="甲区批量企业").exists()

    run_worker()

    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.log
    assert batch.status == ImportStatus.COMMITTED
    assert job.result["redirect"] == reverse("core:import_batch", args=[batch.pk])
    assert job.result["summary"]["created"] == 12
    assert Organisation.objects.filter(name__startswith="甲区批量企业").count() == 12
    assert ImportRecord.objects.filter(batch=batch).count() == 12
    progress = client.get(reverse("core:job_progress", args=[job.pk]))
    assert progress.context["progress"]["percent"] == 100
    assert b"hx-trigger" not in progress.content
    assert reverse("core:import_batch", args=[batch.pk]).encode() in progress.content


# -- a real worker process, killed mid-import ----------------------------------------------------------------

SETUP = """
from django.core.files.uploadedfile import SimpleUploadedFile
from kunlu.core.imports.services import import_commit_start, import_preview
from kunlu.core.testing import build_world
from kunlu.core.tests.importfiles import xlsx_bytes

world = build_world()
rows = [[f"慢导入机构{i:02d}", "政府部门", "ZA", "", "", ""] for i in range(30)]
batch = import_preview(
    dataset="tests.slow_organisation",
    uploaded_file=SimpleUploadedFile("慢.xlsx", xlsx_bytes(rows)),
    actor=world.analyst_a,
)
assert batch.status == "previewed", batch.errors
job = import_commit_start(batch=batch, actor=world.analyst_a)
print("IDS", batch.pk, job.pk)
"""


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_killing_the_worker_mid_import_leaves_nothing_written(tmp_path: Path) -> None:
    """kill -9 the worker while the import's transaction holds written rows: none of them survives."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KUNLU_REDIS_URL")}
    env.update(
        KUNLU_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="slowimport.settings",
        KUNLU_SECRET_KEY="worker-kill-test",
        PYTHONPATH=os.pathsep.join(p for p in (str(Path(__file__).parent), env.get("PYTHONPATH", "")) if p),
    )
    kunlu = str(Path(sys.executable).parent / "kunlu")
    subprocess.run([kunlu, "manage", "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    setup = subprocess.run(
        [kunlu, "manage", "shell", "-v", "0", "-c", SETUP],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    batch_id, job_id = (
        int(n) for n in next(line for line in setup.stdout.splitlines() if line.startswith("IDS")).split()[1:]
    )
    written = tmp_path / "slow-import-rows-written"
    database = tmp_path / "kunlu.sqlite3"

    def status_of(table: str, pk: int) -> str:
        with sqlite3.connect(database, timeout=20) as db:
            return str(db.execute(f"SELECT status FROM {table} WHERE id = ?", (pk,)).fetchone()[0])  # noqa: S608

    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([kunlu, "worker", "--interval", "0.1"], env=env, stdout=log, stderr=log)
    try:
        _wait_for(lambda: written.exists() and int(written.read_text() or 0) >= 3, 120, "three rows written")
        assert status_of("core_job", job_id) == "running"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        log.close()
    assert worker.returncode == -signal.SIGKILL
    rows_before_kill = int(written.read_text())
    assert 3 <= rows_before_kill < 30  # rows had been written inside the transaction when it died

    with sqlite3.connect(database, timeout=20) as db:
        names = db.execute(
            "SELECT count(*) FROM accounts_organisation WHERE name LIKE '慢导入机构%'"
        ).fetchone()
        history = db.execute(
            "SELECT count(*) FROM accounts_historicalorganisation WHERE name LIKE '慢导入机构%'"
        ).fetchone()
        records = db.execute("SELECT count(*) FROM core_importrecord").fetchone()
        events = db.execute(
            "SELECT count(*) FROM core_auditevent WHERE event = 'core.import.commit'"
        ).fetchone()
    assert names == history == records == events == (0,)
    assert status_of("core_importbatch", batch_id) == "committing"  # the batch shows it never finished
