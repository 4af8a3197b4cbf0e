"""What a fresh deployment of S2 ships with: the lists (tiers), categories, size bands, and the two alert rule
sets of domain.md §4.4 — 银川“红黄绿” and 武汉“红黄牌”. All are data an administrator edits afterwards."""

from __future__ import annotations

from decimal import Decimal

from kunlu.projects.choices import AlertKind, Currency, LatenessUnit, Stage, TierLevel

# (code, name, level)
TIERS = [
    ("province", "省重大项目", TierLevel.PROVINCE),
    ("suzhou", "苏州市重点项目", TierLevel.CITY),
    ("kunshan", "昆山市重大项目", TierLevel.COUNTY),
    ("zone", "区级重点项目", TierLevel.ZONE),
]

CATEGORIES = [("industrial", "产业类"), ("infrastructure", "基础设施和民生类")]

# (code, name, currency, lower bounds in 万) — domain.md §4.5: bands are a configurable list per report.
SIZE_BANDS = [
    ("cny", "内资项目规模（亿元）", Currency.CNY, [10000, 50000, 100000, 500000, 1000000]),
    ("usd", "外资项目规模（美元）", Currency.USD, [1000, 3000, 5000, 10000]),
]

# (code, name, source, description, rules); a rule is
# (kind, stage, unit, yellow_at, yellow_strict, red_at, red_strict, description)
RULE_SETS = [
    (
        "yinchuan",
        "银川“红黄绿”督办",
        "银川市重大项目红黄绿督办机制",
        "开工：当月应开工未开工黄色，连续3个月未开工红色；进度：落后序时进度10–30个百分点（含）黄色，"
        "超过30个百分点红色；入库/月报：开工后1个月未报黄色，超过2个月红色。黄色由责任单位督促，"
        "红色列入专项督办（计划、时间表、路线图、责任人）。",
        [
            (
                AlertKind.STAGE_LATE,
                Stage.STARTED,
                LatenessUnit.MONTHS,
                Decimal(1),
                False,
                Decimal(3),
                False,
                "当月应开工未开工为黄色，连续3个月未开工为红色",
            ),
            (
                AlertKind.INVESTMENT_GAP,
                "",
                "",
                Decimal(10),
                False,
                Decimal(30),
                True,
                "落后序时进度10–30个百分点（含）为黄色，超过30个百分点为红色",
            ),
            (
                AlertKind.MISSING_REPORT,
                "",
                "",
                Decimal(1),
                False,
                Decimal(2),
                True,
                "开工后1个月未报送为黄色，超过2个月为红色",
            ),
        ],
    ),
    (
        "wuhan",
        "武汉“红黄牌”",
        "武汉市重大项目推进措施",
        "投资完成率低于序时进度的80%亮黄牌，低于60%亮红牌；按月调度，结果纳入年度考核。",
        [
            (
                AlertKind.INVESTMENT_RATIO,
                "",
                "",
                Decimal(80),
                True,
                Decimal(60),
                True,
                "完成率低于序时进度80%为黄牌，低于60%为红牌",
            ),
        ],
    ),
]
