"""Reporting units imported from Excel/CSV: the dataset "reporting.categorymembership".

Each year the statistics bureau publishes who is above the thresholds (规上/限上 名录), and firms are added
month by month (月度入库); the analyst loads that list here. A row is one enterprise's membership of a
category from a month (to a month, or open-ended), found by enterprise, category and start month: the same
file twice changes nothing, a changed end month updates the membership, and spans may not overlap.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.imports import enterprise_for, enterprises_by_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.imports.datasets import CREATED, Column, Dataset, register
from kunlu.core.models import Period
from kunlu.core.services import period_for
from kunlu.reporting import services
from kunlu.reporting.models import CategoryMembership, ReportingCategory
from kunlu.reporting.selectors import Month


def month_parser(text: str) -> Period:
    """A month written as 2025-01, 2025年1月, 202501 or an Excel date in it."""
    month = Month.parse(text)
    return period_for(month.year, month.month)


@register
class MembershipDataset(Dataset):
    """Memberships of reporting categories by enterprise (统一社会信用代码), category and start month."""

    name = "reporting.categorymembership"
    title = gettext_lazy("直报企业名录")
    description = gettext_lazy(
        "每行一家企业在一个报表类别中的有效期间：按统一社会信用代码、报表类别代码和起始月份识别，"
        "已有的更新终止月份和备注，没有的新增；同一企业同一类别的期间不能重叠。"
    )
    model = CategoryMembership
    columns = (
        Column(
            "enterprise",
            gettext_lazy("统一社会信用代码"),
            required=True,
            help=gettext_lazy("企业的18位统一社会信用代码；企业须已登记在“机构”中，且在您的管理范围内"),
            example=demo_uscc(1),
        ),
        Column(
            "category",
            gettext_lazy("报表类别代码"),
            required=True,
            help=gettext_lazy("报表类别的代码（见“企业直报 → 报表类别”），如 industry"),
            example="industry",
        ),
        Column(
            "valid_from",
            gettext_lazy("起始月份"),
            required=True,
            parse=month_parser,
            help=gettext_lazy("纳入的第一个报告期，写作 2025-01"),
            example="2025-01",
        ),
        Column(
            "valid_to",
            gettext_lazy("终止月份"),
            parse=month_parser,
            help=gettext_lazy("最后一个报告期，写作 2025-12；留空表示持续有效"),
            example="",
        ),
        Column(
            "note", gettext_lazy("备注"), help=gettext_lazy("最多200字"), example="2024年主营业务收入达标"
        ),
    )
    natural_key = ("enterprise", "category", "valid_from")

    def __init__(self) -> None:
        super().__init__()
        self._enterprises: dict[str, Organisation] = {}
        self._categories: dict[str, ReportingCategory] = {}

    def prepare(self, *, actor: Any) -> None:
        """Load the enterprises the uploader sees (by credit code) and the categories, once per file."""
        self._enterprises = enterprises_by_uscc(actor)
        self._categories = {c.code: c for c in ReportingCategory.objects.filter(is_active=True)}

    def parse_enterprise(self, text: str, *, actor: Any) -> Organisation:
        """An enterprise within the uploader's scope, by its 统一社会信用代码."""
        return enterprise_for(self._enterprises, text)

    def parse_category(self, text: str, *, actor: Any) -> ReportingCategory:
        """An active reporting category, by its code."""
        category = self._categories.get(text.strip())
        if category is None:
            known = "、".join(sorted(self._categories)) or "—"
            raise ValidationError(
                _("报表类别代码“%(code)s”不存在或已停用，可用的有：%(known)s")
                % {"code": text, "known": known},
                code="category_unknown",
            )
        return category

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """What the row would do, refusing in the preview what the service would refuse at commit."""
        action = super().plan_row(values, actor=actor)
        obj = None if action == CREATED else self.find(values)
        services.membership_validate(data=values, obj=obj)  # type: ignore[arg-type]
        return action

    def create(self, values: dict[str, Any], *, actor: Any) -> CategoryMembership:
        """Add the membership through reporting.services.membership_create."""
        return services.membership_create(data=values, actor=actor)

    def update(self, obj: Any, values: dict[str, Any], *, actor: Any) -> CategoryMembership:
        """Change its end month or note through reporting.services.membership_update."""
        return services.membership_update(obj=obj, data=values, actor=actor)
