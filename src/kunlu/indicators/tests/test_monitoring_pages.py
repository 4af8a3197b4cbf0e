"""Monitoring pages: computed from enterprise facts by the engine, narrowed to what the user may see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kunlu.core.services import period_for
from kunlu.core.testing import World, client_for, xlsx_rows
from kunlu.indicators import services
from kunlu.indicators.models import Indicator


def q(**params: str | int) -> dict[str, str | int]:
    """Query parameters, typed for the test client."""
    return params


@pytest.fixture
def facts(world: World) -> World:
    """Trade of two enterprises, one in each zone, for September of 2024 and 2025."""
    services.catalogue_install_defaults(actor=None)
    trade = Indicator.objects.get(code="trade")
    for enterprise, (prior, now) in (
        (world.enterprise_a, (80000, 95000)),
        (world.enterprise_b, (50000, 45000)),
    ):
        for year, value in ((2024, prior), (2025, now)):
            services.unit_observation_record(
                indicator=trade,
                enterprise=enterprise,
                period=period_for(year, 9),
                basis="ytd",
                value=Decimal(value),
                actor=None,
            )
    services.target_set(indicator=trade, territory=world.zone_a, year=2025, value=Decimal(100000), actor=None)
    return world


def test_zone_page_shows_the_computed_figures(facts: World) -> None:
    response = client_for(facts.analyst_a).get(reverse("indicators:monitoring_zone"), q(year=2025, month=9))
    assert response.status_code == 200
    line = next(ln for ln in response.context["lines"] if ln.indicator.code == "trade")
    assert line.metrics["ytd_value"] == 95000 and line.metrics["yoy_comparable"] == pytest.approx(0.1875)
    html = response.content.decode()
    assert "9.5亿美元" in html and "增长18.8%" in html and "两位数增长" in html
    assert line.metrics["share_of_city"] == pytest.approx(95000 / 140000)
    assert "behind_schedule" not in line.flags  # 95% of the target against 75% of the year
    trace = "/indicators/monitoring/trace/?zone=ZA&amp;year=2025&amp;month=9&amp;indicator=trade"
    assert html.count(f'href="{trace}" data-trace') == 10  # every figure of the line leads to its trace


def test_a_zone_analyst_sees_only_their_zone(facts: World) -> None:
    client = client_for(facts.analyst_a)
    url = reverse("indicators:monitoring_zone")
    response = client.get(url, q(year=2025, month=9))
    assert [z.code for z in response.context["zones"]] == ["ZA"]
    assert client.get(url, q(year=2025, month=9, zone="ZB")).status_code == 404
    trace = reverse("indicators:monitoring_trace")
    assert client.get(trace, q(zone="ZB", indicator="trade", year=2025, month=9)).status_code == 404


def test_users_without_monitoring_rights_get_404(facts: World) -> None:
    for name in ("indicators:monitoring_zone", "indicators:monitoring_city"):
        assert client_for(facts.nobody_a).get(reverse(name)).status_code == 404


def test_the_city_view_compares_the_zones(facts: World) -> None:
    response = client_for(facts.city_analyst).get(
        reverse("indicators:monitoring_city"), q(year=2025, month=9)
    )
    row = next(r for r in response.context["table"] if r["indicator"].code == "trade")
    assert row["city"]["ytd_value"] == 140000
    assert [cell["ytd_value"] for cell in row["zones"]] == [95000, 45000]


def test_trace_lists_the_enterprises_behind_a_figure(facts: World) -> None:
    response = client_for(facts.analyst_a).get(
        reverse("indicators:monitoring_trace"), q(zone="ZA", indicator="trade", year=2025, month=9)
    )
    [contributor] = response.context["contributors"]
    assert contributor["enterprise"] == facts.enterprise_a
    # The observations behind the figure, with their versions: this year's and last year's September.
    assert [(f.enterprise, f.period.year, f.version) for f in response.context["facts"]] == [
        (facts.enterprise_a, 2025, 1),
        (facts.enterprise_a, 2024, 1),
    ]
    assert contributor["increment"] == 15000 and contributor["contribution_rate"] == pytest.approx(1.0)


def test_export_of_the_zone_table(facts: World) -> None:
    response = client_for(facts.analyst_a).get(
        reverse("indicators:monitoring_zone"), q(year=2025, month=9, zone="ZA", export="xlsx")
    )
    rows = xlsx_rows(response.content)
    assert rows[0][:4] == ["指标", "当月", "1–N月累计", "同比（可比口径）"]
    # September alone (当月) and January–September are the same here: only September was reported.
    assert rows[1][:4] == ["外贸进出口总额", "9.5亿美元", "9.5亿美元", "18.8%"]


def test_the_default_month_is_the_latest_reported(facts: World) -> None:
    response = client_for(facts.analyst_a).get(reverse("indicators:monitoring_zone"))
    assert (response.context["monitoring"].year, response.context["monitoring"].month) == (2025, 9)


def test_the_api_gives_the_same_metrics_with_the_same_scope(facts: World) -> None:
    rows = client_for(facts.analyst_a).get("/api/monitoring/", q(year=2025, month=9)).json()
    trade = {r["zone_code"]: r for r in rows if r["indicator_code"] == "trade"}
    assert set(trade) == {"ZA", "CITY"}  # never another zone's figures
    assert trade["ZA"]["ytd_value"] == 95000 and trade["ZA"]["yoy_comparable"] == pytest.approx(0.1875)
    assert trade["ZA"]["double_digit_growth"] is True
    assert client_for(facts.analyst_a).get("/api/monitoring/", q(zone="ZB")).status_code == 404
    assert client_for(facts.nobody_a).get("/api/monitoring/").status_code == 404
    city = client_for(facts.city_analyst).get("/api/monitoring/", q(year=2025, month=9)).json()
    assert {r["zone_code"] for r in city if r["indicator_code"] == "trade"} == {"ZA", "ZB", "CITY"}


def test_the_default_month_waits_for_most_reporters(facts: World) -> None:
    """October 2025 has one early reporter of two: the page still opens on September."""
    services.unit_observation_record(
        indicator=Indicator.objects.get(code="trade"),
        enterprise=facts.enterprise_a,
        period=period_for(2025, 10),
        basis="month",
        value=Decimal(1),
        actor=None,
    )
    response = client_for(facts.analyst_a).get(reverse("indicators:monitoring_zone"))
    assert (response.context["monitoring"].year, response.context["monitoring"].month) == (2025, 9)


def test_dollar_figures_get_a_yuan_estimate_only_when_asked(facts: World) -> None:
    from kunlu.indicators.models import ExchangeRate

    ExchangeRate.objects.create(
        period=period_for(2025, 9), currency="USD", cny_per_unit=Decimal("7.1"), source="人民银行"
    )
    client = client_for(facts.analyst_a)
    url = reverse("indicators:monitoring_zone")
    plain = client.get(url, q(year=2025, month=9)).content.decode()
    assert "约合" not in plain
    asked = client.get(url, q(year=2025, month=9, cny=1)).content.decode()
    assert "约合67.5亿元" in asked  # 9.5亿美元 × 7.1, shown beside the dollars, never instead of them
    assert "9.5亿美元" in asked and "1美元 = 7.100000元" in asked


def test_the_page_as_of_a_moment_before_a_revision_shows_the_figure_of_then(facts: World) -> None:
    from django.utils import timezone

    before_revision = timezone.now()
    services.unit_observation_record(
        indicator=Indicator.objects.get(code="trade"),
        enterprise=facts.enterprise_a,
        period=period_for(2025, 9),
        basis="ytd",
        value=Decimal(100000),
        actor=None,
    )
    client = client_for(facts.analyst_a)
    url = reverse("indicators:monitoring_zone")

    def trade_ytd(**extra: str | int) -> float:
        response = client.get(url, q(year=2025, month=9, **extra))
        return float(
            next(ln for ln in response.context["lines"] if ln.indicator.code == "trade").metrics["ytd_value"]
        )

    assert trade_ytd() == 100000
    assert trade_ytd(as_of=before_revision.isoformat()) == 95000


def test_ratio_indicators_are_computed_from_their_terms(facts: World) -> None:
    """高新技术产业产值占比 = 高新技术产业产值 ÷ 规上工业总产值, this year against last (百分点)."""
    output, hitech = Indicator.objects.get(code="ind_output"), Indicator.objects.get(code="hitech_output")
    for year, total, part in ((2024, 1000, 400), (2025, 1000, 450)):
        for indicator, value in ((output, total), (hitech, part)):
            services.unit_observation_record(
                indicator=indicator,
                enterprise=facts.enterprise_a,
                period=period_for(year, 9),
                basis="ytd",
                value=Decimal(value),
                actor=None,
            )
    response = client_for(facts.analyst_a).get(reverse("indicators:monitoring_zone"), q(year=2025, month=9))
    share = next(ln for ln in response.context["lines"] if ln.indicator.code == "hitech_share")
    assert share.metrics["ytd_value"] == pytest.approx(0.45)
    assert share.metrics["ratio_change"] == pytest.approx(0.05)
    assert "较上年同期提高5.0个百分点" in response.content.decode()
    city = client_for(facts.city_analyst).get(reverse("indicators:monitoring_city"), q(year=2025, month=9))
    assert city.status_code == 200 and "45.0%" in city.content.decode()
    export = client_for(facts.analyst_a).get(
        reverse("indicators:monitoring_zone"), q(year=2025, month=9, export="xlsx")
    )
    assert ["高新技术产业产值占比", "", "45.0%", "较上年同期提高5.0个百分点"] in [
        r[:4] for r in xlsx_rows(export.content)
    ]


def test_the_city_total_traces_to_the_enterprises_the_user_may_see(facts: World) -> None:
    url = reverse("indicators:monitoring_trace")
    city = client_for(facts.city_analyst).get(url, q(zone="CITY", indicator="trade", year=2025, month=9))
    assert city.status_code == 200 and city.context["metrics"]["ytd_value"] == 140000
    assert 'href="/indicators/monitoring/city/?year=2025&amp;month=9"' in city.content.decode()
    assert {f.enterprise for f in city.context["facts"]} == {facts.enterprise_a, facts.enterprise_b}
    zone_user = client_for(facts.analyst_a).get(url, q(zone="CITY", indicator="trade", year=2025, month=9))
    assert {f.enterprise for f in zone_user.context["facts"]} == {facts.enterprise_a}  # never zone B's firms
