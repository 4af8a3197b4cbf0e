"""Import pages: the permission triple, upload → preview → commit, errors shown by row and column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kunlu.accounts.models import Organisation
from kunlu.core.imports.services import import_preview
from kunlu.core.models import ImportBatch, ImportRecord, ImportStatus, Job, JobStatus
from kunlu.core.testing import World, client_for
from kunlu.core.tests.importfiles import csv_bytes, good_rows, upload, xlsx_bytes

DATASET = "accounts.organisation"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def post_file(client: Client, content: bytes, name: str = "机构.xlsx") -> Any:
    return client.post(reverse("core:import_dataset", args=[DATASET]), {"file": upload(content, name)})


def batch_of(world: World, who: str = "analyst_a", content: bytes | None = None) -> ImportBatch:
    return import_preview(
        dataset=DATASET,
        uploaded_file=upload(content or xlsx_bytes(good_rows())),
        actor=getattr(world, who),
    )


def assert_no_inline_code(content: bytes) -> None:
    """The content security policy forbids inline scripts and style attributes."""
    html = content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html


# -- allowed -------------------------------------------------------------------------------------------------


def test_an_analyst_uploads_previews_and_commits(world: World) -> None:
    client = client_for(world.analyst_a)
    index = client.get(reverse("core:import_index"))
    assert index.status_code == 200 and "机构名录" in index.content.decode()
    page = client.get(reverse("core:import_dataset", args=[DATASET]))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert "统一社会信用代码" in page.content.decode()
    before = Organisation.objects.count()

    response = post_file(client, xlsx_bytes(good_rows()))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:import_batch", args=[batch.pk]
    )
    assert batch.created_by == world.analyst_a and batch.status == ImportStatus.PREVIEWED
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert 'data-testid="commit-form"' in preview.content.decode()
    assert 'data-testid="import-summary"' in preview.content.decode()
    assert Organisation.objects.count() == before

    committed = client.post(reverse("core:import_commit", args=[batch.pk]))
    assert committed.status_code == 302 and committed["Location"] == reverse(
        "core:import_batch", args=[batch.pk]
    )
    result = client.get(committed["Location"])
    html = result.content.decode()
    assert "导入完成：新增3条，更新0条，未变0条" in html
    assert 'data-testid="import-result"' in html and 'data-testid="commit-form"' not in html
    assert dict((str(label), n) for label, n in result.context["lineage"]) == {
        "新增": 3,
        "更新": 0,
        "未变": 0,
    }
    assert Organisation.objects.count() == before + 3
    listing = client.get(reverse("core:import_batches"))
    assert listing.status_code == 200 and f"#{batch.pk}" in listing.content.decode()
    for response in (index, page, preview, result, listing):
        assert_no_inline_code(response.content)


def test_the_preview_lists_every_bad_cell_and_offers_no_commit(world: World) -> None:
    rows = good_rows()
    rows[0][2] = "NOPE"
    rows[1][3] = "123"
    client = client_for(world.analyst_a)
    batch_page = client.get(post_file(client, xlsx_bytes(rows))["Location"])
    html = batch_page.content.decode()
    assert batch_page.context["batch"].status == ImportStatus.INVALID
    assert 'data-testid="import-errors"' in html and 'data-testid="commit-form"' not in html
    for header in ('<th scope="col">行</th>', '<th scope="col">列</th>', '<th scope="col">值</th>'):
        assert header in html
    assert "第2行「所属地区代码」" in html and "NOPE" in html
    assert "第3行「统一社会信用代码」" in html
    before = Organisation.objects.count()
    response = client.post(reverse("core:import_commit", args=[batch_page.context["batch"].pk]))
    assert response.status_code == 302
    assert Organisation.objects.count() == before


def test_a_file_that_is_not_a_table_is_shown_with_its_reason(world: World) -> None:
    client = client_for(world.analyst_a)
    page = client.get(post_file(client, b"%PDF-1.7 not a table", "伪装.xlsx")["Location"])
    assert page.context["batch"].status == ImportStatus.INVALID
    assert "这是PDF文档，不是Excel（.xlsx）或CSV表格文件" in page.content.decode()


def test_the_same_file_twice_says_when_it_was_imported(world: World) -> None:
    client = client_for(world.analyst_a)
    content = csv_bytes(good_rows())
    first = client.get(post_file(client, content, "机构.csv")["Location"]).context["batch"]
    client.post(reverse("core:import_commit", args=[first.pk]))
    page = client.get(post_file(client, content, "机构-副本.csv")["Location"])
    assert page.context["batch"].status == ImportStatus.DUPLICATE
    assert 'data-testid="duplicate-message"' in page.content.decode()
    assert "已于" in page.content.decode() and 'data-testid="commit-form"' not in page.content.decode()


def test_an_upload_over_the_bound_is_refused_before_it_is_stored(world: World, settings: Any) -> None:
    settings.KUNLU_UPLOAD_MAX_BYTES = 4 * 1024
    content = csv_bytes(good_rows() * 40)
    assert len(content) > 4 * 1024
    response = post_file(client_for(world.analyst_a), content, "大.csv")
    # The page says so (413 if a middleware refused the body before the view, as it may).
    assert response.status_code in (200, 413)
    if response.status_code == 200:
        assert "文件超过4 KB的上限" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not list((Path(settings.DATA_DIR) / "imports").glob("*"))


def test_a_large_import_is_committed_as_a_job(world: World, settings: Any) -> None:
    settings.KUNLU_JOB_THRESHOLD_ROWS = 2
    client = client_for(world.analyst_a)
    batch = client.get(post_file(client, xlsx_bytes(good_rows()))["Location"]).context["batch"]
    assert (
        "确认导入（后台进行）" in client.get(reverse("core:import_batch", args=[batch.pk])).content.decode()
    )
    response = client.post(reverse("core:import_commit", args=[batch.pk]))
    job = Job.objects.get(kind="core.import")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.params == {"batch": batch.pk} and job.status == JobStatus.QUEUED
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING
    page = client.get(reverse("core:import_batch", args=[batch.pk]))
    assert page.context["job"] == job
    assert client.post(reverse("core:import_commit", args=[batch.pk])).status_code == 302
    assert Job.objects.filter(kind="core.import").count() == 1  # a second click starts nothing


def test_the_menu_offers_imports_to_those_who_may_import(world: World) -> None:
    assert 'data-nav="core:import_index"' in client_for(world.analyst_a).get("/").content.decode()
    assert 'data-nav="core:import_index"' not in client_for(world.nobody_a).get("/").content.decode()


# -- forbidden ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nobody_a", "enterprise_user_a"])
def test_a_user_who_may_not_import_gets_404_everywhere(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    for url in (
        reverse("core:import_index"),
        reverse("core:import_batches"),
        reverse("core:import_dataset", args=[DATASET]),
        reverse("core:import_template", args=[DATASET]),
    ):
        assert client.get(url).status_code == 404, url
    assert post_file(client, xlsx_bytes(good_rows())).status_code == 404
    assert not ImportBatch.objects.exists()


def test_an_unknown_dataset_is_404(world: World) -> None:
    client = client_for(world.analyst_a)
    assert client.get(reverse("core:import_dataset", args=["accounts.nothing"])).status_code == 404
    assert client.get(reverse("core:import_template", args=["accounts.nothing"])).status_code == 404


# -- another user's batch ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst_b", "city_analyst", "nobody_a"])
def test_a_batch_of_another_user_is_404(world: World, who: str) -> None:
    batch = batch_of(world)
    client = client_for(getattr(world, who))
    assert client.get(reverse("core:import_batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("core:import_commit", args=[batch.pk])).status_code == 404
    listing = client.get(reverse("core:import_batches"))
    assert listing.status_code == 404 or f"#{batch.pk}<" not in listing.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert not ImportRecord.objects.exists()


def test_a_superuser_sees_every_batch(world: World) -> None:
    batch = batch_of(world)
    client = client_for(world.admin)
    assert client.get(reverse("core:import_batch", args=[batch.pk])).status_code == 200
    assert f"#{batch.pk}<" in client.get(reverse("core:import_batches")).content.decode()
