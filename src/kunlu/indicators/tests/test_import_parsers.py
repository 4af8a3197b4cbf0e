"""The cell readers and the magnitude check of the S1 datasets, on their own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kunlu.indicators.imports import (
    basis_parser,
    history_months,
    integer_parser,
    magnitude_message,
    magnitude_off,
    mistaken_unit,
    month_parser,
    value_parser,
    year_parser,
    yes_no_parser,
)


@pytest.mark.parametrize(("text", "year"), [("2025", 2025), ("2025年", 2025), (" 2000 ", 2000)])
def test_years(text: str, year: int) -> None:
    assert year_parser(text) == year


@pytest.mark.parametrize("text", ["2025年9月", "2025-09", "25", "1999", "2101", "二〇二五"])
def test_not_years(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        year_parser(text)
    assert exc.value.code == "year"


@pytest.mark.parametrize(("text", "month"), [("9", 9), ("09", 9), ("9月", 9), ("12", 12)])
def test_months(text: str, month: int) -> None:
    assert month_parser(text) == month


@pytest.mark.parametrize("text", ["0", "13", "2025-13", "9.5", "九月"])
def test_not_months(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        month_parser(text)
    assert exc.value.code == "month"


@pytest.mark.parametrize(
    ("text", "basis"),
    [("当月", "month"), ("累计", "ytd"), ("1–N月累计", "ytd"), ("1-N月累计", "ytd"), ("YTD", "ytd")],
)
def test_bases(text: str, basis: str) -> None:
    assert basis_parser(text) == basis


def test_yes_no_and_integers() -> None:
    assert yes_no_parser("是") is True and yes_no_parser("否") is False
    parse = integer_parser(low=0, high=6)
    assert parse("3") == 3 and parse("3.0") == 3
    for text in ("7", "-1", "1.5", "NaN", "Infinity", "三"):
        with pytest.raises(ValidationError):
            parse(text)


def test_values_keep_four_places_and_refuse_the_out_of_range() -> None:
    assert value_parser("1,234.567891") == Decimal("1234.5679")
    with pytest.raises(ValidationError) as exc:
        value_parser("1000000000000000")
    assert exc.value.code == "value_range"


def test_history_is_the_previous_month_then_last_year() -> None:
    assert history_months(2025, 9) == [(2025, 8), (2024, 9)]
    assert history_months(2025, 1) == [(2024, 12), (2024, 1)]


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
    st.integers(min_value=-8, max_value=8),
)
def test_a_value_is_flagged_exactly_when_four_or_more_powers_of_ten_off(base: Decimal, powers: int) -> None:
    value = base.scaleb(powers)
    assert magnitude_off(value, base) == (powers if abs(powers) >= 4 else None)
    assert magnitude_off(-value, base) == magnitude_off(value, base)  # a sign says nothing of the unit


def test_nothing_is_flagged_against_zero() -> None:
    assert magnitude_off(Decimal(0), Decimal(5)) is None
    assert magnitude_off(Decimal(5), Decimal(0)) is None


@pytest.mark.parametrize(
    ("unit", "powers", "wrong"),
    [
        ("万元", 4, "元"),
        ("万元", -4, "亿元"),
        ("亿元", 4, "万元"),
        ("亿元", 8, "元"),
        ("万美元", 4, "美元"),
        ("万千瓦时", 4, "千瓦时"),
        ("人", -4, "万人"),
        ("%", 4, ""),
        ("万元", 5, ""),
    ],
)
def test_the_unit_a_value_was_probably_written_in(unit: str, powers: int, wrong: str) -> None:
    assert mistaken_unit(unit, powers) == wrong


def test_the_message_says_how_far_off_and_why() -> None:
    message = magnitude_message(powers=4, reference=Decimal("1100000.0000"), when="2025年8月", unit="万元")
    assert message.startswith(
        "数值约为历史值的10000倍（2025年8月为1100000），是否误用“元”作单位（应为万元）？"
    )
    small = magnitude_message(powers=-4, reference=Decimal("68000"), when="2024年9月", unit="万美元")
    assert "万分之一" in small and "“亿美元”" in small
    odd = magnitude_message(powers=5, reference=Decimal("1.5"), when="2024年9月", unit="万元")
    assert "100000倍" in odd and "请核对单位" in odd
