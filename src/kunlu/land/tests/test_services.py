"""Services: each rule, and each way it refuses (asserting the error code)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kunlu.core.models import AuditEvent
from kunlu.land import services
from kunlu.land.choices import ActionStatus, Direction, Method, ParcelStatus, Stage
from kunlu.land.models import (
    Allocation,
    Commitment,
    Criterion,
    Parcel,
    RemedyAction,
    Review,
    ReviewResult,
    Scorecard,
)
from kunlu.land.tests.conftest import Land


def refused(code: str, call: Callable[[], Any]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call()
    codes = [e.code for errors in info.value.error_dict.values() for e in errors]
    assert code in codes, codes
    return info.value


# -- parcels -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [0, -3])
def test_area_must_be_positive_and_the_message_names_the_field(land: Land, area: int) -> None:
    error = refused("area_not_positive", lambda: land.parcel(area=area))
    assert "面积（亩）" in error.message_dict["area_mu"][0]
    assert not Parcel.objects.exists()


def test_a_negative_price_is_refused(land: Land) -> None:
    refused("price_negative", lambda: land.parcel(price_wan=Decimal(-1)))


def test_the_area_is_fixed_once_listed(land: Land) -> None:
    parcel = land.listed()
    refused(
        "area_locked",
        lambda: services.parcel_update(obj=parcel, data={"area_mu": Decimal(30)}, actor=land.office),
    )
    services.parcel_update(obj=parcel, data={"name": "新名称"}, actor=land.office)
    assert Parcel.objects.get().name == "新名称"


def test_a_new_parcel_is_in_the_reserve_and_audited(land: Land) -> None:
    parcel = land.parcel(status=ParcelStatus.PRODUCING)  # the form cannot set the status
    assert parcel.status == ParcelStatus.RESERVE
    assert AuditEvent.objects.filter(event="land.parcel.create", object_id=str(parcel.pk)).exists()


def test_refused_transitions_say_from_what_to_what(land: Land) -> None:
    parcel = land.parcel()
    error = refused(
        "transition_refused",
        lambda: services.parcel_transition(parcel=parcel, to=ParcelStatus.PRODUCING, actor=land.office),
    )
    assert "“储备”变为“投产”" in error.message_dict["status"][0]


def test_sale_goes_through_the_allocation_decision(land: Land) -> None:
    parcel = land.listed()
    refused(
        "allocation_required",
        lambda: services.parcel_transition(parcel=parcel, to=ParcelStatus.SOLD, actor=land.office),
    )


def test_a_parcel_cannot_be_listed_without_its_control_indicators(land: Land) -> None:
    parcel = land.parcel()
    services.parcel_indicators_set(parcel=parcel, values={land.ind["far"]: Decimal(2)}, actor=land.office)
    error = refused(
        "indicators_missing",
        lambda: services.parcel_list(
            parcel=parcel, scorecard=land.scorecard, listed_on=date(2024, 6, 1), actor=land.office
        ),
    )
    assert "投资强度" in error.message_dict["control_values"][0] and "亩均税收" in error.messages[0]
    assert Parcel.objects.get().status == ParcelStatus.RESERVE


def test_a_parcel_cannot_be_listed_without_a_scorecard(land: Land) -> None:
    parcel = land.parcel()
    refused(
        "scorecard_missing",
        lambda: services.parcel_transition(parcel=parcel, to=ParcelStatus.LISTED, actor=land.office),
    )


def test_a_scorecard_whose_weights_do_not_sum_to_100_is_refused(land: Land) -> None:
    Criterion.objects.filter(scorecard=land.scorecard, name="投资强度").update(weight=Decimal(20))
    parcel = land.parcel()
    services.parcel_indicators_set(
        parcel=parcel,
        values={land.ind[c]: Decimal(1) for c in ("investment_intensity", "far", "tax_per_mu")},
        actor=land.office,
    )
    error = refused(
        "weights_sum",
        lambda: services.parcel_list(
            parcel=parcel, scorecard=land.scorecard, listed_on=date(2024, 6, 1), actor=land.office
        ),
    )
    assert "95" in error.messages[0]


def test_listing_with_the_standard(land: Land) -> None:
    parcel = land.listed()
    assert parcel.status == ParcelStatus.LISTED and parcel.listed_on == date(2024, 6, 20)
    assert parcel.scorecard == land.scorecard
    assert AuditEvent.objects.filter(event="land.parcel.transition", data__to="listed").exists()


def test_control_indicators_are_set_before_listing_only(land: Land) -> None:
    parcel = land.listed()
    refused(
        "indicators_locked",
        lambda: services.parcel_indicators_set(
            parcel=parcel, values={land.ind["far"]: Decimal(3)}, actor=None
        ),
    )


def test_a_negative_control_value_is_refused(land: Land) -> None:
    parcel = land.parcel()
    refused(
        "value_negative",
        lambda: services.parcel_indicators_set(
            parcel=parcel, values={land.ind["far"]: Decimal(-1)}, actor=None
        ),
    )


def test_starting_construction_needs_the_date(land: Land) -> None:
    parcel = land.awarded()
    refused(
        "start_date_required",
        lambda: services.parcel_transition(parcel=parcel, to=ParcelStatus.BUILDING, actor=land.office),
    )
    refused(
        "date_order",
        lambda: services.parcel_transition(
            parcel=parcel, to=ParcelStatus.BUILDING, on=date(2024, 1, 1), actor=land.office
        ),
    )
    services.parcel_transition(
        parcel=parcel, to=ParcelStatus.BUILDING, on=date(2024, 10, 15), actor=land.office
    )
    assert Parcel.objects.get().actual_start_date == date(2024, 10, 15)


def test_recovering_an_idle_parcel_returns_it_to_the_reserve(land: Land) -> None:
    parcel = land.awarded()
    services.parcel_transition(parcel=parcel, to=ParcelStatus.IDLE, actor=land.office)
    services.parcel_transition(parcel=parcel, to=ParcelStatus.RESERVE, actor=land.office)
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.RESERVE and parcel.holder is None
    assert parcel.history.filter(holder=land.world.enterprise_a).exists()  # the former holder is kept


# -- scorecards ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"weight": Decimal(0)}, "weight_not_positive"),
        ({"method": Method.CATEGORICAL}, "method_mismatch"),
        ({"target": None}, "bounds_required"),
        ({"target": Decimal(50)}, "floor_equals_target"),
        ({"method": Method.BANDED, "bands": []}, "bands_required"),
        ({"method": Method.BANDED, "bands": [{"points": 3}]}, "band_invalid"),
        ({"method": Method.BANDED, "bands": [{"min": 1, "points": 40}]}, "band_points_exceed"),
    ],
)
def test_criterion_refusals(land: Land, changes: dict[str, Any], code: str) -> None:
    data = {
        "scorecard": Scorecard.objects.create(code="x", name="x"),
        "name": "预计亩均税收",
        "source": "tax_per_mu",
        "weight": Decimal(30),
        "method": Method.LINEAR,
        "floor": Decimal(50),
        "target": Decimal(200),
        **changes,
    }
    refused(code, lambda: services.criterion_create(data=data, actor=None))


# -- applications and scoring --------------------------------------------------------------------------------


def test_applications_are_taken_for_listed_parcels_only(land: Land) -> None:
    parcel = land.parcel()
    refused("not_listed", lambda: land.apply(parcel))


def test_an_application_names_its_applicant(land: Land) -> None:
    parcel = land.listed()
    refused("applicant_missing", lambda: land.apply(parcel, applicant=None))


def test_the_applicant_must_be_an_enterprise(land: Land) -> None:
    parcel = land.listed()
    refused("not_enterprise", lambda: land.apply(parcel, applicant=land.world.bureau_a))


def test_declared_figures_cannot_be_negative(land: Land) -> None:
    parcel = land.listed()
    error = refused("value_negative", lambda: land.apply(parcel, expected_tax_wan=Decimal(-1)))
    assert "达产年税收" in error.message_dict["expected_tax_wan"][0]


def test_scoring_needs_a_listed_parcel_with_applications(land: Land) -> None:
    parcel = land.parcel()
    refused("not_listed", lambda: services.applications_score(parcel=parcel, actor=None))
    listed = land.listed("ZA-02")
    refused("no_applications", lambda: services.applications_score(parcel=listed, actor=None))


def test_a_corrected_application_must_be_scored_again(land: Land) -> None:
    parcel = land.listed()
    application = land.apply(parcel)
    services.applications_score(parcel=parcel, actor=None)
    application.refresh_from_db()
    assert application.rank == 1
    services.application_update(obj=application, data={"expected_tax_wan": Decimal(4000)}, actor=None)
    application.refresh_from_db()
    assert application.rank is None and application.trace == []


# -- the allocation decision ---------------------------------------------------------------------------------


def _decide(land: Land, parcel: Parcel, winner: Any, **extra: Any) -> Allocation:
    data: dict[str, Any] = {
        "reasons": "评分第一",
        "price_wan": None,
        "contract_date": date(2024, 9, 10),
        "agreed_start_date": date(2024, 10, 31),
        "agreed_completion_date": date(2025, 10, 31),
        "agreed_production_date": date(2026, 10, 31),
        **extra,
    }
    return services.allocation_decide(parcel=parcel, winner=winner, actor=land.office, **data)


def test_a_decision_on_a_parcel_not_listed_is_refused(land: Land) -> None:
    parcel = land.awarded()
    application = parcel.applications.first()
    refused("not_listed", lambda: _decide(land, parcel, application))


def test_decision_refusals(land: Land) -> None:
    parcel = land.listed()
    other = land.listed("ZA-02")
    mine = land.apply(parcel)
    theirs = land.apply(other)
    newcomer = land.apply(parcel, applicant=None, investor_name="拟设投资方")
    refused("not_scored", lambda: _decide(land, parcel, mine))
    services.applications_score(parcel=parcel, actor=None)
    mine.refresh_from_db()
    newcomer.refresh_from_db()
    refused("wrong_parcel", lambda: _decide(land, parcel, theirs))
    refused("applicant_unregistered", lambda: _decide(land, parcel, newcomer))
    refused("reasons_required", lambda: _decide(land, parcel, mine, reasons="  "))
    refused("price_negative", lambda: _decide(land, parcel, mine, price_wan=Decimal(-5)))
    refused("date_order", lambda: _decide(land, parcel, mine, agreed_start_date=date(2024, 1, 1)))
    assert not Allocation.objects.exists()


def test_a_ranking_made_before_applications_changed_is_stale(land: Land) -> None:
    parcel = land.listed()
    mine = land.apply(parcel)
    services.applications_score(parcel=parcel, actor=None)
    mine.refresh_from_db()
    late = land.apply(parcel, applicant="enterprise_b")  # added after scoring
    error = refused("ranking_stale", lambda: _decide(land, parcel, mine))
    assert "1件申请" in error.message_dict["winner"][0]
    services.applications_score(parcel=parcel, actor=None)
    mine.refresh_from_db()
    late.refresh_from_db()
    services.application_update(obj=late, data={"expected_tax_wan": Decimal(1)}, actor=None)  # edited
    refused("ranking_stale", lambda: _decide(land, parcel, mine))
    assert not Allocation.objects.exists()
    services.applications_score(parcel=parcel, actor=None)
    mine.refresh_from_db()
    assert _decide(land, parcel, mine).winner == mine


def test_a_recovered_parcel_is_cleared_and_can_be_allocated_again(land: Land) -> None:
    parcel = land.awarded()
    first = Allocation.objects.get()
    old_applications = list(parcel.applications.all())
    services.parcel_transition(parcel=parcel, to=ParcelStatus.IDLE, actor=land.office)
    parcel = services.parcel_transition(parcel=parcel, to=ParcelStatus.RESERVE, actor=land.office)
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.RESERVE
    assert [getattr(parcel, f) for f in services.RECOVERED_FIELDS] == [None] * len(services.RECOVERED_FIELDS)
    first.refresh_from_db()
    old_applications[0].refresh_from_db()
    assert not first.is_current and not old_applications[0].is_current
    refused(
        "application_closed",
        lambda: services.application_update(obj=old_applications[0], data={"note": "x"}, actor=None),
    )
    parcel = services.parcel_list(
        parcel=parcel, scorecard=land.scorecard, listed_on=date(2025, 3, 1), actor=land.office
    )
    fresh = land.apply(parcel, applicant="enterprise_b")
    ranked = services.applications_score(parcel=parcel, actor=land.office)
    assert ranked == [fresh]  # the earlier round does not compete again
    second = _decide(land, parcel, ranked[0], contract_date=date(2024, 9, 1))
    parcel.refresh_from_db()
    assert parcel.holder == land.world.enterprise_b and parcel.contract_date == date(2024, 9, 1)
    assert second.is_current and Allocation.objects.count() == 2
    assert Allocation.objects.get(parcel=parcel, is_current=True) == second
    # reviews check the current holder's commitments only
    assert set(Commitment.objects.filter(allocation=second).values_list("enterprise", flat=True)) == {
        land.world.enterprise_b.pk
    }
    review = services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=timezone.localdate(),
        measured={
            c.pk: c.value for c in Commitment.objects.filter(allocation=second, due_stage=Stage.COMPLETION)
        },
        actor=land.office,
    )
    assert {r.commitment.allocation_id for r in review.results.all()} == {second.pk}


def test_the_decision_awards_the_parcel_and_makes_the_commitments(land: Land) -> None:
    parcel = land.awarded()
    assert parcel.status == ParcelStatus.SOLD and parcel.holder == land.world.enterprise_a
    allocation = Allocation.objects.get()
    assert allocation.decided_by == land.office and allocation.reasons == "评分第一"
    values = {c.indicator.code: (c.value, c.control_value, c.due_stage) for c in Commitment.objects.all()}
    # The standard, or the winner's declared figure where it promises better (35200万元 / 20亩 = 1760).
    assert values == {
        "investment_intensity": (Decimal(1760), Decimal(1500), Stage.COMPLETION),
        "far": (Decimal(2), Decimal(2), Stage.COMPLETION),
        "tax_per_mu": (Decimal(165), Decimal(150), Stage.PRODUCTION),
        "output_per_mu": (Decimal(5280), Decimal(4000), Stage.PRODUCTION),
    }
    event = AuditEvent.objects.get(event="land.allocation.decide")
    assert event.data["holder"] == land.world.enterprise_a.name and event.actor == land.office


# -- reviews and remedies ------------------------------------------------------------------------------------


def _measured(parcel: Parcel, stage: str, **values: Any) -> dict[int, Decimal | None]:
    found = {
        c.indicator.code: c.pk for c in parcel.commitments.filter(due_stage=stage).select_related("indicator")
    }
    return {found[code]: None if v is None else Decimal(v) for code, v in values.items()}


def test_review_refusals(land: Land) -> None:
    listed = land.listed("ZA-09")
    refused(
        "not_awarded",
        lambda: services.review_record(
            parcel=listed, stage=Stage.COMPLETION, reviewed_on=date(2025, 11, 1), measured={}, actor=None
        ),
    )
    parcel = land.awarded()
    ok = _measured(parcel, Stage.COMPLETION, investment_intensity=1800, far=2)
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused(
        "future_date",
        lambda: services.review_record(
            parcel=parcel, stage=Stage.COMPLETION, reviewed_on=tomorrow, measured=ok, actor=None
        ),
    )
    Commitment.objects.filter(due_stage=Stage.PRODUCTION).update(due_stage=Stage.COMPLETION)
    refused(
        "no_commitments",
        lambda: services.review_record(
            parcel=parcel, stage=Stage.PRODUCTION, reviewed_on=date(2025, 11, 1), measured={}, actor=None
        ),
    )
    Commitment.objects.filter(indicator__code__in=["tax_per_mu", "output_per_mu"]).update(
        due_stage=Stage.PRODUCTION
    )
    refused(
        "measured_missing",
        lambda: services.review_record(
            parcel=parcel,
            stage=Stage.COMPLETION,
            reviewed_on=date(2025, 11, 1),
            measured=_measured(parcel, Stage.COMPLETION, investment_intensity=1800),
            actor=None,
        ),
    )
    refused(
        "measured_negative",
        lambda: services.review_record(
            parcel=parcel,
            stage=Stage.COMPLETION,
            reviewed_on=date(2025, 11, 1),
            measured=_measured(parcel, Stage.COMPLETION, investment_intensity=-1, far=2),
            actor=None,
        ),
    )
    assert not Review.objects.exists()


def test_a_review_never_overwrites_a_previous_one(land: Land) -> None:
    parcel = land.awarded()
    first = services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=date(2025, 11, 1),
        measured=_measured(parcel, Stage.COMPLETION, investment_intensity=1496, far=2),
        actor=land.office,
    )
    second = services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=date(2026, 5, 1),
        measured=_measured(parcel, Stage.COMPLETION, investment_intensity=1800, far="2.2"),
        actor=land.office,
    )
    assert (first.sequence, second.sequence) == (1, 2)
    assert list(
        first.results.values_list("met", flat=True).order_by("commitment__indicator__sort_order")
    ) == [
        False,
        True,
    ]
    assert all(second.results.values_list("met", flat=True))
    assert AuditEvent.objects.filter(event="land.review.record").count() == 2


def test_remedy_status_rules(land: Land) -> None:
    parcel = land.awarded()
    services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=date(2025, 11, 1),
        measured=_measured(parcel, Stage.COMPLETION, investment_intensity=1496, far=2),
        actor=land.office,
    )
    action = RemedyAction.objects.get()
    refused(
        "note_required",
        lambda: services.remedy_action_update(obj=action, data={"status": ActionStatus.WAIVED}, actor=None),
    )
    services.remedy_action_update(
        obj=action, data={"status": ActionStatus.DONE, "status_note": "已缴纳"}, actor=None
    )
    refused(
        "action_closed",
        lambda: services.remedy_action_update(obj=action, data={"status": ActionStatus.OPEN}, actor=None),
    )
    assert RemedyAction.objects.get().status == ActionStatus.DONE


def test_commitments_bind_both_ways(land: Land) -> None:
    """A ≤ indicator (energy per unit of output) is short when the measured value is above it."""
    parcel = land.parcel()
    standard = {"investment_intensity": "1500", "far": "2", "tax_per_mu": "150", "energy_per_output": "0.05"}
    values = {land.ind[c]: Decimal(v) for c, v in standard.items()}
    services.parcel_indicators_set(parcel=parcel, values=values, actor=None)
    parcel = services.parcel_list(
        parcel=parcel, scorecard=land.scorecard, listed_on=date(2024, 6, 1), actor=None
    )
    land.apply(parcel)
    ranked = services.applications_score(parcel=parcel, actor=None)
    _decide(land, parcel, ranked[0])
    energy = Commitment.objects.get(indicator__code="energy_per_output")
    assert energy.direction == Direction.LTE and energy.value == Decimal("0.05")
    review = services.review_record(
        parcel=parcel,
        stage=Stage.PRODUCTION,
        reviewed_on=date(2026, 11, 1),
        measured=_measured(parcel, Stage.PRODUCTION, tax_per_mu=170, energy_per_output="0.06"),
        actor=None,
    )
    result = review.results.get(commitment=energy)
    assert not result.met and result.shortfall == Decimal("0.2")


@pytest.mark.parametrize(
    ("direction", "pct", "text"),
    [
        (Direction.GTE, Decimal("20"), "低于承诺值20.0%"),
        (Direction.GTE, Decimal("20.05"), "低于承诺值20.1%"),  # half up, not to even
        (Direction.LTE, Decimal("12.25"), "高于承诺值12.3%"),
    ],
)
def test_the_remedy_text_says_which_way_the_commitment_was_missed(
    land: Land, direction: str, pct: Decimal, text: str
) -> None:
    commitment = Commitment(direction=direction)
    assert services._shortfall_text(commitment, pct) == text


def test_a_later_holder_does_not_see_an_earlier_holders_reviews(land: Land) -> None:
    parcel = land.awarded()
    due = Commitment.objects.filter(allocation__parcel=parcel, due_stage=Stage.COMPLETION)
    earlier = services.review_record(
        parcel=parcel,
        stage=Stage.COMPLETION,
        reviewed_on=timezone.localdate(),
        measured={c.pk: c.value for c in due},
        actor=land.office,
    )
    assert earlier.enterprise == land.world.enterprise_a
    services.parcel_transition(parcel=parcel, to=ParcelStatus.IDLE, actor=land.office)
    parcel = services.parcel_transition(parcel=parcel, to=ParcelStatus.RESERVE, actor=land.office)
    parcel = services.parcel_list(
        parcel=parcel, scorecard=land.scorecard, listed_on=date(2025, 3, 1), actor=land.office
    )
    land.apply(parcel, applicant="enterprise_b")
    ranked = services.applications_score(parcel=parcel, actor=land.office)
    _decide(land, parcel, ranked[0], contract_date=date(2024, 9, 1))
    world = land.world
    assert not Review.objects.restrict(world.enterprise_user_b).filter(pk=earlier.pk).exists()
    assert not ReviewResult.objects.restrict(world.enterprise_user_b).filter(review=earlier).exists()
    assert Review.objects.restrict(world.enterprise_user_a).filter(pk=earlier.pk).exists()
