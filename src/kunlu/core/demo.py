"""Demo territories: a city with three zones (one of them 昆山高新区), parks and towns, and peer cities.

Every record is marked as demo data. Names of real places are used as labels only; all figures that
later modules attach to them are synthetic.
"""

from __future__ import annotations

from kunlu.core.models import Territory, TerritoryKind
from kunlu.core.services import territory_create

# (code, name, English name, kind, parent code)
TERRITORIES = [
    ("320583", "昆山市", "Kunshan", TerritoryKind.CITY, None),
    ("KS-GX", "昆山高新区（示例数据）", "Kunshan Hi-tech Zone (demo)", TerritoryKind.ZONE, "320583"),
    ("KS-KF", "昆山开发区（示例数据）", "Kunshan Development Zone (demo)", TerritoryKind.ZONE, "320583"),
    ("KS-HQ", "花桥经济开发区（示例数据）", "Huaqiao Economic Zone (demo)", TerritoryKind.ZONE, "320583"),
    (
        "KS-GX-ZB",
        "昆山高端装备总部产业园（示例）",
        "High-end Equipment HQ Park (demo)",
        TerritoryKind.PARK,
        "KS-GX",
    ),
    ("KS-GX-YZ", "阳澄湖科技园（示例）", "Yangcheng Lake Science Park (demo)", TerritoryKind.PARK, "KS-GX"),
    ("KS-KF-GL", "光电产业园（示例）", "Optoelectronics Park (demo)", TerritoryKind.PARK, "KS-KF"),
    ("KS-HQ-JR", "金融服务外包园（示例）", "Financial Services Park (demo)", TerritoryKind.PARK, "KS-HQ"),
    ("PEER-JY", "江阴市（对标）", "Jiangyin (peer)", TerritoryKind.PEER_CITY, None),
    ("PEER-ZJG", "张家港市（对标）", "Zhangjiagang (peer)", TerritoryKind.PEER_CITY, None),
    ("PEER-CS", "常熟市（对标）", "Changshu (peer)", TerritoryKind.PEER_CITY, None),
]


def load() -> list[tuple[str, str, str]]:
    """Create the demo territories that are missing; existing ones are left as they are."""
    for order, (code, name, name_en, kind, parent_code) in enumerate(TERRITORIES):
        if Territory.objects.filter(code=code).exists():
            continue
        parent = Territory.objects.get(code=parent_code) if parent_code else None
        territory_create(
            data={
                "code": code,
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "parent": parent,
                "sort_order": order,
                "is_demo": True,
            },
            actor=None,
        )
    return []
