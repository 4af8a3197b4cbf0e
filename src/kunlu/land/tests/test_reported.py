"""竣工/达产核验 against reported data: commitments measured from the holder's evaluation figures and the
project register, the review page pre-filled with the source beside each value, overrides recorded as typed,
and figures read only within the reviewer's territory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from kunlu.accounts import services as account_services
from kunlu.core.services import period_for
from kunlu.core.testing import PASSWORD, client_for
from kunlu.evaluation.services import figure_record
from kunlu.land import services
from kunlu.land.choices import MeasuredSource, Stage
from kunlu.land.forms import ReviewForm
from kunlu.land.models import Commitment, Parcel, ReviewResult
from kunlu.land.selectors import Reported, reported_values
from kunlu.land.tests.conftest import CONTROLS, Land
from kunlu.projects import services as project_services
from kunlu.projects.models import Project

# The parcel's standard with the three indicators measured only from figures (能耗, 排放, 研发) added.
MORE_CONTROLS: dict[str, str | int] = {
    **CONTROLS,
    "energy_per_output": "0.05",
    "va_per_emission": 100,
    "rd_intensity": 3,
}

# The holder's 2025 figures: 20亩 parcel, so 亩均税收 3123.45 ÷ 20 = 156.1725 万元/亩 and so on.
FIGURES_2025 = {
    "tax": "3123.45",
    "output": "98765.4",
    "energy_tce": "1234.5",
    "value_added": "24000",
    "emission": "12.5",
    "rd_expense": "1500",
    "revenue": "40000",
}


def awarded_with_all(land: Land, code: str = "ZA-01", applicant: str = "enterprise_a") -> Parcel:
    """A 20亩 parcel in zone A listed with every default indicator and awarded (contract 2024-09-10)."""
    parcel = land.parcel(code)
    services.parcel_indicators_set(
        parcel=parcel, values={land.ind[c]: Decimal(v) for c, v in MORE_CONTROLS.items()}, actor=land.office
    )
    parcel = services.parcel_list(
        parcel=parcel, scorecard=land.scorecard, listed_on=date(2024, 6, 20), actor=land.office
    )
    land.apply(parcel, applicant)
    ranked = services.applications_score(parcel=parcel, actor=land.office)
    services.allocation_decide(
        parcel=parcel,
        winner=ranked[0],
        reasons="评分第一",
        price_wan=None,
        contract_date=date(2024, 9, 10),
        agreed_start_date=date(2024, 10, 31),
        agreed_completion_date=date(2025, 10, 31),
        agreed_production_date=date(2026, 10, 31),
        actor=land.office,
    )
    parcel.refresh_from_db()
    return parcel


def report(enterprise: Any, year: int, figures: dict[str, str]) -> None:
    for code, value in figures.items():
        figure_record(enterprise=enterprise, year=year, input=code, value=Decimal(value), actor=None)


def project(land: Land, name: str, *, territory: Any = None, currency: str = "CNY") -> Project:
    return project_services.project_create(
        data={
            "name": name,
            "territory": territory or land.world.zone_a,
            "enterprise": land.world.enterprise_a,
            "signed_on": date(2024, 5, 20),
            "total_investment": Decimal(50000),
            "currency": currency,
        },
        actor=None,
    )


def actual(p: Project, year: int, month: int, cumulative: int) -> None:
    project_services.actual_record(
        project=p,
        period=period_for(year, month),
        currency=p.currency,
        cumulative=Decimal(cumulative),
        actor=None,
    )


def by_code(parcel: Parcel, found: dict[int, Reported]) -> dict[str, Reported]:
    codes = dict(Commitment.objects.filter(parcel=parcel).values_list("pk", "indicator__code"))
    return {codes[pk]: r for pk, r in found.items()}


def commitments(parcel: Parcel, stage: str | None = None) -> list[Commitment]:
    qs = Commitment.objects.filter(parcel=parcel).select_related("indicator")
    return list(qs.filter(due_stage=stage) if stage else qs)


def test_the_worked_case(land: Land) -> None:
    """Every mapped indicator of a 20亩 parcel from the 2025 figures and the project register."""
    parcel = awarded_with_all(land)
    report(land.world.enterprise_a, 2025, FIGURES_2025)
    report(land.world.enterprise_a, 2024, {"tax": "100"})  # another year: not read
    one = project(land, "一期厂房")
    actual(one, 2023, 12, 7000)  # before the land contract (2024): not this parcel's
    actual(one, 2024, 10, 3000)
    actual(one, 2024, 12, 8000)  # the year's last month counts, not the months before it
    actual(one, 2025, 6, 12000)
    actual(one, 2025, 6, 12500)  # a revision: only the current version counts
    actual(one, 2026, 1, 5000)  # after the data year: not counted
    two = project(land, "二期设备")
    actual(two, 2025, 12, 9000)
    elsewhere = project(land, "乙区项目", territory=land.world.zone_b)
    actual(elsewhere, 2025, 12, 40000)  # outside the parcel's park: not counted

    found = by_code(
        parcel, reported_values(user=land.office, parcel=parcel, commitments=commitments(parcel), year=2025)
    )

    assert found["tax_per_mu"].value == Decimal("156.1725")  # 3123.45万元 ÷ 20亩
    assert found["tax_per_mu"].source_text == "据2025年企业申报：评价税收3123.5万元 ÷ 地块面积20亩"
    assert found["output_per_mu"].value == Decimal("4938.2700")  # 98765.4 ÷ 20
    # 吨标准煤 ÷ 万元 is already the catalogue's 吨标准煤/万元: 1234.5 ÷ 98765.4 = 0.012499…
    assert found["energy_per_output"].value == Decimal("0.0125")
    assert found["va_per_emission"].value == Decimal("1920.0000")  # 24000万元 ÷ 12.5吨
    # 万元 ÷ 万元 is a 比值; the commitment is in %: 1500 ÷ 40000 = 0.0375 → 3.75%.
    assert found["rd_intensity"].value == Decimal("3.7500")
    assert found["rd_intensity"].source_text.endswith(
        "研发经费支出1500.0万元 ÷ 营业收入（主营业务收入）40000.0万元 × 100"
    )
    # (8000 + 12500 + 9000)万元 ÷ 20亩 = 1475 万元/亩.
    assert found["investment_intensity"].value == Decimal("1475.0000")
    assert found["investment_intensity"].source_text == (
        "据项目库2024—2025年2个项目填报：项目累计完成投资29500.0万元 ÷ 地块面积20亩"
    )
    assert "far" not in found  # 容积率 has no reported source


def test_units_are_converted_or_the_value_is_left_to_the_reviewer(land: Land) -> None:
    parcel = awarded_with_all(land)
    report(land.world.enterprise_a, 2025, FIGURES_2025)
    tax = next(c for c in commitments(parcel) if c.indicator.code == "tax_per_mu")
    tax.unit = "元/亩"
    found = reported_values(user=land.office, parcel=parcel, commitments=[tax], year=2025)
    assert found[tax.pk].value == Decimal("1561725.0000")
    assert found[tax.pk].source_text.endswith("× 10000")
    tax.unit = "万元/平方米"  # no known conversion: no value rather than a wrong one
    assert reported_values(user=land.office, parcel=parcel, commitments=[tax], year=2025) == {}


def test_no_data_gives_no_value(land: Land) -> None:
    parcel = awarded_with_all(land)
    assert reported_values(user=land.office, parcel=parcel, commitments=commitments(parcel), year=2025) == {}
    # A zero denominator gives nothing either.
    report(land.world.enterprise_a, 2025, {"rd_expense": "10", "revenue": "0", "energy_tce": "5"})
    assert reported_values(user=land.office, parcel=parcel, commitments=commitments(parcel), year=2025) == {}


def test_investment_is_not_read_where_it_cannot_be_this_parcels(land: Land) -> None:
    parcel = awarded_with_all(land)
    actual(project(land, "一期厂房"), 2025, 12, 8000)
    due = commitments(parcel, Stage.COMPLETION)
    assert reported_values(user=land.office, parcel=parcel, commitments=due, year=2025)
    dollars = project(land, "外资项目", currency="USD")
    actual(dollars, 2025, 12, 100)
    assert reported_values(user=land.office, parcel=parcel, commitments=due, year=2025) == {}
    dollars.actuals.all().delete()
    awarded_with_all(land, "ZA-02")  # a second parcel of the holder in the park: attribution is ambiguous
    assert reported_values(user=land.office, parcel=parcel, commitments=due, year=2025) == {}


def test_figures_are_read_within_the_reviewers_territory(land: Land) -> None:
    """A zone-A parcel held by the zone-B enterprise: the zone-A office sees none of its figures, a city
    land office does."""
    parcel = awarded_with_all(land, applicant="enterprise_b")
    assert parcel.holder == land.world.enterprise_b
    report(land.world.enterprise_b, 2025, FIGURES_2025)
    due = commitments(parcel, Stage.PRODUCTION)
    assert reported_values(user=land.office, parcel=parcel, commitments=due, year=2025) == {}
    city = account_services.user_create(
        data={"username": "land_c", "organisation": None, "password": PASSWORD}, actor=None
    )
    account_services.role_grant(user=city, role_code="land_office", territory=land.world.city, actor=None)
    assert by_code(parcel, reported_values(user=city, parcel=parcel, commitments=due, year=2025))[
        "tax_per_mu"
    ].value == Decimal("156.1725")
    page = client_for(land.office).get(
        reverse("land:review_new", args=[parcel.pk, "production"]), {"year": 2025}
    )
    assert page.status_code == 200
    assert "156.1725" not in page.content.decode() and "评价税收" not in page.content.decode()


def test_the_data_year_defaults_to_the_year_before_the_review() -> None:
    assert ReviewForm.data_year(date(2026, 3, 1), None) == 2025
    assert ReviewForm.data_year(date(2026, 3, 1), 2023) == 2023
    assert ReviewForm.data_year(None, None) is None


def test_the_page_prefills_with_the_source_and_records_an_override_as_typed(land: Land) -> None:
    parcel = awarded_with_all(land)
    last_year = timezone.localdate().year - 1
    report(land.world.enterprise_a, last_year, FIGURES_2025)
    office = client_for(land.office)
    url = reverse("land:review_new", args=[parcel.pk, "production"])
    page = office.get(url).content.decode()  # no year given: the year before today's review
    ids = {c.indicator.code: c.pk for c in commitments(parcel, Stage.PRODUCTION)}
    assert f'name="m_{ids["tax_per_mu"]}" value="156.1725"' in page
    assert f"据{last_year}年企业申报：评价税收3123.5万元 ÷ 地块面积20亩" in page
    assert f'name="year" value="{last_year}"' in page
    assert "已按" in page and "预填5项实测值" in page

    # Another data year, reloaded without recording anything.
    report(land.world.enterprise_a, 2020, {"tax": "2000"})
    loaded = office.post(url, {"action": "load", "reviewed_on": "2021-03-01", "year": ""}).content.decode()
    assert f'name="m_{ids["tax_per_mu"]}" value="100.0000"' in loaded
    assert f'name="m_{ids["output_per_mu"]}"' in loaded and "无申报数据，请填写实测值" in loaded
    assert ReviewResult.objects.count() == 0

    values = {f"m_{pk}": "" for pk in ids.values()}
    values |= {
        f"m_{ids['tax_per_mu']}": "156.1725",  # taken over
        f"m_{ids['output_per_mu']}": "4000",  # overridden
        f"m_{ids['energy_per_output']}": "0.0125",
        f"m_{ids['va_per_emission']}": "1920",
        f"m_{ids['rd_intensity']}": "3.75",
    }
    done = office.post(url, {"reviewed_on": timezone.localdate().isoformat(), "year": last_year, **values})
    assert done.status_code == 302
    results = {
        r.commitment.indicator.code: r for r in ReviewResult.objects.select_related("commitment__indicator")
    }
    assert results["tax_per_mu"].source == MeasuredSource.REPORTED
    assert results["tax_per_mu"].source_text == f"据{last_year}年企业申报：评价税收3123.5万元 ÷ 地块面积20亩"
    assert results["va_per_emission"].source == MeasuredSource.REPORTED  # 1920 equals 1920.0000
    assert results["output_per_mu"].source == MeasuredSource.TYPED
    assert results["output_per_mu"].measured == Decimal(4000)
    assert results["output_per_mu"].source_text.startswith("核验人改填；申报数据计算值为4938.27（")
    listing = office.get(reverse("land:commitments", args=[parcel.pk])).content.decode()
    assert "（企业申报数据）" in listing and "（核验人填写）" in listing


def test_without_reported_data_values_are_typed(land: Land) -> None:
    parcel = awarded_with_all(land)
    due = commitments(parcel, Stage.COMPLETION)
    page = (
        client_for(land.office)
        .get(reverse("land:review_new", args=[parcel.pk, "completion"]), {"year": 2025})
        .content.decode()
    )
    assert "2025年没有可用于预填的企业申报数据" in page
    assert all(f'name="m_{c.pk}" value=' not in page for c in due)
    review = services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=date(2025, 11, 20),
        measured={c.pk: Decimal(2) for c in due},
        actor=land.office,
    )
    assert {r.source for r in review.results.all()} == {MeasuredSource.TYPED}
