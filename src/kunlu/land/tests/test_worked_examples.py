"""Worked examples of the scorecard and of the remedy rules, by hand and through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kunlu.land import rules, services
from kunlu.land.choices import RemedyKind, Stage
from kunlu.land.models import Application, RemedyAction, ReviewResult
from kunlu.land.tests.conftest import Land


def test_linear_banded_and_categorical_points() -> None:
    # 预计亩均税收 165 万元/亩 between floor 50 and target 200, 30 points: (165−50)/150 × 30 = 23.
    assert (
        rules.linear_points(Decimal(165), weight=Decimal(30), floor=Decimal(50), target=Decimal(200)).points
        == 23
    )
    # Beyond the target is capped at full points, below the floor at zero.
    assert (
        rules.linear_points(Decimal(900), weight=Decimal(30), floor=Decimal(50), target=Decimal(200)).points
        == 30
    )
    assert (
        rules.linear_points(Decimal(10), weight=Decimal(30), floor=Decimal(50), target=Decimal(200)).points
        == 0
    )
    # Lower is better when the floor is above the target (energy per unit of output).
    energy = rules.linear_points(
        Decimal("0.3"), weight=Decimal(10), floor=Decimal("0.5"), target=Decimal("0.1")
    )
    assert energy.points == 5
    bands = [{"min": 1, "points": 5}, {"min": 3, "points": 10}, {"min": 5, "points": 15}]
    assert rules.banded_points(Decimal("4.2"), weight=Decimal(15), bands=bands).points == 10
    assert rules.banded_points(Decimal("0.5"), weight=Decimal(15), bands=bands).points == 0
    labels = [{"label": "A", "points": 15}, {"label": "none", "points": 8}]
    assert rules.categorical_points("none", weight=Decimal(15), bands=labels).points == 8
    assert rules.categorical_points("D", weight=Decimal(15), bands=labels).points == 0


def test_the_default_scorecard_ranks_two_applicants_with_a_trace(land: Land) -> None:
    """20 亩; A: 35200万元 investment (1760/亩), 3300万元 tax (165/亩), R&D 4.2%, core chain, no band yet.
    B: 20000万元 (1000/亩), 1800万元 tax (90/亩), R&D 4.2%, off the chains, no band.

    A: tax (165−50)/150×30 = 23.00; investment (1760−500)/1500×25 = 21.00; chain 15; R&D ≥3 → 10;
    band 8 → 77.00
    B: tax (90−50)/150×30 = 8.00; investment (1000−500)/1500×25 = 8.33; chain 0; R&D 10; band 8
    → 34.33
    """
    parcel = land.listed()
    b = land.apply(
        parcel,
        applicant=None,
        investor_name="拟设投资方",
        total_investment_wan=Decimal(20000),
        expected_tax_wan=Decimal(1800),
        chain_fit="none",
    )
    a = land.apply(parcel)
    ranked = services.applications_score(parcel=parcel, actor=land.office)
    assert [x.pk for x in ranked] == [a.pk, b.pk]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.total_score, a.rank, b.total_score, b.rank) == (Decimal("77.00"), 1, Decimal("34.33"), 2)
    trace = {t["criterion"]: t for t in a.trace}
    assert trace["预计亩均税收"]["value"] == "165.00" and trace["预计亩均税收"]["points"] == "23.00"
    assert trace["投资强度"]["value"] == "1760.00" and trace["投资强度"]["points"] == "21.00"
    assert (
        trace["产业链契合度"]["value"] == "链主或核心环节"
        and trace["产业链契合度"]["points"] == "15.00"
        and trace["研发经费占营收比"]["band"] == "≥3"
    )
    assert trace["现有亩均评价等级"]["points"] == "8.00"
    assert sum(Decimal(t["points"]) for t in a.trace) == a.total_score


def test_ties_keep_the_earlier_application_first(land: Land) -> None:
    parcel = land.listed()
    first = land.apply(parcel)
    second = land.apply(parcel, applicant="enterprise_b")
    services.applications_score(parcel=parcel, actor=None)
    assert list(Application.objects.order_by("rank").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_shortfall_is_direction_aware() -> None:
    assert rules.shortfall(committed=Decimal(1760), measured=Decimal(1496), at_least=True) == Decimal("0.15")
    assert rules.shortfall(committed=Decimal(1760), measured=Decimal(1800), at_least=True) == 0
    assert rules.shortfall(committed=Decimal("0.05"), measured=Decimal("0.06"), at_least=False) == Decimal(
        "0.2"
    )
    assert rules.shortfall(committed=Decimal("0.05"), measured=Decimal("0.04"), at_least=False) == 0


def _review(land: Land, parcel, investment: str, on: date):  # type: ignore[no-untyped-def]
    ids = {c.indicator.code: c.pk for c in parcel.commitments.select_related("indicator")}
    return services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=on,
        measured={ids["investment_intensity"]: Decimal(investment), ids["far"]: Decimal(2)},
        actor=land.office,
    )


def test_remedies_by_shortfall_band(land: Land) -> None:
    """Committed 投资强度 1760 万元/亩 on a parcel sold for 960万元:
    - 1672 (5% short) → 整改 6 months from the review day;
    - 1496 (15% short) → 违约金 960 × 15% × 1 = 144万元;
    - 1056 (40% short) → 违约金 384万元 and 整改 12 months;
    - 800 (54.5% short) → 回购/收回."""
    cases = [
        ("1672", [(RemedyKind.RECTIFY, None, date(2026, 5, 20))]),
        ("1496", [(RemedyKind.PENALTY, Decimal(144), None)]),
        ("1056", [(RemedyKind.PENALTY, Decimal(384), None), (RemedyKind.RECTIFY, None, date(2026, 11, 20))]),
        ("800", [(RemedyKind.BUYBACK, None, None)]),
    ]
    for n, (measured, expected) in enumerate(cases, start=1):
        parcel = land.awarded(f"ZA-{n:02d}")
        _review(land, parcel, measured, date(2025, 11, 20))
        actions = RemedyAction.objects.filter(parcel=parcel).order_by("rule__sort_order")
        assert [(a.kind, a.amount_wan, a.due_date) for a in actions] == expected, measured


def test_two_failed_reviews_lead_to_buyback(land: Land) -> None:
    parcel = land.awarded()
    _review(land, parcel, "1672", date(2025, 11, 20))
    second = _review(land, parcel, "1700", date(2026, 5, 20))
    result = ReviewResult.objects.get(review=second, commitment__indicator__code="investment_intensity")
    assert result.failures == 2
    assert sorted(a.kind for a in result.actions.all()) == [RemedyKind.BUYBACK, RemedyKind.RECTIFY]
    # The first review and its action are untouched.
    assert RemedyAction.objects.filter(result__review__sequence=1).count() == 1
