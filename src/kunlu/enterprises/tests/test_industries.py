"""GB/T 4754-2017 as shipped: complete 门类 and 大类, each 大类 under its 门类, installed idempotently."""

from __future__ import annotations

import pytest

from kunlu.core.models import AuditEvent
from kunlu.enterprises.choices import IndustryLevel
from kunlu.enterprises.industries import industry_rows
from kunlu.enterprises.models import Industry
from kunlu.enterprises.services import industry_install

# The 门类 and the range of 大类 codes each one holds, from the standard's table of contents.
SECTIONS = {
    "A": ("农、林、牧、渔业", 1, 5),
    "B": ("采矿业", 6, 12),
    "C": ("制造业", 13, 43),
    "D": ("电力、热力、燃气及水生产和供应业", 44, 46),
    "E": ("建筑业", 47, 50),
    "F": ("批发和零售业", 51, 52),
    "G": ("交通运输、仓储和邮政业", 53, 60),
    "H": ("住宿和餐饮业", 61, 62),
    "I": ("信息传输、软件和信息技术服务业", 63, 65),
    "J": ("金融业", 66, 69),
    "K": ("房地产业", 70, 70),
    "L": ("租赁和商务服务业", 71, 72),
    "M": ("科学研究和技术服务业", 73, 75),
    "N": ("水利、环境和公共设施管理业", 76, 79),
    "O": ("居民服务、修理和其他服务业", 80, 82),
    "P": ("教育", 83, 83),
    "Q": ("卫生和社会工作", 84, 85),
    "R": ("文化、体育和娱乐业", 86, 90),
    "S": ("公共管理、社会保障和社会组织", 91, 96),
    "T": ("国际组织", 97, 97),
}
SPOT_CHECKS = {
    "05": "农、林、牧、渔专业及辅助性活动",
    "11": "开采专业及辅助性活动",
    "25": "石油、煤炭及其他燃料加工业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "58": "多式联运和运输代理业",
    "65": "软件和信息技术服务业",
    "79": "土地管理业",
    "96": "基层群众自治组织及其他组织",
}


def test_the_data_file_holds_20_sections_and_97_divisions() -> None:
    rows = industry_rows()
    sections = [r for r in rows if r.level == IndustryLevel.SECTION]
    divisions = [r for r in rows if r.level == IndustryLevel.DIVISION]
    assert [r.code for r in sections] == list(SECTIONS)
    assert [r.code for r in divisions] == [f"{n:02d}" for n in range(1, 98)]
    assert len({r.code for r in rows}) == len(rows)


@pytest.mark.django_db
def test_every_division_sits_under_its_section() -> None:
    industry_install(actor=None)
    for letter, (name, first, last) in SECTIONS.items():
        section = Industry.objects.get(code=letter)
        assert (section.name, section.level, section.parent_id) == (name, IndustryLevel.SECTION, None)
        divisions = Industry.objects.filter(parent=section, level=IndustryLevel.DIVISION)
        assert sorted(d.code for d in divisions) == [f"{n:02d}" for n in range(first, last + 1)]
        assert {d.section for d in divisions} == {letter}
    assert Industry.objects.filter(level=IndustryLevel.SECTION).count() == 20
    assert Industry.objects.filter(level=IndustryLevel.DIVISION).count() == 97
    for code, name in SPOT_CHECKS.items():
        assert Industry.objects.get(code=code).name == name


@pytest.mark.django_db
def test_finer_classes_hang_under_their_division() -> None:
    industry_install(actor=None)
    for industry in Industry.objects.filter(level__in=[IndustryLevel.GROUP, IndustryLevel.CLASS]):
        assert industry.parent is not None and industry.code.startswith(industry.parent.code)
        assert industry.section == "C"
    assert Industry.objects.get(code="3491").name == "工业机器人制造"


@pytest.mark.django_db
def test_install_is_idempotent_and_restores_the_official_names() -> None:
    industry_install(actor=None)  # the migration installed them already: nothing, or only a repair
    before = (Industry.objects.count(), Industry.history.count(), AuditEvent.objects.count())
    assert industry_install(actor=None) == []
    assert (Industry.objects.count(), Industry.history.count(), AuditEvent.objects.count()) == before
    Industry.objects.filter(code="34").update(name="通用设备")
    assert industry_install(actor=None) == ["34"]
    assert Industry.objects.get(code="34").name == "通用设备制造业"
    assert AuditEvent.objects.filter(event="enterprises.industry.install").exists()
