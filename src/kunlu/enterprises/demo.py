"""Demo of the enterprise registry: GB/T 4754-2017 installed, and a profile for every demo enterprise.

The eight enterprises of 昆山高端装备总部产业园（示例） are 规上 headquarters equipment makers (five of them
national 专精特新“小巨人”, as the park's news reports); 昆山示例光电科技 in the development zone is a
foreign-invested electronics maker. All particulars are fictional. Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kunlu.accounts.demo import ORGANISATIONS
from kunlu.accounts.models import Organisation
from kunlu.enterprises import services
from kunlu.enterprises.choices import SpecialisedLevel
from kunlu.enterprises.models import EnterpriseProfile, Industry

GIANT, PROVINCIAL, NONE = SpecialisedLevel.LITTLE_GIANT, SpecialisedLevel.PROVINCIAL, SpecialisedLevel.NONE

# key: (industry, 专精特新, 高企 year or None, capital 万元, founded, staff, land 亩, address, contact)
PROFILES: dict[str, tuple[str, str, int | None, str, date, int, str, str, str]] = {
    "ent-gx": ("3421", GIANT, 2022, "12000", date(2009, 5, 18), 460, "62.5", "总部产业园示例路1号", "周明"),
    "hq-2": ("342", GIANT, 2023, "8000", date(2011, 3, 9), 310, "48", "总部产业园示例路3号", "吴倩"),
    "hq-3": ("3491", GIANT, 2021, "15000", date(2014, 8, 26), 520, "55", "总部产业园示例路5号", "郑磊"),
    "hq-4": ("3453", PROVINCIAL, 2022, "6000", date(2008, 11, 3), 280, "40", "总部产业园示例路7号", "王芳"),
    "hq-5": ("3424", GIANT, 2023, "9000", date(2012, 6, 14), 350, "45", "总部产业园示例路9号", "冯涛"),
    "hq-6": ("3444", PROVINCIAL, None, "5000", date(2010, 4, 21), 240, "38", "总部产业园示例路11号", "陈静"),
    "hq-7": ("40", NONE, 2024, "3000", date(2016, 9, 30), 180, "30", "总部产业园示例路13号", "褚亮"),
    "hq-8": ("3562", GIANT, 2024, "20000", date(2018, 2, 8), 410, "51.5", "总部产业园示例路15号", "卫东"),
    "ent-kf": ("39", NONE, 2021, "4500", date(2006, 7, 12), 860, "70", "光电产业园示例大道8号", "蒋华"),
}
HQ_PARK = "KS-GX-ZB"
FOREIGN = {"ent-kf": "中国台湾"}
USD_CAPITAL = {"ent-kf"}


def _data(key: str, org: Organisation, industry: Industry) -> dict[str, Any]:
    _code, level, year, capital, founded, staff, land, address, contact = PROFILES[key]
    return {
        "uscc": org.uscc,
        "industry": industry,
        "is_above_scale": True,
        "is_high_tech": year is not None,
        "high_tech_year": year,
        "specialised_level": level,
        "is_foreign": key in FOREIGN,
        "foreign_origin": FOREIGN.get(key, ""),
        "is_headquarters": org.territory.code == HQ_PARK,
        "registered_capital": Decimal(capital),
        "capital_currency": "USD" if key in USD_CAPITAL else "CNY",
        "founded_on": founded,
        "employees": staff,
        "land_area_mu": Decimal(land),
        "address": f"昆山市{address}（示例）",
        "contact_name": contact,
        "contact_phone": f"0512-5799{list(PROFILES).index(key):04d}",
        "contact_email": f"contact-{key}@example.com",
        "note": "示例数据",
    }


def load() -> list[tuple[str, str, str]]:
    """Install the industry classification and profile the demo enterprises that have none yet."""
    services.industry_install(actor=None)
    industries = {i.code: i for i in Industry.objects.all()}
    for key, name, kind, territory_code, _serial in ORGANISATIONS:
        if key not in PROFILES:
            continue
        org = Organisation.objects.filter(name=name, kind=kind, territory__code=territory_code).first()
        if org is None or EnterpriseProfile.objects.filter(organisation=org).exists():
            continue
        services.enterprise_register(data=_data(key, org, industries[PROFILES[key][0]]), actor=None)
    return []
