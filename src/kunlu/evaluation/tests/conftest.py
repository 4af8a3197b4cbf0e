"""Fixtures of the evaluation tests: enterprises with profiles, figures, the shipped rule set, a run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.models import Territory
from kunlu.core.testing import World
from kunlu.enterprises import services as registry
from kunlu.enterprises.models import Industry
from kunlu.evaluation import services
from kunlu.evaluation.models import EvaluationRun, RuleSetVersion


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """Uploads and evidence kept in the test's own folder."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def enterprise(territory: Territory, serial: int, *, industry: str = "34", above_scale: bool = True,
               land: str | None = None, **profile: Any) -> Organisation:  # fmt: skip
    """A registered enterprise with a profile (general equipment, 规上 unless told)."""
    if not Industry.objects.filter(code=industry).exists():
        registry.industry_install(actor=None)
    found = registry.enterprise_register(
        data={
            "uscc": demo_uscc(serial),
            "name": f"测试企业{serial}",
            "territory": territory,
            "industry": Industry.objects.get(code=industry),
            "is_above_scale": above_scale,
            "land_area_mu": land,
            **profile,
        },
        actor=None,
    )
    return found.organisation


def profile_of(
    org: Organisation, *, industry: str = "34", land: str | None = None, **extra: Any
) -> Organisation:
    """Give a World enterprise a registry profile."""
    if not Industry.objects.filter(code=industry).exists():
        registry.industry_install(actor=None)
    registry.enterprise_register(
        data={"uscc": org.uscc, "industry": Industry.objects.get(code=industry), "is_above_scale": True,
              "land_area_mu": land, **extra},
        actor=None,
    )  # fmt: skip
    return org


def figures(org: Organisation, year: int, **inputs: Any) -> None:
    """Record an enterprise's figures for a year."""
    for code, value in inputs.items():
        services.figure_record(enterprise=org, year=year, input=code, value=Decimal(str(value)), actor=None)


def huaian() -> RuleSetVersion:
    """The shipped 淮安 2024 rule set, installed."""
    services.ruleset_install_shipped(actor=None)
    return RuleSetVersion.objects.get(ruleset__code="huaian-2024")


def worked_example(world: World) -> EvaluationRun:
    """domain.md §1.10 through a run: county means last year 15, 300, 0.5; the firm 24, 480, 0.8, bonus +3."""
    version = huaian()
    firm = profile_of(world.enterprise_a)
    p1, p2 = enterprise(world.zone_a, 201), enterprise(world.zone_a, 202)
    figures(p1, 2023, tax=10, sales=200, land_mu=1, energy_tce=20, years_in_production=5)
    figures(p2, 2023, tax=20, sales=400, land_mu=1, energy_tce=40, years_in_production=5)
    figures(
        firm, 2024, tax=240, sales=4800, land_mu=10, energy_tce=300, bonus_safety=3, years_in_production=5
    )
    return services.run_create(ruleset_version=version, year=2024, territory=world.zone_a, actor=world.admin)


def cohort(world: World, count: int = 10, *, start: int = 400) -> list[Organisation]:
    """`count` enterprises of zone A with last year's and this year's figures (tax rising with the serial),
    plus World's enterprise A as the weakest."""
    firms = [profile_of(world.enterprise_a)]
    figures(firms[0], 2023, tax=1, sales=50, land_mu=10, energy_tce=10, years_in_production=5)
    figures(firms[0], 2024, tax=1, sales=50, land_mu=10, energy_tce=10, years_in_production=5)
    for n in range(1, count):
        org = enterprise(world.zone_a, start + n)
        figures(org, 2023, tax=10 * n, sales=100 * n, land_mu=10, energy_tce=10, years_in_production=5)
        figures(org, 2024, tax=10 * n, sales=100 * n, land_mu=10, energy_tce=10, years_in_production=5)
        firms.append(org)
    return firms


SIMPLE_YAML = """\
code: simple-2024
name: 测试县亩均效益评价办法
jurisdiction: 测试市
version: 1
year: 2024
source: TEST
indicators:
  - formula: tax_per_mu
    weight: 100
    benchmark: {kind: fixed, value: 10}
banding:
  method: percentile
  bands:
    - {code: A, name: 优先发展, top_percent: 20}
    - {code: B, name: 鼓励提升, top_percent: 60}
    - {code: C, name: 监管调控, top_percent: 95}
    - {code: D, name: 落后整治}
"""


def simple_version() -> RuleSetVersion:
    """A one-indicator rule set with a fixed benchmark (no prior-year data needed), everyone in scope."""
    found = RuleSetVersion.objects.filter(ruleset__code="simple-2024").first()
    return found or services.ruleset_create(yaml_text=SIMPLE_YAML, actor=None)


def city_run(world: World, *, published: bool = True, extra: int = 0) -> EvaluationRun:
    """A run over the whole city: World's enterprises A (tax 50/mu) and B (tax 20/mu), plus `extra` more."""
    figures(world.enterprise_a, 2024, tax=500, land_mu=10)
    figures(world.enterprise_b, 2024, tax=200, land_mu=10)
    for n in range(extra):
        org = enterprise(world.zone_a, 500 + n)
        figures(org, 2024, tax=10 * (n + 1), land_mu=10)
    run = services.run_create(
        ruleset_version=simple_version(), year=2024, territory=world.city, actor=world.admin
    )
    if published:
        run = services.run_publish(run=run, actor=world.admin)
    return run
