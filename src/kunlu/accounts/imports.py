"""Organisations imported from Excel/CSV: the dataset "accounts.organisation" (enterprises above all).

A row is matched by its 统一社会信用代码 when it has one, else by territory, kind and name; a matched
record is updated (never doubled), an unmatched one created, through the account services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.accounts import services
from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.imports.datasets import Column, Dataset, choice_parser, register
from kunlu.core.models import Territory
from kunlu.core.permissions import permitted_territories


def territories_for_adding(actor: Any) -> dict[str, Territory]:
    """Territories, by code, that the user sees and may add organisations in (accounts.add_organisation)."""
    visible = Territory.objects.restrict(actor, "view")
    return {t.code: t for t in permitted_territories(actor, Organisation, "add") & visible}


def enterprises_by_uscc(actor: Any) -> dict[str, Organisation]:
    """The enterprises the uploader may see, by 统一社会信用代码 (read once per file)."""
    visible = Organisation.objects.restrict(actor, "view").filter(kind=OrganisationKind.ENTERPRISE)
    return {o.uscc: o for o in visible.exclude(uscc="")}


def enterprise_for(enterprises: dict[str, Organisation], text: str) -> Organisation:
    """The enterprise a cell names by its 统一社会信用代码, or the reason it cannot be used."""
    code = services.uscc_clean(text)
    enterprise = enterprises.get(code)
    if enterprise is None:
        raise ValidationError(
            _("统一社会信用代码为“%(code)s”的企业未登记，或不在您的管理范围内") % {"code": code},
            code="enterprise_unknown",
        )
    return enterprise


@register
class OrganisationDataset(Dataset):
    """Organisations by 统一社会信用代码, else by territory, kind and name."""

    name = "accounts.organisation"
    title = gettext_lazy("机构名录")
    description = gettext_lazy(
        "按统一社会信用代码识别机构：已登记的更新，未登记的新增，不会重复登记；"
        "没有代码的机构按所属地区、类别和名称识别。"
    )
    model = Organisation
    columns = (
        Column(
            "name",
            gettext_lazy("名称"),
            required=True,
            help=gettext_lazy("机构全称，与营业执照一致，最多200字"),
            example="昆山示例精密机械有限公司",
        ),
        Column(
            "kind",
            gettext_lazy("类别"),
            required=True,
            parse=choice_parser(OrganisationKind),
            help=gettext_lazy("从下拉列表选择：政府部门、企业、揭榜方、专家库"),
            example="企业",
            choices=[label for _value, label in OrganisationKind.choices],
        ),
        Column(
            "territory",
            gettext_lazy("所属地区代码"),
            required=True,
            help=gettext_lazy("地区代码（见“基础数据 → 地区”），须在您的管理范围内"),
            example="KS-GX",
        ),
        Column(
            "uscc",
            gettext_lazy("统一社会信用代码"),
            parse=services.uscc_clean,
            help=gettext_lazy("18位，字母大写，校验位须正确；企业必填"),
            example=demo_uscc(1),
        ),
        Column("contact_name", gettext_lazy("联系人"), help=gettext_lazy("最多50字"), example="张三"),
        Column(
            "contact_phone",
            gettext_lazy("联系电话"),
            help=gettext_lazy("手机或座机，最多30字"),
            example="0512-57000000",
        ),
    )
    natural_key = ("uscc",)
    fallback_keys = (("territory", "kind", "name"),)

    def __init__(self) -> None:
        super().__init__()
        self._addable: dict[str, Territory] = {}
        self._visible: set[str] = set()

    def prepare(self, *, actor: Any) -> None:
        """Load the territories the uploader may register organisations in, once per file."""
        self._addable = territories_for_adding(actor)
        self._visible = set(Territory.objects.restrict(actor, "view").values_list("code", flat=True))

    def parse_territory(self, text: str, *, actor: Any) -> Territory:
        """A territory code within the uploader's scope for adding organisations."""
        territory = self._addable.get(text) or self._addable.get(text.upper())
        if territory is not None:
            return territory
        if text in self._visible or text.upper() in self._visible:
            raise ValidationError(
                _("您无权在地区“%(code)s”登记或修改机构") % {"code": text}, code="territory_scope"
            )
        raise ValidationError(
            _("地区代码“%(code)s”不存在，或不在您的管理范围内") % {"code": text}, code="territory_unknown"
        )

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """An enterprise needs its 统一社会信用代码."""
        if values.get("kind") == OrganisationKind.ENTERPRISE and not values.get("uscc"):
            raise ValidationError({"uscc": _("企业须填写统一社会信用代码")}, code="uscc_required")

    def create(self, values: dict[str, Any], *, actor: Any) -> Organisation:
        """Register the organisation through accounts.services.organisation_create."""
        return services.organisation_create(data=values, actor=actor)

    def update(self, obj: Any, values: dict[str, Any], *, actor: Any) -> Organisation:
        """Change the organisation through accounts.services.organisation_update."""
        return services.organisation_update(obj=obj, data=values, actor=actor)
