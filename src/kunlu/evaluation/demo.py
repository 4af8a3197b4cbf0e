"""Demo of 亩均效益评价: the shipped rule sets, 2023–2024 figures of the zone 昆山高新区（示例数据）,
a final 2024 run under the shipped 淮安 method with one objection accepted and the run recomputed, and the
differential policies of its bands.

The enterprises of the HQ park (enterprises/demo.py) are joined by 40 fictional manufacturers (serials 300+,
marked demo) so that the bands have a meaningful distribution; one is a power supplier and one began
production last year, to show the 不适合评价 (T) class. All figures are synthetic and reproducible (seeded
by the credit-code serial). Loading twice changes nothing: figures are written only for enterprise-years
that have none, the run only when it does not exist.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from kunlu.accounts import services as account_services
from kunlu.accounts.demo import ORGANISATIONS, demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.core.models import Territory
from kunlu.enterprises import services as registry
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.evaluation import services
from kunlu.evaluation.choices import Department, MeasureKind
from kunlu.evaluation.models import BandPolicy, EnterpriseFigure, EvaluationResult, EvaluationRun, RuleSet

ZONE = "KS-GX"
PARKS = ("KS-GX-YZ", "KS-GX-ZB", "KS-GX")
RULESET = "huaian-2024"
YEAR = 2024
TITLE = "昆山高新区（示例数据）2024年度亩均效益评价"
SYNTHETIC = 40
FIRST_SERIAL = 300
# 大类 of the synthetic makers (GB/T 4754-2017 门类 C), cycled.
DIVISIONS = ("34", "35", "39", "38", "33", "26", "29", "40", "36", "30")
NAMES = ("精密", "智造", "电子", "材料", "模具", "光学", "新能源", "传感", "装备", "医疗器械")
UTILITY, NEWCOMER = (
    FIRST_SERIAL + 7,
    FIRST_SERIAL + 13,
)  # a power supplier (44) and a firm in production <2 years

# (band, department, measure, value, unit, description) — domain.md §1.7 (Nanjing, Taicang); amounts the
# sources do not give are left empty, to be set from the local price bureau's document.
POLICIES = [
    ("A", Department.LAND, MeasureKind.LAND, None, "", "优先保障新增用地指标和用能、排放指标 [NJ1][NJ2]"),
    ("A", Department.FINANCE, MeasureKind.SUBSIDY, None, "", "优先申报各级专项资金和政府奖励 [NJ1]"),
    ("B", Department.LAND, MeasureKind.LAND, None, "", "鼓励在自有用地上“零增地”技术改造 [NJ2]"),
    ("C", Department.LAND, MeasureKind.LAND, None, "", "原则上不新增建设用地 [NJ2]"),
    (
        "D",
        Department.WATER,
        MeasureKind.SEWAGE_SURCHARGE,
        Decimal("0.17"),
        "元/立方米",
        "污水处理费加价 [TC]",
    ),
    (
        "D",
        Department.POWER,
        MeasureKind.POWER_SURCHARGE,
        None,
        "元/千瓦时",
        "差别电价加价，标准按价格主管部门文件",
    ),
    ("D", Department.LAND, MeasureKind.LAND, None, "", "不得参与工业用地招拍挂 [NJ1]"),
    ("D", Department.FINANCE, MeasureKind.SUBSIDY, None, "", "取消政府奖励和专项资金申报资格 [NJ1]"),
]


def load() -> list[tuple[str, str, str]]:
    """Install the rule sets, the policies, the figures and the final demo run that are missing."""
    services.ruleset_install_shipped(actor=None)
    _policies()
    land_office = User.objects.filter(username="land_gx").first()
    enterprises = _park_enterprises() + _synthetic()
    for org in enterprises:
        _figures(org, land_office)
    if not EvaluationRun.objects.filter(title=TITLE).exists():
        _run(land_office)
    return []


def _policies() -> None:
    ruleset = RuleSet.objects.get(code=RULESET)
    if BandPolicy.objects.filter(ruleset=ruleset).exists():
        return
    for band, department, measure, value, unit, description in POLICIES:
        BandPolicy.objects.create(
            ruleset=ruleset,
            band=band,
            department=department,
            measure=measure,
            value=value,
            unit=unit,
            description=description,
            legal_basis="示例数据",
        )


def _park_enterprises() -> list[Organisation]:
    """The demo enterprises of the zone that the registry has profiled (the HQ park's eight)."""
    keys = {name for _key, name, kind, territory, _s in ORGANISATIONS if territory.startswith(ZONE)}
    return list(
        Organisation.objects.filter(
            name__in=keys, kind=OrganisationKind.ENTERPRISE, enterprise_profile__isnull=False
        ).order_by("pk")
    )


def _synthetic() -> list[Organisation]:
    """Forty fictional manufacturers of the zone (created once, marked demo)."""
    parks = {t.code: t for t in Territory.objects.filter(code__in=PARKS)}
    industries = {i.code: i for i in Industry.objects.filter(code__in=(*DIVISIONS, "44"))}
    out = []
    for n in range(SYNTHETIC):
        serial = FIRST_SERIAL + n
        uscc = demo_uscc(serial)
        org = Organisation.objects.filter(uscc=uscc).first()
        if org is None:
            org = account_services.organisation_create(
                data={
                    "name": f"昆山示例{NAMES[n % len(NAMES)]}{n + 1:02d}有限公司",
                    "kind": OrganisationKind.ENTERPRISE,
                    "territory": parks[PARKS[n % len(PARKS)]],
                    "uscc": uscc,
                    "is_demo": True,
                },
                actor=None,
            )
        if not EnterpriseProfile.objects.filter(organisation=org).exists():
            rng = random.Random(serial)  # noqa: S311  (reproducible demo figures)
            division = "44" if serial == UTILITY else DIVISIONS[n % len(DIVISIONS)]
            registry.enterprise_register(
                data={
                    "uscc": uscc,
                    "industry": industries[division],
                    "is_above_scale": n % 5 != 4,
                    "employees": rng.randint(40, 600),
                    "land_area_mu": Decimal(rng.randint(12, 120)),
                    "note": "示例数据",
                },
                actor=None,
            )
        out.append(org)
    return out


def _figures(org: Organisation, actor: Any) -> None:
    """2023 and 2024 figures of one enterprise, unless it has some for that year already."""
    profile = EnterpriseProfile.objects.get(organisation=org)
    serial = int(org.uscc[10:17]) if org.uscc[8:10] == "MA" else org.pk
    land = profile.land_area_mu or Decimal(30)
    known = services.known_inputs()
    for year in (YEAR - 1, YEAR):
        if EnterpriseFigure.objects.filter(enterprise=org, year=year).exists():
            continue
        rng = random.Random(serial * 10 + year)  # noqa: S311  (reproducible demo figures)
        tax_per_mu = Decimal(rng.randint(30, 600)) / 10 * (Decimal("1.08") if year == YEAR else 1)
        tax = (tax_per_mu * land).quantize(Decimal("0.01"))
        values = {
            "tax": tax,
            "sales": (tax * Decimal(rng.randint(12, 30))).quantize(Decimal("0.01")),
            "energy_tce": Decimal(rng.randint(200, 6000)),
            "years_in_production": Decimal(1 if serial == NEWCOMER else rng.randint(3, 20)),
        }
        if rng.random() < 0.3:
            values["bonus_innovation"] = Decimal(rng.choice((1, 2, 3)))
        for code, value in values.items():
            services.figure_record(
                enterprise=org,
                year=year,
                input=code,
                value=value,
                actor=actor,
                source="示例数据",
                audited=False,
                known=known,
            )


def _run(land_office: Any) -> None:
    """The final 2024 run: computed, published, 昆山示例精密机械's objection accepted, recomputed, final."""
    version = RuleSet.objects.get(code=RULESET).versions.order_by("-number").first()
    assert version is not None
    zone = Territory.objects.get(code=ZONE)
    run = services.run_create(
        ruleset_version=version, year=YEAR, territory=zone, title=TITLE, actor=land_office
    )
    run = services.run_publish(run=run, actor=land_office)
    claimant = User.objects.filter(username="ent_gx").select_related("organisation").first()
    result = EvaluationResult.objects.filter(
        run=run, computation=run.computation, enterprise__name="昆山示例精密机械有限公司"
    ).first()
    if claimant is not None and result is not None:
        objection = services.objection_file(
            result=result,
            text="2024年度评价税收未计入第四季度补缴的税款，应为核定数的1.2倍，附完税证明（示例）。",
            actor=claimant,
        )
        tax = EnterpriseFigure.objects.get(
            enterprise_id=result.enterprise_id, year=YEAR, input="tax", superseded_at__isnull=True
        ).value
        services.objection_accept(
            objection=objection,
            adjustments={"tax": (tax * Decimal("1.2")).quantize(Decimal("0.01"))},
            decision="经税务部门核实，采纳异议，按完税证明调整评价税收。",
            actor=land_office,
        )
    run = services.run_close_publicity(run=run, actor=land_office)
    services.run_finalize(run=run, actor=land_office)
