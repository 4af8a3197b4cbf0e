"""The deadline: the report for month M is due on the N-th Chinese working day of month M+1."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kunlu.core import crud
from kunlu.reporting.models import MonthlyReport, ReportingDeadline
from kunlu.reporting.selectors import Month, deadlines, nth_working_day, report_deadline
from kunlu.reporting.tests.conftest import Setup, period


def test_national_day_week_pushes_the_september_deadline() -> None:
    """October 2025: 1–8 off (National Day and Mid-Autumn), Saturday 11 a 调休 working day.
    Working days: 9, 10, 11 (Sat), 13, 14 → the 5th is Tuesday 14 October."""
    assert nth_working_day(2025, 10, 5) == date(2025, 10, 14)
    assert nth_working_day(2025, 10, 3) == date(2025, 10, 11)  # a Saturday, worked in lieu


def test_spring_festival_and_its_make_up_saturday() -> None:
    """February 2025: 1–4 off (Spring Festival), Saturday 8 worked: 5, 6, 7, 8, 10 → the 5th is the 10th."""
    assert nth_working_day(2025, 2, 5) == date(2025, 2, 10)


def test_an_ordinary_month_counts_weekdays() -> None:
    assert nth_working_day(2025, 3, 5) == date(2025, 3, 7)
    assert nth_working_day(2025, 3, 1) == date(2025, 3, 3)  # 1 March 2025 is a Saturday


def test_a_year_the_calendar_does_not_know_is_refused_in_chinese() -> None:
    with pytest.raises(ValidationError) as info:
        nth_working_day(2099, 1, 5)
    assert info.value.code == "calendar_unknown_year"
    assert "2099" in info.value.messages[0] and "截止日期" in info.value.messages[0]


def test_a_working_day_number_past_the_month_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        nth_working_day(2025, 10, 25)
    assert info.value.code == "workday_number"


def test_report_deadline_uses_the_category_working_day(setup: Setup) -> None:
    assert report_deadline(category=setup.category, month=Month(2025, 9)) == date(2025, 10, 14)
    setup.category.deadline_workday = 3
    setup.category.save()
    assert report_deadline(category=setup.category, month=Month(2025, 9)) == date(2025, 10, 11)
    assert report_deadline(category=setup.category, month=Month(2025, 12)) == date(2026, 1, 6)


def test_a_deadline_set_by_hand_wins_for_its_month_and_category(setup: Setup) -> None:
    crud.record_create(
        model=ReportingDeadline,
        data={"period": period(2025, 9), "category": None, "due_on": date(2025, 10, 20)},
        actor=None,
    )
    assert report_deadline(category=setup.category, month=Month(2025, 9)) == date(2025, 10, 20)
    crud.record_create(
        model=ReportingDeadline,
        data={"period": period(2025, 9), "category": setup.category, "due_on": date(2025, 10, 17)},
        actor=None,
    )
    assert report_deadline(category=setup.category, month=Month(2025, 9)) == date(2025, 10, 17)
    assert report_deadline(category=setup.category, month=Month(2025, 8)) == date(2025, 9, 5)


def test_an_unknown_year_needs_a_deadline_set_by_hand(setup: Setup) -> None:
    """No report is started with a guessed deadline: the draft is refused until a deadline is set."""
    with pytest.raises(ValidationError) as info:
        setup.draft(2098, 12)
    assert info.value.code == "calendar_unknown_year"
    assert not MonthlyReport.objects.exists()
    listed = deadlines(pairs=[(setup.category, Month(2098, 12))])[(setup.category.pk, Month(2098, 12))]
    assert listed.on is None and "2099" in listed.error
    crud.record_create(
        model=ReportingDeadline,
        data={"period": period(2098, 12), "category": None, "due_on": date(2099, 1, 8)},
        actor=None,
    )
    assert setup.draft(2098, 12).deadline == date(2099, 1, 8)


def test_the_deadline_is_kept_on_the_report(setup: Setup) -> None:
    report = setup.draft(2025, 9)
    assert report.deadline == date(2025, 10, 14)
    setup.category.deadline_workday = 10
    setup.category.save()
    report.refresh_from_db()
    assert report.deadline == date(2025, 10, 14)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2025-09", Month(2025, 9)),
        ("2025-9", Month(2025, 9)),
        ("2025年9月", Month(2025, 9)),
        ("202509", Month(2025, 9)),
    ],
)
def test_months_are_read_as_the_trade_writes_them(text: str, month: Month) -> None:
    assert Month.parse(text) == month


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "九月", "", "2025/09/01"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Month.parse(text)
    assert info.value.code == "month_invalid"


def test_month_arithmetic_crosses_years() -> None:
    assert Month(2025, 1).previous() == Month(2024, 12)
    assert Month(2025, 12).next() == Month(2026, 1)
    assert Month(2025, 9).last_year() == Month(2024, 9)
    assert Month.due_now(date(2026, 1, 15)) == Month(2025, 12)
