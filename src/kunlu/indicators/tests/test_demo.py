"""The S1 demo: the monitoring of 昆山高新区 for 2025年1–9月, computed by the engine from the demo
enterprises' reports, prints the seed report's figures; loading twice changes nothing."""

from __future__ import annotations

from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from kunlu.accounts.demo import demo_uscc
from kunlu.core.formatting import amount, growth
from kunlu.core.models import AuditEvent, Territory
from kunlu.engine.api import bulletin, highlight_counts, open_backend, zone_growth
from kunlu.engine.periods import ReportingMonth
from kunlu.indicators import demo_data, services
from kunlu.indicators.demo import SOURCE, _filed_at
from kunlu.indicators.loaders import engine_tables, month_values
from kunlu.indicators.models import UnitObservation

SEPTEMBER = ReportingMonth(2025, 9)


def _counts() -> dict[str, int]:
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    return counts | {"audit": AuditEvent.objects.count()}


@pytest.fixture
def monitoring(db: None) -> dict[str, Any]:
    call_command("load_demo", stdout=StringIO())
    backend = open_backend(engine_tables(city=Territory.objects.get(code="320583"), year=2025))
    rows = {(r["zone_code"], r["indicator_code"]): r for r in bulletin(backend, SEPTEMBER).to_pylist()}
    for row in zone_growth(backend, SEPTEMBER).to_pylist():
        rows[(row["zone_code"], row["indicator_code"])].update(row)
    counts = {r["zone_code"]: r for r in highlight_counts(backend, SEPTEMBER).to_pylist()}
    return {"rows": rows, "counts": counts}


def test_trade_and_fdi_of_the_hi_tech_zone_are_the_seed_figures(monitoring: dict[str, Any]) -> None:
    trade, fdi = monitoring["rows"][("KS-GX", "trade")], monitoring["rows"][("KS-GX", "fdi_actual")]
    assert amount(trade["ytd_value"], currency="USD") == "75.2亿美元"
    assert growth(trade["yoy_comparable"]) == "增长18.8%"
    assert amount(fdi["ytd_value"], currency="USD", digits=2) == "2.27亿美元"
    assert growth(fdi["yoy_comparable"]) == "增长13.3%"


def test_five_double_digit_and_ten_shares_up(monitoring: dict[str, Any]) -> None:
    counts = monitoring["counts"]["KS-GX"]
    assert (counts["double_digit_count"], counts["share_up_count"]) == (5, 10)
    gx = {code: row for (zone, code), row in monitoring["rows"].items() if zone == "KS-GX"}
    assert {c for c, r in gx.items() if r["double_digit_growth"]} == {
        "ind_investment",
        "tech_upgrade_investment",
        "trade",
        "export",
        "fdi_actual",
    }
    assert {"budget_revenue", "ind_output"} <= {c for c, r in gx.items() if r["share_rose"]}


def test_the_other_zones_tell_their_own_story(monitoring: dict[str, Any]) -> None:
    counts = monitoring["counts"]
    assert counts["KS-KF"] != counts["KS-GX"] and counts["KS-HQ"] != counts["KS-GX"]
    rows = monitoring["rows"]
    for code in ("trade", "fdi_actual", "ind_output", "budget_revenue"):
        assert len({round(rows[(zone, code)]["yoy_comparable"], 4) for zone in demo_data.ZONES}) == 3
    # An enterprise left 昆山开发区 after 2024: its nominal growth is below the comparable one.
    kf = rows[("KS-KF", "ind_output")]
    assert kf["yoy_nominal"] < kf["yoy_comparable"]


def test_targets_are_ahead_of_and_behind_time_progress(monitoring: dict[str, Any]) -> None:
    gaps = [monitoring["rows"][(zone, code)]["progress_gap_pp"] for zone, code, _value in demo_data.targets()]
    assert all(gap is not None and abs(gap) >= 0.3 for gap in gaps)
    assert any(gap > 0 for gap in gaps) and any(gap < 0 for gap in gaps)
    assert monitoring["rows"][("CITY", "trade")]["target"] is not None  # every zone has one


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


@pytest.mark.django_db
def test_reports_come_in_the_trades_styles_and_read_back_as_generated() -> None:
    call_command("load_demo", stdout=StringIO())
    facts = UnitObservation.objects.filter(source=SOURCE, superseded_at__isnull=True)
    assert facts.filter(basis="ytd", period__month=2, enterprise__uscc=demo_uscc(8002)).exists()  # 1–2月
    assert facts.filter(basis="ytd", period__month=7, enterprise__uscc=demo_uscc(8004)).exists()  # 1–N月累计
    assert not facts.exclude(enterprise__is_demo=True).exists()
    serial_of = {demo_uscc(e.serial): e.serial for e in demo_data.ENTERPRISES}
    rows = facts.values_list(
        "enterprise__uscc", "indicator__code", "period__year", "period__month", "basis", "value"
    )
    read: dict[tuple[int, str, int], float] = defaultdict(float)
    filed = [(serial_of[u], code, y, m, basis, v) for u, code, y, m, basis, v in rows]
    for serial, code, period, value in month_values(filed):
        read[(serial, code, period // 100)] += value
    generated: dict[tuple[int, str, int], float] = defaultdict(float)
    for (serial, code, year, _month), figure in demo_data.monthly_values().items():
        generated[(serial, code, year)] += float(figure)
    assert read == pytest.approx(generated)


@pytest.mark.django_db
def test_bulk_written_reports_are_what_the_service_writes() -> None:
    call_command("load_demo", stdout=StringIO())
    bulk = UnitObservation.objects.filter(source=SOURCE).select_related("period").first()
    assert bulk is not None
    fields = [f.attname for f in UnitObservation._meta.concrete_fields if f.attname != "id"]
    written = {name: getattr(bulk, name) for name in fields}
    UnitObservation.objects.filter(pk=bulk.pk).delete()  # only to write the same key again
    again, created = services.unit_observation_record(
        indicator=bulk.indicator,
        enterprise=bulk.enterprise,
        period=bulk.period,
        basis=bulk.basis,
        value=bulk.value,
        actor=None,
        source=SOURCE,
        at=_filed_at(bulk.period.year, bulk.period.month),
        audited=False,
    )
    again.refresh_from_db()
    assert created and {name: getattr(again, name) for name in fields} == written


# Parts and their wholes as an enterprise reports them.
PARTS = [
    ("budget_tax", "budget_revenue"),
    ("budget_tax", "tax_total"),
    ("ind_investment", "fai"),
    ("tech_upgrade_investment", "ind_investment"),
    ("profit_service_revenue", "service_revenue"),
    ("export", "trade"),
    ("import", "trade"),
    ("ind_electricity", "electricity"),
    ("hitech_output", "ind_output"),
    ("emerging_output", "ind_output"),
]


def test_enterprises_never_report_a_part_above_its_whole() -> None:
    values = demo_data.monthly_values()
    assert all(value >= 0 for value in values.values())
    for part, whole in PARTS:
        cells = [(s, y, m) for s, code, y, m in values if code == part]
        assert cells
        for s, y, m in cells:
            assert values[(s, part, y, m)] <= values[(s, whole, y, m)], (s, part, y, m)
