"""Numbers printed the trade's way, from the seed reports' own figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from kunlu.core.formatting import (
    CurrencyMismatch,
    Money,
    amount,
    chinese_number,
    growth,
    percent,
    points,
    pull,
    round_half_up,
    schedule_gap,
)


def test_amounts_in_yi_and_wan() -> None:
    assert amount(1561000) == "156.1亿元"  # 签约项目计划总投资额156.1亿元
    assert amount(Decimal("22700"), currency="USD", digits=2) == "2.27亿美元"  # 实际使用外资2.27亿美元
    assert amount(752000, currency="USD") == "75.2亿美元"
    assert amount(1234.56, scale="万", digits=1) == "1234.6万元"
    assert amount(None) == "—"


def test_rounding_is_half_up_not_to_even() -> None:
    assert round_half_up(0.25, 1) == Decimal("0.3")
    assert round_half_up(Decimal("96.85"), 1) == Decimal("96.9")
    assert round_half_up(-0.25, 1) == Decimal("-0.3")


def test_growth_points_and_percent_in_words() -> None:
    assert growth(0.188) == "增长18.8%"
    assert growth(-0.032) == "下降3.2%"
    assert growth(0.0004) == "持平"
    assert points(0.012) == "提高1.2个百分点"
    assert points(-0.005) == "回落0.5个百分点"
    assert percent(Decimal("0.969")) == "96.9%"


def test_pulls_and_time_progress_in_the_trades_words() -> None:
    assert pull(0.051) == "拉动5.1个百分点" and pull(-0.004) == "拉低0.4个百分点" and pull(0) == "无拉动"
    # 70.2% of the target after 8 months: 70.2 − 66.7 = 3.5 points ahead (domain notes §3.9)
    assert schedule_gap(Decimal("0.702") - Decimal(8) / 12) == "超序时进度3.5个百分点"
    assert schedule_gap(-0.009) == "落后序时进度0.9个百分点"


def test_yuan_and_dollars_never_mix() -> None:
    assert Money(Decimal(1), "CNY") + Money(Decimal(2), "CNY") == Money(Decimal(3), "CNY")
    with pytest.raises(CurrencyMismatch):
        Money(Decimal(1), "CNY") + Money(Decimal(1), "USD")
    with pytest.raises(CurrencyMismatch):
        _ = Money(Decimal(1), "CNY") < Money(Decimal(1), "USD")


def test_chinese_numerals() -> None:
    assert chinese_number(27) == "二十七"
    assert chinese_number(10) == "十"


def test_template_filters() -> None:
    html = Template(
        "{% load kunlu_numbers %}{{ a|yi }} {{ b|yi:'USD' }} {{ r|growth }} {{ d|points }}"
    ).render(Context({"a": 396000, "b": 752000, "r": 0.133, "d": -0.01}))
    assert html == "39.6亿元 75.2亿美元 增长13.3% 回落1.0个百分点"


@given(st.decimals(min_value=-1, max_value=1, places=4))
def test_growth_wording_agrees_with_sign(rate: Decimal) -> None:
    text = growth(rate)
    shown = round_half_up(rate * 100, 1)
    assert text.startswith("增长") if shown > 0 else text.startswith("下降") if shown < 0 else text == "持平"


def test_audit_payload_filter() -> None:
    html = Template("{% load kunlu_numbers %}{{ d|payload|linebreaksbr }}").render(
        Context({"d": {"名称": "甲", "n": 2}})
    )
    assert html == "名称：甲<br>n：2"
