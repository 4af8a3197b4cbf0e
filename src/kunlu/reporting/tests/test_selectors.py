"""Reads: missing and overdue reports per zone, the enterprise's forms, the review queue, comparisons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import OrganisationKind
from kunlu.core.models import TerritoryKind
from kunlu.core.services import territory_create
from kunlu.indicators.choices import Basis
from kunlu.indicators.services import unit_observation_record
from kunlu.reporting import services
from kunlu.reporting.selectors import (
    Month,
    comparison_values,
    enterprise_forms,
    may_review,
    reporting_progress,
    review_queue,
)
from kunlu.reporting.tests.conftest import Setup, period

SEPT = Month(2025, 9)


def _names(rows: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(r.enterprise.name for r in rows)


def test_missing_are_members_without_a_submitted_or_accepted_report(setup: Setup) -> None:
    w = setup.world
    services.report_submit(report=setup.draft(), actor=w.enterprise_user_a)
    setup.draft(enterprise=w.enterprise_b, actor=w.enterprise_user_b)  # a draft is still missing
    progress = reporting_progress(user=w.city_analyst, month=SEPT, today=date(2025, 10, 10))
    assert _names(progress.rows) == ["乙区测试企业", "甲区测试企业"]
    assert _names(progress.missing) == ["乙区测试企业"]
    assert progress.overdue == []  # the deadline is 14 October


def test_overdue_is_missing_past_the_deadline(setup: Setup) -> None:
    w = setup.world
    on_the_day = reporting_progress(user=w.city_analyst, month=SEPT, today=date(2025, 10, 14))
    assert on_the_day.overdue == []
    after = reporting_progress(user=w.city_analyst, month=SEPT, today=date(2025, 10, 16))
    assert _names(after.overdue) == ["乙区测试企业", "甲区测试企业"]
    assert {r.days_overdue for r in after.overdue} == {2}


def test_a_returned_report_is_missing_again_and_a_late_one_is_counted(setup: Setup) -> None:
    w = setup.world
    report = services.report_submit(
        report=setup.draft(), actor=w.enterprise_user_a, at=timezone.make_aware(datetime(2025, 10, 15, 9))
    )
    late = reporting_progress(user=w.analyst_a, month=SEPT, today=date(2025, 10, 20))
    assert late.missing == [] and late.rows[0].late and late.zones[0].late == 1
    services.report_return(report=report, comment="请核实", actor=w.analyst_a)
    returned = reporting_progress(user=w.analyst_a, month=SEPT, today=date(2025, 10, 20))
    assert _names(returned.overdue) == ["甲区测试企业"]
    assert returned.rows[0].status_label == "已退回"


def test_zone_analysts_see_their_zone_only(setup: Setup) -> None:
    w = setup.world
    assert _names(reporting_progress(user=w.analyst_a, month=SEPT).rows) == ["甲区测试企业"]
    assert _names(reporting_progress(user=w.analyst_b, month=SEPT).rows) == ["乙区测试企业"]
    assert reporting_progress(user=w.nobody_a, month=SEPT).rows == []
    city = reporting_progress(user=w.city_analyst, month=SEPT, zone=w.zone_b)
    assert _names(city.rows) == ["乙区测试企业"]


def test_only_members_of_that_month_are_due(setup: Setup) -> None:
    assert reporting_progress(user=setup.world.city_analyst, month=Month(2024, 12)).rows == []


def test_totals_per_zone_and_enterprises_of_a_park_count_in_their_zone(setup: Setup) -> None:
    w = setup.world
    park = territory_create(
        data={"code": "ZA-P", "name": "甲区一号园", "kind": TerritoryKind.PARK, "parent": w.zone_a},
        actor=None,
    )
    firm = account_services.organisation_create(
        data={
            "name": "园内企业",
            "kind": OrganisationKind.ENTERPRISE,
            "territory": park,
            "uscc": demo_uscc(103),
        },
        actor=None,
    )
    services.membership_create(
        data={"enterprise": firm, "category": setup.category, "valid_from": period(2025, 9)}, actor=None
    )
    services.report_accept(
        report=services.report_submit(report=setup.draft(), actor=w.enterprise_user_a), actor=w.analyst_a
    )
    progress = reporting_progress(user=w.city_analyst, month=SEPT, today=date(2025, 10, 20))
    totals = {z.zone.code if z.zone else None: z for z in progress.zones}
    assert set(totals) == {"ZA", "ZB"}
    assert (totals["ZA"].members, totals["ZA"].handed_in, totals["ZA"].accepted, totals["ZA"].overdue) == (
        2,
        1,
        1,
        1,
    )
    assert totals["ZA"].rate == "50.0%"
    assert (totals["ZB"].members, totals["ZB"].missing, totals["ZB"].overdue) == (1, 1, 1)
    assert {r.zone.code for r in progress.rows if r.zone} == {"ZA", "ZB"}


def test_an_unknown_calendar_year_is_shown_not_guessed(setup: Setup) -> None:
    progress = reporting_progress(
        user=setup.world.city_analyst, month=Month(2098, 12), today=date(2099, 3, 1)
    )
    assert progress.rows and all(r.due.on is None and "2099" in r.due.error for r in progress.rows)
    assert progress.overdue == []


def test_the_enterprise_sees_its_forms_month_by_month(setup: Setup) -> None:
    w = setup.world
    services.report_submit(report=setup.draft(), actor=w.enterprise_user_a)
    entries = enterprise_forms(
        user=w.enterprise_user_a, months=[SEPT, Month(2025, 8)], today=date(2025, 10, 10)
    )
    assert [(e.month, e.status, e.due.on) for e in entries] == [
        (SEPT, "submitted", date(2025, 10, 14)),
        (Month(2025, 8), "missing", date(2025, 9, 5)),
    ]
    assert not entries[0].overdue and entries[1].overdue and entries[1].days_overdue == 35
    assert entries[0].days_left == 4 and not entries[0].editable and entries[1].editable
    assert enterprise_forms(user=w.enterprise_user_b, months=[SEPT])[0].report is None
    assert enterprise_forms(user=w.analyst_a, months=[SEPT]) == []  # not an enterprise


def test_review_queue_follows_review_grants(setup: Setup) -> None:
    w = setup.world
    a = services.report_submit(report=setup.draft(), actor=w.enterprise_user_a)
    b = services.report_submit(
        report=setup.draft(enterprise=w.enterprise_b, actor=w.enterprise_user_b), actor=w.enterprise_user_b
    )
    assert list(review_queue(user=w.analyst_a)) == [a]
    assert list(review_queue(user=w.analyst_b)) == [b]
    assert set(review_queue(user=w.city_analyst)) == {a, b}
    assert list(review_queue(user=w.city_analyst, zone=w.zone_b)) == [b]
    assert list(review_queue(user=w.city_analyst, month=Month(2025, 8))) == []
    for user in (w.enterprise_user_a, w.nobody_a):
        assert not may_review(user) and list(review_queue(user=user)) == []
    assert may_review(w.analyst_a) and may_review(w.admin)


def test_comparison_values_respect_the_users_scope(setup: Setup) -> None:
    w = setup.world
    for month, value in ((8, 100), (9, 999)):
        unit_observation_record(
            indicator=setup.ind["ind_output"],
            enterprise=w.enterprise_a,
            period=period(2024 if month == 9 else 2025, month),
            basis=Basis.MONTH,
            value=Decimal(value),
            actor=None,
        )
    ids = [setup.ind["ind_output"].pk]
    previous, last_year = comparison_values(enterprise=w.enterprise_a, month=SEPT, indicator_ids=ids)
    assert previous == {ids[0]: Decimal(100)} and last_year == {ids[0]: Decimal(999)}
    assert comparison_values(
        enterprise=w.enterprise_a, month=SEPT, indicator_ids=ids, user=w.enterprise_user_a
    )[0]
    assert comparison_values(
        enterprise=w.enterprise_a, month=SEPT, indicator_ids=ids, user=w.enterprise_user_b
    ) == (
        {},
        {},
    )
