"""Demo of 标准地 and 数据得地, calibrated to the seed report on 昆山高端装备总部产业园 (see docs/land.md):

the park holds 8 headquarters enterprises, each awarded a 标准地 parcel through the real services (control
indicators, listing, two applications, scoring, the decision), whose commitments add up to 40亿元 of
investment and 120亿元 of annual output at full production, every one committed to 亩均税收 above 150万元/亩.
One of them has had its 竣工 review with a shortfall and the remedy it produced; one parcel in another park is
idle. Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kunlu.accounts.demo import ORGANISATIONS
from kunlu.accounts.models import Organisation, User
from kunlu.core.models import Territory
from kunlu.land import services
from kunlu.land.choices import ChainFit, ParcelStatus, Stage
from kunlu.land.models import IndicatorDefinition, Parcel, Scorecard

PARK = "KS-GX-ZB"

# The park's 标准地 standard (控制指标, set at listing): 投资强度 ≥1500 万元/亩, 容积率 ≥2.0 (the seed's
# "容积率2.0以上"), 亩均税收 ≥150 万元/亩, 亩均产值 ≥4000 万元/亩.
CONTROLS = {"investment_intensity": 1500, "far": 2, "tax_per_mu": 150, "output_per_mu": 4000}

# (organisation key, parcel no., area 亩, total investment 万元, annual output 万元, tax/mu 万元/亩,
#  R&D %, chain fit, existing band)
# Areas sum to 246 亩 (≈16.4万 m²; at 容积率 2.0 that is the seed's ~33万 m² of floor area); investment sums
# to 400000 万元 (40亿元) and output to 1200000 万元 (120亿元); every 亩均税收 is above 150 万元/亩.
HEADQUARTERS: list[tuple[str, int, int, int, int, int, str, str, str]] = [
    ("ent-gx", 1, 40, 68000, 204000, 168, "4.5", ChainFit.CORE, "A"),
    ("hq-2", 2, 32, 52000, 156000, 156, "3.2", ChainFit.CORE, "A"),
    ("hq-3", 3, 25, 40000, 120000, 172, "6.0", ChainFit.CORE, "B"),
    ("hq-4", 4, 32, 51200, 153600, 160, "3.8", ChainFit.SUPPORT, "B"),
    ("hq-5", 5, 40, 64000, 192000, 152, "2.5", ChainFit.CORE, "A"),
    ("hq-6", 6, 25, 40000, 120000, 180, "5.1", ChainFit.SUPPORT, "none"),
    ("hq-7", 7, 32, 49600, 148800, 158, "3.5", ChainFit.CORE, "B"),
    ("hq-8", 8, 20, 35200, 105600, 165, "4.2", ChainFit.CORE, "none"),
]
PRICE_PER_MU = Decimal(48)  # 出让价款 万元/亩 (synthetic)
REVIEWED = "hq-8"  # its 竣工 review found 投资强度 15% short of the commitment
IDLE_PARCEL = "KS-KF-GL-2022-03"


def _orgs() -> dict[str, Organisation]:
    names = {key: (name, code) for key, name, _kind, code, _serial in ORGANISATIONS}
    return {
        key: Organisation.objects.get(name=name, territory__code=code) for key, (name, code) in names.items()
    }


def _award(
    *,
    code: str,
    name: str,
    territory: Territory,
    area: int,
    controls: dict[str, int],
    applications: list[dict[str, Any]],
    scorecard: Scorecard,
    listed_on: date,
    contract_date: date,
    agreed_start: date,
    agreed_completion: date,
    agreed_production: date,
    reasons: str,
    actor: Any,
) -> Parcel:
    """A parcel through the whole path: 储备 → control indicators → 挂牌 → applications → scoring → 出让."""
    parcel = services.parcel_create(
        data={
            "code": code,
            "name": name,
            "location": territory.name,
            "territory": territory,
            "area_mu": Decimal(area),
            "price_wan": PRICE_PER_MU * area,
        },
        actor=actor,
    )
    definitions = {d.code: d for d in IndicatorDefinition.objects.all()}
    services.parcel_indicators_set(
        parcel=parcel, values={definitions[c]: Decimal(v) for c, v in controls.items()}, actor=actor
    )
    parcel = services.parcel_list(parcel=parcel, scorecard=scorecard, listed_on=listed_on, actor=actor)
    for data in applications:
        services.application_create(data={"parcel": parcel, **data}, actor=actor)
    ranked = services.applications_score(parcel=parcel, actor=actor)
    services.allocation_decide(
        parcel=parcel,
        winner=ranked[0],
        reasons=reasons,
        price_wan=None,
        contract_date=contract_date,
        agreed_start_date=agreed_start,
        agreed_completion_date=agreed_completion,
        agreed_production_date=agreed_production,
        actor=actor,
    )
    parcel.refresh_from_db()
    return parcel


def load() -> list[tuple[str, str, str]]:
    """Create the demo parcels that are missing (each parcel's whole path, or nothing)."""
    services.catalogue_install_defaults(actor=None)
    orgs = _orgs()
    actor = User.objects.filter(username="land_gx").first()
    scorecard = Scorecard.objects.get(code="standard")
    park = Territory.objects.get(code=PARK)
    for key, no, area, investment, output, tax, rd, chain, band in HEADQUARTERS:
        code = f"{PARK}-2024-{no:02d}"
        if Parcel.objects.filter(code=code).exists():
            continue
        enterprise = orgs[key]
        parcel = _award(
            code=code,
            name=f"高端装备总部产业园{no}号地块",
            territory=park,
            area=area,
            controls=CONTROLS,
            applications=[
                {
                    "applicant": enterprise,
                    "total_investment_wan": Decimal(investment),
                    "expected_output_wan": Decimal(output),
                    "expected_tax_wan": Decimal(tax * area),
                    "rd_intensity_pct": Decimal(rd),
                    "chain_fit": chain,
                    "existing_band": band,
                    "note": "制造研发总部项目",
                },
                {
                    "investor_name": f"示例投资方{no}（拟设立）",
                    "total_investment_wan": Decimal(investment * 6 // 10),
                    "expected_output_wan": Decimal(output // 2),
                    "expected_tax_wan": Decimal(90 * area),
                    "rd_intensity_pct": Decimal("1.5"),
                    "chain_fit": ChainFit.SUPPORT,
                    "existing_band": "none",
                },
            ],
            scorecard=scorecard,
            listed_on=date(2024, 6, 20),
            contract_date=date(2024, 9, 10),
            agreed_start=date(2024, 10, 31),
            agreed_completion=date(2025, 10, 31),
            agreed_production=date(2026, 10, 31),
            reasons="数据得地评分排名第一：预计亩均税收、投资强度均高于标准地控制指标，属园区主导产业链企业。",
            actor=actor,
        )
        services.parcel_transition(
            parcel=parcel, to=ParcelStatus.BUILDING, on=date(2024, 10, 15), actor=actor
        )
        if key == REVIEWED:
            committed = {c.indicator.code: c for c in parcel.commitments.select_related("indicator")}
            investment_commitment = committed["investment_intensity"]
            services.review_record(
                parcel=parcel,
                stage=Stage.COMPLETION,
                reviewed_on=date(2025, 11, 20),
                measured={
                    investment_commitment.pk: investment_commitment.value * Decimal("0.85"),
                    committed["far"].pk: Decimal("2.1"),
                },
                note="主体结构已封顶，设备投入未到位，投资强度低于承诺。",
                actor=actor,
            )
    if not Parcel.objects.filter(code=IDLE_PARCEL).exists():
        parcel = _award(
            code=IDLE_PARCEL,
            name="光电产业园3号地块",
            territory=Territory.objects.get(code="KS-KF-GL"),
            area=30,
            controls={"investment_intensity": 500, "far": 1, "tax_per_mu": 50},
            applications=[
                {
                    "applicant": orgs["ent-kf"],
                    "total_investment_wan": Decimal(18000),
                    "expected_output_wan": Decimal(36000),
                    "expected_tax_wan": Decimal(1800),
                    "rd_intensity_pct": Decimal("2.0"),
                    "chain_fit": ChainFit.CORE,
                    "existing_band": "B",
                }
            ],
            scorecard=scorecard,
            listed_on=date(2022, 3, 15),
            contract_date=date(2022, 5, 10),
            agreed_start=date(2022, 8, 31),
            agreed_completion=date(2023, 8, 31),
            agreed_production=date(2024, 8, 31),
            reasons="唯一申请人，评分达到要求。",
            actor=None,
        )
        services.parcel_transition(parcel=parcel, to=ParcelStatus.IDLE, on=date(2023, 9, 1), actor=None)
    return []
