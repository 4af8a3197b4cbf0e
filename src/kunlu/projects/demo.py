"""The S2 demo of 昆山高新区（示例数据）: its 2025 pipeline of leads, the 27 projects signed in 2025
(156.1亿元 planned investment, 6 of them ≥10亿元), the 20 major projects on the 2025 lists (all started;
39.6亿元 invested by September, 96.9% of their annual plans), one enterprise's three phases on one timeline,
and the September alerts under both default rule sets. Every figure the seed report states is computed
from these records.

All names are fictional and marked as demo data; amounts are in 万元 unless the project is in dollars.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.accounts.services import organisation_create
from kunlu.core.models import Territory
from kunlu.core.services import period_for
from kunlu.enterprises.models import Industry
from kunlu.projects import selectors, services
from kunlu.projects.choices import (
    ActualSource,
    ConstructionKind,
    Currency,
    LeadSource,
    LeadStage,
    ProjectType,
    Stage,
)
from kunlu.projects.models import (
    AlertRuleSet,
    Lead,
    Project,
    ProjectCategory,
    ProjectListing,
    ProjectTier,
    SigningEvent,
)

ZONE = "KS-GX"
YEAR = 2025
MONTH = 9  # the month of the seed report: 1–9月

# (key, name, date)
EVENTS = [
    ("q1", "2025年一季度重大项目集中签约仪式（示例）", date(2025, 2, 18)),
    ("mid", "2025年“双招双引”推介会暨项目集中签约（示例）", date(2025, 6, 12)),
    ("q3", "2025年三季度重点项目集中签约（示例）", date(2025, 9, 10)),
]

# The 27 projects signed in 2025: (name, investor, 亿元, origin or "" for 内资, industry, chain, event, date,
# planned start or None). Six are 10亿元 or more; together 156.1亿元.
SIGNINGS = [
    (
        "示例高端晶圆制造设备项目",
        "示例半导体装备集团",
        "30",
        "",
        "C35",
        "半导体",
        "q1",
        None,
        date(2026, 3, 1),
    ),
    (
        "示例新型显示模组基地项目",
        "示例光电控股",
        "25",
        "中国台湾",
        "C39",
        "新一代电子信息",
        "q1",
        None,
        date(2026, 1, 15),
    ),
    ("示例动力电池材料项目", "示例新能源科技集团", "18", "", "C26", "新能源", "mid", None, date(2025, 7, 1)),
    (
        "示例医疗器械产业园项目",
        "示例医疗集团",
        "15",
        "德国",
        "C35",
        "生物医药及大健康",
        "mid",
        None,
        date(2026, 6, 1),
    ),
    (
        "示例工业机器人整机项目",
        "示例智能装备股份",
        "12",
        "",
        "C34",
        "高端装备制造",
        "q3",
        None,
        date(2026, 4, 1),
    ),
    ("示例车规级芯片封测项目", "示例微电子", "10", "日本", "C39", "半导体", "q3", None, date(2025, 9, 1)),
    ("示例精密模具研发中心", "示例模具", "5", "", "C35", "高端装备制造", "q1", None, None),
    ("示例光伏逆变器项目", "示例电气", "4.5", "", "C38", "新能源", "q1", None, None),
    ("示例生物制剂中试平台", "示例生物", "4", "新加坡", "C27", "生物医药及大健康", "q1", None, None),
    ("示例传感器产线项目", "示例传感", "3.6", "", "C39", "新一代电子信息", "mid", None, None),
    ("示例特种合金项目", "示例新材料", "3.2", "", "C32", "新材料", "mid", None, None),
    ("示例智能物流装备项目", "示例物流装备", "3", "", "C34", "高端装备制造", "mid", None, None),
    ("示例人工智能算力中心", "示例云计算", "2.8", "", "I65", "人工智能", "mid", None, None),
    ("示例高分子膜材料项目", "示例膜科技", "2.5", "韩国", "C29", "新材料", "mid", None, None),
    ("示例激光加工设备项目", "示例激光", "2.2", "", "C34", "高端装备制造", "q3", None, None),
    ("示例检验检测中心", "示例检测", "2", "", "M74", "生物医药及大健康", "q3", None, None),
    ("示例新能源汽车电机项目", "示例电驱", "1.8", "", "C38", "新能源", "q3", None, None),
    ("示例工业软件研发项目", "示例软件", "1.6", "", "I65", "人工智能", "q3", None, None),
    ("示例精密齿轮项目", "示例传动", "1.5", "", "C34", None, None, date(2025, 3, 20), None),
    (
        "示例柔性电路板项目",
        "示例电路",
        "1.4",
        "中国香港",
        "C39",
        "新一代电子信息",
        None,
        date(2025, 4, 8),
        None,
    ),
    ("示例体外诊断试剂项目", "示例诊断", "1.3", "", "C27", "生物医药及大健康", None, date(2025, 5, 16), None),
    ("示例氢能装备项目", "示例氢能", "1.2", "", "C34", "新能源", None, date(2025, 7, 22), None),
    ("示例光学镜头项目", "示例光学", "1.1", "", "C40", "新一代电子信息", None, date(2025, 8, 5), None),
    ("示例工业互联网平台", "示例互联", "1", "", "I64", "人工智能", None, date(2025, 8, 19), None),
    ("示例纳米涂层项目", "示例涂层", "1", "", "C26", "新材料", None, date(2025, 9, 3), None),
    ("示例智能仓储系统项目", "示例仓储", "0.8", "", "C34", "高端装备制造", None, date(2025, 9, 16), None),
    ("示例电子化学品项目", "示例化学", "0.6", "", "C26", "新材料", None, date(2025, 9, 25), None),
]

# The 20 major projects on the 2025 lists: (name, enterprise, tier, 新开工/续建, total 亿元, 2025 plan 万元,
# 1–9月 done 万元, planned start, actual start, last month reported). Calibrated: plans 408 600万元, done
# 396 000万元 → 96.9%; three lag 序时进度 and one stopped reporting after July.
MAJOR = [
    (
        "示例新一代显示面板扩产项目",
        "昆山示例显示技术有限公司",
        "province",
        "c",
        "60",
        60000,
        59400,
        (2024, 3),
        (2024, 3),
        9,
    ),
    (
        "示例集成电路先进封装项目",
        "昆山示例封装科技有限公司",
        "province",
        "n",
        "45",
        45000,
        44100,
        (2025, 2),
        (2025, 2),
        9,
    ),
    (
        "示例创新药产业化基地",
        "昆山示例药业有限公司",
        "province",
        "c",
        "32",
        38000,
        39900,
        (2024, 6),
        (2024, 6),
        9,
    ),
    (
        "示例动力总成智能工厂",
        "昆山示例动力科技有限公司",
        "suzhou",
        "c",
        "28",
        32000,
        31680,
        (2024, 9),
        (2024, 9),
        9,
    ),
    (
        "示例新能源材料二期项目",
        "昆山示例新能源材料有限公司",
        "suzhou",
        "n",
        "12",
        30000,
        30900,
        (2025, 2),
        (2025, 2),
        9,
    ),
    (
        "示例精密结构件项目",
        "昆山示例结构件有限公司",
        "suzhou",
        "c",
        "20",
        26000,
        26260,
        (2024, 4),
        (2024, 4),
        9,
    ),
    (
        "示例智能终端研发制造项目",
        "昆山示例智能终端有限公司",
        "suzhou",
        "n",
        "18",
        24000,
        23280,
        (2025, 1),
        (2025, 1),
        9,
    ),
    (
        "示例高端医疗影像设备项目",
        "昆山示例医疗影像有限公司",
        "suzhou",
        "n",
        "15",
        22000,
        12760,
        (2025, 3),
        (2025, 6),
        9,
    ),
    (
        "示例半导体材料项目",
        "昆山示例电子材料有限公司",
        "suzhou",
        "c",
        "16",
        20000,
        20800,
        (2024, 5),
        (2024, 5),
        9,
    ),
    ("示例工业母机项目", "昆山示例机床有限公司", "suzhou", "n", "12", 18000, 19080, (2025, 4), (2025, 4), 9),
    (
        "示例智能装备扩产项目",
        "昆山示例精密机械有限公司",
        "kunshan",
        "n",
        "8",
        16000,
        16000,
        (2025, 3),
        (2025, 3),
        9,
    ),
    (
        "示例汽车电子项目",
        "昆山示例汽车电子有限公司",
        "kunshan",
        "c",
        "9",
        14000,
        15120,
        (2024, 10),
        (2024, 10),
        9,
    ),
    (
        "示例5G通信模组项目",
        "昆山示例通信有限公司",
        "kunshan",
        "n",
        "7",
        12000,
        11520,
        (2025, 3),
        (2025, 3),
        9,
    ),
    (
        "示例研发总部大楼",
        "昆山示例科创发展有限公司",
        "kunshan",
        "c",
        "6",
        10000,
        10200,
        (2024, 7),
        (2024, 7),
        9,
    ),
    (
        "示例生物样本库项目",
        "昆山示例生命科学有限公司",
        "kunshan",
        "n",
        "5",
        9000,
        3600,
        (2025, 5),
        (2025, 5),
        9,
    ),
    (
        "示例碳纤维复合材料项目",
        "昆山示例复合材料有限公司",
        "kunshan",
        "n",
        "5",
        8000,
        8800,
        (2025, 2),
        (2025, 2),
        9,
    ),
    (
        "示例数字孪生工厂项目",
        "昆山示例数字科技有限公司",
        "kunshan",
        "n",
        "4",
        7600,
        4180,
        (2025, 4),
        (2025, 4),
        7,
    ),
    ("示例人才公寓项目", "昆山示例置业有限公司", "kunshan", "c", "6", 6000, 6720, (2024, 8), (2024, 8), 9),
    (
        "示例科技孵化器二期",
        "昆山示例孵化器有限公司",
        "kunshan",
        "c",
        "3",
        5000,
        5750,
        (2024, 11),
        (2024, 11),
        9,
    ),
    (
        "示例污水处理提标项目",
        "昆山示例水务有限公司",
        "kunshan",
        "n",
        "3",
        6000,
        5950,
        (2025, 1),
        (2025, 1),
        9,
    ),
]
INFRASTRUCTURE = {"示例人才公寓项目", "示例污水处理提标项目"}

# One enterprise's phases on one timeline: 一期 (done), 二期 (a 2025 major project above), 增资 in dollars.
PHASED_ENTERPRISE = "昆山示例新能源材料有限公司"

# Open and ended leads besides the 27 signed: (name, investor, stage, 亿元 or None, origin, source, days to
# the next follow-up from today (negative: overdue), termination reason)
OPEN_LEADS = [
    ("示例储能系统项目", "示例储能", LeadStage.NEGOTIATION, "8", "", LeadSource.REFERRAL, 5, ""),
    ("示例硅光芯片项目", "示例硅光", LeadStage.NEGOTIATION, "20", "美国", LeadSource.OVERSEAS, -6, ""),
    ("示例手术机器人项目", "示例医疗机器人", LeadStage.VISIT, "6", "", LeadSource.EXPO, 12, ""),
    ("示例固态电池中试项目", "示例固态电池", LeadStage.VISIT, "5", "", LeadSource.AGENCY, -3, ""),
    ("示例卫星通信终端项目", "示例卫星", LeadStage.CONTACT, "3", "", LeadSource.ONLINE, 20, ""),
    ("示例智能网联测试场", "示例智行", LeadStage.CONTACT, "4", "德国", LeadSource.OVERSEAS, -15, ""),
    ("示例合成生物项目", "示例合成生物", LeadStage.CONTACT, "2", "", LeadSource.REFERRAL, 9, ""),
    ("示例工业视觉项目", "示例视觉", LeadStage.LEAD, "1.5", "", LeadSource.EXPO, 30, ""),
    ("示例低空飞行器项目", "示例飞行器", LeadStage.LEAD, None, "", LeadSource.VISIT, -1, ""),
    ("示例高端轴承项目", "示例轴承", LeadStage.LEAD, "1", "日本", LeadSource.OVERSEAS, 14, ""),
    (
        "示例数据中心项目",
        "示例数据",
        LeadStage.TERMINATED,
        "10",
        "",
        LeadSource.AGENCY,
        0,
        "能耗指标不足，投资方另选址",
    ),
    (
        "示例纺织印染项目",
        "示例纺织",
        LeadStage.TERMINATED,
        "2",
        "",
        LeadSource.OTHER,
        0,
        "不符合园区产业定位",
    ),
]


def _yi(text: str) -> Decimal:
    return Decimal(text) * 10000


def _enterprise(name: str, territory: Territory, serial: int) -> Organisation:
    found = Organisation.objects.filter(name=name, kind=OrganisationKind.ENTERPRISE).first()
    if found is not None:
        return found
    return organisation_create(
        data={
            "name": name,
            "kind": OrganisationKind.ENTERPRISE,
            "territory": territory,
            "uscc": demo_uscc(serial),
            "is_demo": True,
        },
        actor=None,
    )


def _owner() -> User | None:
    owner: User | None = User.objects.filter(username="invest_gx").first()
    return owner


def _lead(
    zone: Territory,
    name: str,
    investor: str,
    stage: str,
    amount: str | None,
    origin: str,
    source: str,
    **extra: Any,
) -> Lead:
    return services.lead_create(
        data={
            "territory": zone,
            "name": name,
            "investor": investor,
            "origin": origin or "中国",
            "is_foreign": bool(origin),
            "estimated_investment": _yi(amount) if amount else None,
            "currency": Currency.CNY,
            "source": source,
            "owner": _owner(),
            "stage": stage,
            "is_demo": True,
            **extra,
        },
        actor=None,
    )


def _signings(zone: Territory) -> None:
    events = {}
    for key, name, held_on in EVENTS:
        events[key] = SigningEvent.objects.filter(name=name).first() or SigningEvent.objects.create(
            territory=zone, name=name, held_on=held_on, location="昆山高新区（示例）", is_demo=True
        )
    industrial = ProjectCategory.objects.get(code="industrial")
    for name, investor, amount, origin, industry, chain, event_key, signed_on, start in SIGNINGS:
        if Project.objects.filter(name=name).exists():
            continue
        lead = _lead(
            zone,
            name,
            investor,
            LeadStage.NEGOTIATION,
            amount,
            origin,
            LeadSource.EXPO,
            industry=Industry.objects.get(code=industry.lstrip("CIM")),
            chain=chain or "",
        )
        event = events[event_key] if event_key else None
        on = event.held_on if event else signed_on
        assert on is not None
        services.lead_follow_up(
            lead=lead,
            happened_on=on - timedelta(days=20),
            content="双方就投资规模、用地和落地时间达成一致，准备签约",
            actor=None,
        )
        project = services.project_sign(
            signing_event=event,
            lead=lead,
            data={
                "territory": zone,
                "signed_on": on,
                "total_investment": _yi(amount),
                "category": industrial,
                "is_demo": True,
            },
            actor=None,
        )
        if start is not None:
            services.stage_set(project=project, stage=Stage.STARTED, planned_on=start, actor=None)


def _open_leads(zone: Territory) -> None:
    today = timezone.localdate()
    for name, investor, stage, amount, origin, source, days, reason in OPEN_LEADS:
        if Lead.objects.filter(name=name).exists():
            continue
        lead = _lead(zone, name, investor, LeadStage.LEAD, amount, origin, source)
        if stage == LeadStage.TERMINATED:
            services.lead_terminate(lead=lead, reason=reason, actor=None)
            continue
        services.lead_follow_up(
            lead=lead,
            happened_on=today - timedelta(days=30),
            content="首次接洽，介绍园区产业政策与可用地块",
            stage=stage,
            next_action="约定实地考察时间，准备项目需求清单",
            next_action_on=today + timedelta(days=days),
            actor=None,
        )


def _stages(project: Project, planned_start: date, actual_start: date) -> None:
    registered = planned_start - timedelta(days=120)
    land = planned_start - timedelta(days=60)
    plan = {
        Stage.REGISTERED: registered,
        Stage.LAND: land,
        Stage.STARTED: planned_start,
        Stage.COMPLETED: planned_start + timedelta(days=540),
        Stage.PRODUCING: planned_start + timedelta(days=600),
        Stage.FULL: planned_start + timedelta(days=960),
    }
    for stage, planned_on in plan.items():
        services.stage_set(project=project, stage=stage, planned_on=planned_on, actor=None)
    services.stage_set(project=project, stage=Stage.REGISTERED, actual_on=registered, actor=None)
    services.stage_set(project=project, stage=Stage.LAND, actual_on=land, actor=None)
    services.stage_set(project=project, stage=Stage.STARTED, actual_on=actual_start, actor=None)


def _major(zone: Territory) -> None:
    tiers = {t.code: t for t in ProjectTier.objects.all()}
    categories = {c.code: c for c in ProjectCategory.objects.all()}
    for serial, row in enumerate(MAJOR, start=101):
        name, enterprise_name, tier, kind, total, plan, done, planned, actual, last = row
        if Project.objects.filter(name=name).exists():
            continue
        enterprise = _enterprise(enterprise_name, zone, serial)
        continuing = kind == "c"
        signed_year = planned[0] - 1
        first = None
        if enterprise_name == PHASED_ENTERPRISE:
            first = _phase_one(zone, enterprise)
        project = services.project_create(
            data={
                "name": name,
                "territory": zone,
                "enterprise": enterprise,
                "investor": enterprise_name,
                "signed_on": date(signed_year, 5, 20),
                "first_phase": first,
                "project_type": ProjectType.EXPANSION if first else ProjectType.NEW,
                "category": categories["infrastructure" if name in INFRASTRUCTURE else "industrial"],
                "total_investment": _yi(total),
                "currency": Currency.CNY,
                "is_demo": True,
            },
            actor=None,
        )
        ProjectListing.objects.create(
            project=project,
            tier=tiers[tier],
            year=YEAR,
            construction=ConstructionKind.CONTINUING if continuing else ConstructionKind.NEW_START,
            responsible_unit="高新区重大项目办公室（示例）",
        )
        _stages(project, date(*planned, 1), date(*actual, 1 if actual == planned else 15))
        services.plan_set(project=project, year=YEAR, amount=Decimal(plan), actor=None)
        _actuals(project, Decimal(done), start=actual, last=last)


def _actuals(project: Project, done: Decimal, *, start: tuple[int, int], last: int) -> None:
    first = start[1] if start[0] == YEAR else 1
    months = range(first, last + 1)
    for month in months:
        share = Decimal(month - first + 1) / Decimal(len(months))
        cumulative = done if month == last else (done * share).quantize(Decimal(1))
        services.actual_record(
            project=project,
            period=period_for(YEAR, month),
            currency=Currency.CNY,
            cumulative=cumulative,
            source=ActualSource.OWNER,
            actor=None,
        )


def _phase_one(zone: Territory, enterprise: Organisation) -> Project:
    """一期 (2021, in full production since 2023) and, signed in 2024, a capital increase in dollars."""
    first = services.project_create(
        data={
            "name": "示例新能源材料一期项目",
            "territory": zone,
            "enterprise": enterprise,
            "investor": enterprise.name,
            "signed_on": date(2021, 3, 16),
            "category": ProjectCategory.objects.get(code="industrial"),
            "total_investment": _yi("8"),
            "currency": Currency.CNY,
            "is_demo": True,
        },
        actor=None,
    )
    done = [
        (Stage.REGISTERED, date(2021, 4, 20)),
        (Stage.LAND, date(2021, 6, 30)),
        (Stage.STARTED, date(2021, 9, 1)),
        (Stage.COMPLETED, date(2022, 10, 28)),
        (Stage.PRODUCING, date(2022, 12, 20)),
        (Stage.FULL, date(2023, 6, 30)),
    ]
    for stage, on in done:
        services.stage_set(project=first, stage=stage, planned_on=on, actor=None)
    for stage, on in done:
        services.stage_set(project=first, stage=stage, actual_on=on, actor=None)
    return first


def _capital_increase(zone: Territory) -> None:
    enterprise = Organisation.objects.get(name=PHASED_ENTERPRISE)
    first = Project.objects.get(name="示例新能源材料一期项目")
    if Project.objects.filter(first_phase=first, project_type=ProjectType.CAPITAL_INCREASE).exists():
        return
    increase = services.project_create(
        data={
            "name": "示例新能源材料增资项目",
            "territory": zone,
            "enterprise": enterprise,
            "investor": "示例新能源材料（新加坡）控股有限公司",
            "signed_on": date(2024, 11, 8),
            "first_phase": first,
            "project_type": ProjectType.CAPITAL_INCREASE,
            "category": ProjectCategory.objects.get(code="industrial"),
            "total_investment": Decimal(8000),
            "currency": Currency.USD,
            "is_foreign": True,
            "origin": "新加坡",
            "registered_fdi": Decimal(8000),
            "paid_in_fdi": Decimal(3000),
            "is_demo": True,
        },
        actor=None,
    )
    services.stage_set(project=increase, stage=Stage.REGISTERED, planned_on=date(2024, 12, 20), actor=None)
    services.stage_set(project=increase, stage=Stage.REGISTERED, actual_on=date(2024, 12, 26), actor=None)
    services.stage_set(project=increase, stage=Stage.STARTED, planned_on=date(2025, 10, 1), actor=None)


def _alerts(zone: Territory) -> None:
    period = period_for(YEAR, MONTH)
    for rule_set in AlertRuleSet.objects.filter(code__in=["yinchuan", "wuhan"]):
        if selectors.latest_run(rule_set, zone, period) is None:
            services.alerts_compute(rule_set=rule_set, territory=zone, period=period, actor=None)


def load() -> list[tuple[str, str, str]]:
    """Create what is missing of the S2 demo; what exists is left as it is."""
    services.defaults_install(actor=None)
    zone = Territory.objects.get(code=ZONE)
    _signings(zone)
    _open_leads(zone)
    _major(zone)
    _capital_increase(zone)
    _alerts(zone)
    return []
