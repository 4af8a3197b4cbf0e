"""Pages and API: rule sets through the YAML page (upload refused naming the field), versions and download,
the run page with its chart, the steps, objections filed and decided on the pages, policies exported per
department, API scoping and query counts that do not grow with rows."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kunlu.core.testing import World, client_for, xlsx_rows
from kunlu.evaluation import services, views
from kunlu.evaluation.choices import Department, MeasureKind, ObjectionStatus, RunStatus
from kunlu.evaluation.models import (
    BandPolicy,
    EvaluationResult,
    EvaluationRun,
    Objection,
    RuleSet,
    RuleSetVersion,
)
from kunlu.evaluation.tests.conftest import SIMPLE_YAML, city_run, figures, simple_version


def test_yaml_upload_with_an_unknown_indicator_is_refused_naming_the_field(world: World) -> None:
    bad = SIMPLE_YAML.replace("formula: tax_per_mu", "formula: tax_per_acre")
    page = client_for(world.admin).post(
        "/evaluation/rulesets/add/", {"yaml_file": SimpleUploadedFile("r.yaml", bad.encode())}
    )
    assert page.status_code == 200
    errors = page.context["form"].errors.as_data()["yaml_text"]
    assert [e.code for e in errors] == ["unknown_formula"]
    assert "indicators[0].formula：未知的指标公式“tax_per_acre”" in page.content.decode()
    assert RuleSet.objects.count() == 0


def test_a_rule_set_is_entered_edited_as_a_new_version_and_downloaded(world: World) -> None:
    client = client_for(world.admin)
    page = client.post("/evaluation/rulesets/add/", {"yaml_text": SIMPLE_YAML, "scope_text": "全部工业企业"})
    ruleset = RuleSet.objects.get(code="simple-2024")
    assert page.status_code == 302 and ruleset.scope_text == "全部工业企业"
    edit = client.get(f"/evaluation/rulesets/{ruleset.pk}/edit/")
    assert "version: 2" in edit.context["form"].initial["yaml_text"]
    same = client.post(f"/evaluation/rulesets/{ruleset.pk}/edit/", {"yaml_text": SIMPLE_YAML})
    assert [e.code for e in same.context["form"].errors.as_data()["yaml_text"]] == ["unchanged"]
    v2 = SIMPLE_YAML.replace("version: 1", "version: 2").replace("value: 10", "value: 20")
    assert (
        client.post(
            f"/evaluation/rulesets/{ruleset.pk}/edit/", {"yaml_text": v2, "note": "基准调整"}
        ).status_code
        == 302
    )
    versions = list(RuleSetVersion.objects.filter(ruleset=ruleset).order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[0].yaml_text == SIMPLE_YAML.strip()
    download = client.get(f"/evaluation/version/{versions[1].pk}/download/")
    assert (
        download.content.decode() == v2.strip() and "simple-2024-v2.yaml" in download["Content-Disposition"]
    )
    other = SIMPLE_YAML.replace("code: simple-2024", "code: other").replace("version: 1", "version: 3")
    wrong = client.post(f"/evaluation/rulesets/{ruleset.pk}/edit/", {"yaml_text": other})
    assert [e.code for e in wrong.context["form"].errors.as_data()["yaml_text"]] == ["code_mismatch"]
    old = SIMPLE_YAML.replace("value: 10", "value: 30")
    stale = client.post(f"/evaluation/rulesets/{ruleset.pk}/edit/", {"yaml_text": old})
    assert [e.code for e in stale.context["form"].errors.as_data()["yaml_text"]] == ["version_order"]


def test_shipped_rule_sets_install_once(world: World) -> None:
    assert services.ruleset_install_shipped(actor=None) == ["huaian-2024 v1"]
    assert services.ruleset_install_shipped(actor=None) == []
    assert RuleSetVersion.objects.count() == 1 and RuleSet.objects.get().is_shipped


def test_the_run_page_shows_the_distribution_and_moves_through_the_steps(world: World) -> None:
    run = city_run(world, published=False, extra=3)
    client = client_for(world.admin)
    page = client.get(f"/evaluation/runs/{run.pk}/")
    chart = page.context["chart"]
    assert chart["categories"] == sorted(run.band_counts) and sum(chart["series"][0]["data"]) == 5
    assert 'data-chart="bars"' in page.content.decode()
    done = {"recompute": "已重新计算", "publish": "已公示", "close": "已结束公示", "finalize": "已终审"}
    for step, said in done.items():
        response = client.post(f"/evaluation/run/{run.pk}/step/{step}/")
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == f"{said}：{run.title}"
    run.refresh_from_db()
    assert run.status == RunStatus.FINAL


def test_the_run_form_takes_the_moment_of_the_data(world: World) -> None:
    moment = timezone.localtime().replace(second=0, microsecond=0)
    earlier = moment - timedelta(hours=1)
    for org, tax in ((world.enterprise_a, 500), (world.enterprise_b, 200)):
        for code, value in (("tax", tax), ("land_mu", 10)):
            services.figure_record(
                enterprise=org, year=2024, input=code, value=Decimal(value), at=earlier, actor=None
            )
    figures(world.enterprise_a, 2024, tax=900)  # after the chosen moment: not counted
    client = client_for(world.admin)
    body = {"ruleset_version": simple_version().pk, "year": 2024, "territory": world.city.pk}
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post("/evaluation/runs/add/", {**body, "as_of": future})
    assert refused.status_code == 200 and not EvaluationRun.objects.exists()
    assert [e.code for e in refused.context["form"].errors.as_data()["as_of"]] == ["as_of_future"]
    made = client.post("/evaluation/runs/add/", {**body, "as_of": moment.strftime("%Y-%m-%dT%H:%M")})
    run = EvaluationRun.objects.get()
    assert made.status_code == 302 and run.as_of == moment
    assert (
        EvaluationResult.objects.get(run=run, enterprise=world.enterprise_a).trace["inputs"]["tax"] == "500"
    )
    client.post("/evaluation/runs/add/", body)  # left blank: now
    assert EvaluationRun.objects.latest("pk").as_of > moment


def test_an_objection_over_the_upload_bound_is_refused_before_reading_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = city_run(world)
    result = EvaluationResult.objects.get(run=run, enterprise=world.enterprise_a)
    monkeypatch.setattr(services, "MAX_EVIDENCE_BYTES", 1024)
    monkeypatch.setattr(views, "FORM_ALLOWANCE_BYTES", 1024)
    big = SimpleUploadedFile("证明.pdf", b"%PDF" + b"x" * 10 * 1024)
    response = client_for(world.enterprise_user_a).post(
        f"/evaluation/result/{result.pk}/objection/", {"text": "异议", "evidence": [big]}
    )
    assert response.status_code == 302 and not Objection.objects.exists()
    assert "提交的内容过大" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_enterprise_files_an_objection_and_the_office_accepts_it(world: World) -> None:
    run = city_run(world)
    result = EvaluationResult.objects.get(run=run, enterprise=world.enterprise_a)
    enterprise = client_for(world.enterprise_user_a)
    filed = enterprise.post(
        f"/evaluation/result/{result.pk}/objection/",
        {"text": "用地面积应为5亩", "evidence": [SimpleUploadedFile("证明.png", b"\x89PNG\r\n\x1a\nxx")]},
    )
    objection = Objection.objects.get()
    assert filed.status_code == 302 and objection.evidence.count() == 1
    # the other enterprise cannot object to A's result
    assert (
        client_for(world.enterprise_user_b)
        .post(f"/evaluation/result/{result.pk}/objection/", {"text": "x"})
        .status_code
        == 404
    )
    office = client_for(world.admin)
    assert "accept-form" in office.get(f"/evaluation/objections/{objection.pk}/").content.decode()
    office.post(
        f"/evaluation/objection/{objection.pk}/decide/accept/", {"adj_land_mu": "5", "decision": "核实"}
    )
    objection.refresh_from_db()
    run.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED and run.computation == 2
    assert (
        EvaluationResult.objects.get(run=run, computation=2, enterprise=world.enterprise_a).total == 1000
    )  # 500 ÷ 5亩 ÷ 10 × 100


def test_policies_of_a_final_run_export_per_department(world: World) -> None:
    run = city_run(world)
    run = services.run_finalize(run=services.run_close_publicity(run=run, actor=None), actor=None)
    ruleset = run.ruleset_version.ruleset
    BandPolicy.objects.create(
        ruleset=ruleset,
        band="A",
        department=Department.LAND,
        measure=MeasureKind.LAND,
        description="优先供地",
    )
    BandPolicy.objects.create(
        jurisdiction="测试市", band="B", department=Department.WATER, measure=MeasureKind.SEWAGE_SURCHARGE,
        value="0.17", unit="元/立方米", description="污水处理费加价",
    )  # fmt: skip
    BandPolicy.objects.create(
        jurisdiction="别处",
        band="A",
        department=Department.LAND,
        measure=MeasureKind.LAND,
        description="别处的",
    )
    client = client_for(world.city_analyst)  # the run covers the whole city
    page = client.get(f"/evaluation/run/{run.pk}/policies/")
    bands = {
        row.result.enterprise_id: (row.result.band, [p.description for p in row.policies])
        for row in page.context["rows"]
    }
    assert bands[world.enterprise_a.pk] == ("A", ["优先供地"])
    assert bands[world.enterprise_b.pk] == ("B", ["污水处理费加价"])  # of two: A, then B
    export = client.get(f"/evaluation/run/{run.pk}/policies/", {"department": "water", "export": "xlsx"})
    rows = xlsx_rows(export.content)
    assert rows[1][1] == world.enterprise_b.name and rows[1][5] == "污水处理费加价" and rows[1][9] == 2025
    assert len(rows) == 2


def test_policies_wait_for_the_final_run(world: World) -> None:
    run = city_run(world)
    assert client_for(world.city_analyst).get(f"/evaluation/run/{run.pk}/policies/").status_code == 404


def test_api_scopes_results_and_objections_to_the_enterprise(world: World) -> None:
    run = city_run(world)
    mine = EvaluationResult.objects.get(run=run, enterprise=world.enterprise_a)
    theirs = EvaluationResult.objects.get(run=run, enterprise=world.enterprise_b)
    client = client_for(world.enterprise_user_a)
    listed = client.get("/api/evaluation/results/").json()["results"]
    assert [r["id"] for r in listed] == [mine.pk] and listed[0]["trace"]["lines"]
    assert client.get("/api/evaluation/runs/").status_code == 404
    created = client.post(
        "/api/evaluation/objections/",
        json.dumps({"result": mine.pk, "text": "异议"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    refused = client.post(
        "/api/evaluation/objections/",
        json.dumps({"result": theirs.pk, "text": "异议"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert [o["id"] for o in client.get("/api/evaluation/objections/").json()["results"]] == [
        created.json()["id"]
    ]
    assert client_for(world.enterprise_user_b).get("/api/evaluation/objections/").json()["results"] == []
    assert client.post("/api/evaluation/runs/", {}).status_code in (403, 404, 405)


def _queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(world: World) -> None:
    run = city_run(world, extra=2)
    client = client_for(world.admin)

    def urls(run: EvaluationRun) -> list[str]:
        return [
            "/api/evaluation/results/",
            "/evaluation/results/",
            f"/evaluation/runs/{run.pk}/",
            "/api/evaluation/runs/",
            "/evaluation/runs/",
        ]

    few = [_queries(client, url) for url in urls(run)]
    from kunlu.evaluation.tests.conftest import enterprise

    for n in range(8):
        figures(enterprise(world.zone_a, 600 + n), 2024, tax=n + 1, land_mu=10)
    other = services.ruleset_create(yaml_text=SIMPLE_YAML.replace("simple-2024", "simple-b"), actor=None)
    for version in (simple_version(), other, other):  # more runs, of other rule sets, over more enterprises
        bigger = services.run_create(ruleset_version=version, year=2024, territory=world.city, actor=None)
    many = [_queries(client, url) for url in urls(bigger)]
    assert EvaluationResult.objects.filter(run=bigger).count() == 12
    assert many == few
