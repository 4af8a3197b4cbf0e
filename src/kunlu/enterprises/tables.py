"""Tables of the enterprise registry."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from kunlu.core.tables import detail_link
from kunlu.enterprises.models import EnterpriseProfile, Industry


class EnterpriseProfileTable(tables.Table):
    organisation = tables.Column(
        verbose_name=_("企业名称"),
        linkify=detail_link("enterprises_enterpriseprofile_detail"),
        order_by=("organisation__name",),
    )
    organisation__uscc = tables.Column(verbose_name=_("统一社会信用代码"))
    organisation__territory = tables.Column(
        verbose_name=_("所属地区"), order_by=("organisation__territory__path",)
    )
    industry = tables.Column(verbose_name=_("国民经济行业"))
    land_area_mu = tables.Column(verbose_name=_("用地面积（亩）"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = EnterpriseProfile
        fields = [
            "organisation",
            "organisation__uscc",
            "organisation__territory",
            "industry",
            "is_above_scale",
            "is_high_tech",
            "specialised_level",
            "is_headquarters",
            "employees",
            "land_area_mu",
        ]

    def render_land_area_mu(self, value: Any) -> str:
        return f"{value.normalize():f}"


class IndustryTable(tables.Table):
    name = tables.Column(linkify=detail_link("enterprises_industry_detail"))
    parent = tables.Column(verbose_name=_("上级行业"))

    class Meta:
        model = Industry
        fields = ["code", "name", "level", "parent", "section"]
