"""The enterprise register from Excel/CSV: the dataset "enterprises.enterprise" (企业名录).

A row is one enterprise, found by its 统一社会信用代码: an enterprise already registered (even without a
profile yet) is updated, never doubled; a new code registers a new enterprise. A row equal to what is
stored writes nothing, so the same file twice changes nothing. The registry's export has the same columns
and imports back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.imports.datasets import CREATED, Column, Dataset, choice_parser, decimal_parser, register
from kunlu.core.models import Territory
from kunlu.core.permissions import permitted_territories
from kunlu.enterprises import services
from kunlu.enterprises.choices import CapitalCurrency, IndustryLevel, SpecialisedLevel
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.indicators.imports import yes_no_parser

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
BOOLEAN_FIELDS = ("is_above_scale", "is_high_tech", "is_foreign", "is_headquarters")


def uscc_parser(text: str) -> str:
    """A 统一社会信用代码 with a correct check digit."""
    return services.uscc_validate(text)


def date_parser(text: str) -> date:
    """A date written as 2015-03-01, 2015/3/1 or 2015年3月1日."""
    match = _DATE.match(text.strip())
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ValidationError(_("“%(value)s”不是有效日期，应写作 2015-03-01") % {"value": text}, code="date")


def count_parser(text: str) -> int:
    """A whole number of people, 0 or more."""
    value = decimal_parser()(text)
    if value != value.to_integral_value() or value < 0:
        raise ValidationError(_("“%(value)s”应为0或正整数") % {"value": text}, code="integer")
    return int(value)


def year_parser(text: str) -> int:
    """A year written as 2021 or 2021年."""
    wanted = text.strip().removesuffix("年")
    if not (wanted.isdigit() and len(wanted) == 4):
        raise ValidationError(_("“%(value)s”不是年份，应写作 2021") % {"value": text}, code="year")
    return int(wanted)


def land_parser(text: str) -> Decimal:
    """A land area in mu, greater than zero."""
    value: Decimal = decimal_parser(places=2)(text)
    if value <= 0:
        raise ValidationError(_("用地面积须大于0（现为%(value)s）") % {"value": text}, code="land_area")
    return value


def capital_parser(text: str) -> Decimal:
    """Registered capital in 万 of its currency, not negative."""
    value: Decimal = decimal_parser(places=2)(text)
    if value < 0:
        raise ValidationError(_("注册资本不能为负数"), code="capital_negative")
    return value


def email_parser(text: str) -> str:
    """An e-mail address."""
    validate_email(text.strip())
    return text.strip()


def _labels(choices: type[models.Choices]) -> list[str]:
    return [str(label) for _value, label in choices.choices]


@register
class EnterpriseDataset(Dataset):
    """企业名录: enterprises by 统一社会信用代码, with their registry particulars."""

    name = "enterprises.enterprise"
    title = gettext_lazy("企业名录")
    description = gettext_lazy(
        "每行一家企业，按统一社会信用代码识别：已登记的企业更新其信息（不会重复登记），未登记的新增。"
        "同一文件中同一代码只能出现一次；与库中一致的行不作任何更改。企业库列表的导出文件可直接导入。"
    )
    model = EnterpriseProfile
    columns = (
        Column(
            "uscc",
            gettext_lazy("统一社会信用代码"),
            required=True,
            parse=uscc_parser,
            help=gettext_lazy("18位，字母大写，校验位须正确"),
            example=demo_uscc(1),
        ),
        Column(
            "name",
            gettext_lazy("企业名称"),
            required=True,
            help=gettext_lazy("与营业执照一致；与库中名称不同时按今日更名登记"),
            example="昆山示例精密机械有限公司",
        ),
        Column(
            "territory",
            gettext_lazy("所属地区代码"),
            required=True,
            help=gettext_lazy("地区代码（见“基础数据 → 地区”），须在您的管理范围内"),
            example="KS-GX-ZB",
        ),
        Column(
            "industry",
            gettext_lazy("行业代码"),
            help=gettext_lazy(
                "GB/T 4754-2017 行业代码，大类（2位）或更细，如 34、3421（见“企业库 → 行业分类”）"
            ),
            example="34",
        ),
        Column(
            "is_above_scale",
            gettext_lazy("规上企业"),
            parse=yes_no_parser,
            help=gettext_lazy("是/否，留空为否"),
            example="是",
            choices=[gettext_lazy("是"), gettext_lazy("否")],
        ),
        Column(
            "is_high_tech",
            gettext_lazy("高新技术企业"),
            parse=yes_no_parser,
            help=gettext_lazy("是/否，留空为否"),
            example="是",
            choices=[gettext_lazy("是"), gettext_lazy("否")],
        ),
        Column(
            "high_tech_year",
            gettext_lazy("高企认定年度"),
            parse=year_parser,
            help=gettext_lazy("最近一次认定的年份，如 2023；非高企留空"),
            example="2023",
        ),
        Column(
            "specialised_level",
            gettext_lazy("专精特新"),
            parse=choice_parser(SpecialisedLevel),
            help=gettext_lazy("从下拉列表选择：无、省专精特新、国家专精特新“小巨人”；留空为无"),
            example="省专精特新",
            choices=_labels(SpecialisedLevel),
        ),
        Column(
            "is_foreign",
            gettext_lazy("外资企业"),
            parse=yes_no_parser,
            help=gettext_lazy("是/否，留空为否"),
            example="否",
            choices=[gettext_lazy("是"), gettext_lazy("否")],
        ),
        Column(
            "foreign_origin",
            gettext_lazy("外资来源国家/地区"),
            help=gettext_lazy("外资企业必填，如 德国、中国台湾、中国香港"),
            example="",
        ),
        Column(
            "is_headquarters",
            gettext_lazy("总部企业"),
            parse=yes_no_parser,
            help=gettext_lazy("是/否，留空为否"),
            example="是",
            choices=[gettext_lazy("是"), gettext_lazy("否")],
        ),
        Column(
            "registered_capital",
            gettext_lazy("注册资本（万）"),
            parse=capital_parser,
            help=gettext_lazy("单位为万元（或万美元，见币种列）"),
            example="5000",
        ),
        Column(
            "capital_currency",
            gettext_lazy("注册资本币种"),
            parse=choice_parser(CapitalCurrency),
            help=gettext_lazy("人民币或美元，留空为人民币"),
            example="人民币",
            choices=_labels(CapitalCurrency),
        ),
        Column(
            "founded_on",
            gettext_lazy("成立日期"),
            parse=date_parser,
            help=gettext_lazy("写作 2015-03-01"),
            example="2015-03-01",
        ),
        Column(
            "employees",
            gettext_lazy("从业人数"),
            parse=count_parser,
            help=gettext_lazy("年末从业人员数，整数"),
            example="320",
        ),
        Column(
            "land_area_mu",
            gettext_lazy("用地面积（亩）"),
            parse=land_parser,
            help=gettext_lazy("登记的实际用地面积，须大于0；未登记留空"),
            example="45.5",
        ),
        Column(
            "address", gettext_lazy("地址"), help=gettext_lazy("最多200字"), example="昆山市高新区示例路1号"
        ),
        Column("contact_name", gettext_lazy("联系人"), help=gettext_lazy("最多50字"), example="张三"),
        Column(
            "contact_phone",
            gettext_lazy("联系电话"),
            help=gettext_lazy("手机或座机，最多30字"),
            example="0512-57000000",
        ),
        Column(
            "contact_email",
            gettext_lazy("电子邮箱"),
            parse=email_parser,
            help=gettext_lazy("联系人的电子邮箱"),
            example="contact@example.com",
        ),
        Column("note", gettext_lazy("备注"), help=gettext_lazy("其他需要说明的情况"), example=""),
    )
    natural_key = ("uscc",)

    def __init__(self) -> None:
        super().__init__()
        self._addable: dict[str, Territory] = {}
        self._visible: set[str] = set()
        self._industries: dict[str, Industry] = {}
        self._profiles: dict[str, EnterpriseProfile] = {}
        self._organisations: dict[str, Organisation] = {}

    # -- reading cells -------------------------------------------------------------------------------------
    def prepare(self, *, actor: Any) -> None:
        """Load the territories the uploader may register enterprises in, and the industries (once)."""
        visible = Territory.objects.restrict(actor, "view")
        self._addable = {t.code: t for t in permitted_territories(actor, EnterpriseProfile, "add") & visible}
        self._visible = set(visible.values_list("code", flat=True))
        self._industries = {i.code: i for i in Industry.objects.all()}

    def parse_territory(self, text: str, *, actor: Any) -> Territory:
        """A territory code within the uploader's scope for registering enterprises."""
        territory = self._addable.get(text.strip()) or self._addable.get(text.strip().upper())
        if territory is not None:
            return territory
        if text in self._visible or text.upper() in self._visible:
            raise ValidationError(
                _("您无权在地区“%(code)s”登记或修改企业") % {"code": text}, code="territory_scope"
            )
        raise ValidationError(
            _("地区代码“%(code)s”不存在，或不在您的管理范围内") % {"code": text}, code="territory_unknown"
        )

    def parse_industry(self, text: str, *, actor: Any) -> Industry:
        """A GB/T 4754-2017 class of 大类 level or finer, by its code."""
        code = text.strip().upper()
        industry = self._industries.get(code)
        if industry is None and len(code) > 1 and code[0].isalpha() and code[1:] in self._industries:
            industry = self._industries[code[1:]]  # "C34" as some lists write it
        if industry is None:
            raise ValidationError(
                _("行业代码“%(code)s”不是 GB/T 4754-2017 的行业代码") % {"code": text},
                code="industry_unknown",
            )
        if industry.level == IndustryLevel.SECTION:
            raise ValidationError(
                _("行业代码“%(code)s”是门类，请填大类（2位）或更细的代码") % {"code": text},
                code="industry_level",
            )
        return industry

    def empty_value(self, column: Column) -> Any:
        """Empty flags are 否, an empty 专精特新 is 无, an empty currency is 人民币."""
        if column.field in BOOLEAN_FIELDS:
            return False
        if column.field == "specialised_level":
            return SpecialisedLevel.NONE
        if column.field == "capital_currency":
            return CapitalCurrency.CNY
        if column.field in ("uscc", "name"):
            return ""
        return super().empty_value(column)

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """The profile's rules across cells (a 外资 origin needs the 外资 flag, …)."""
        services.profile_validate(values)

    # -- finding the enterprise ----------------------------------------------------------------------------
    def preload(self, rows: Iterable[dict[str, Any]], *, actor: Any = None) -> None:
        """The enterprises the rows name by credit code, with their profiles, in a few queries."""
        codes = sorted({values["uscc"] for values in rows if values.get("uscc")})
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            for org in Organisation.objects.filter(uscc__in=chunk):
                self._organisations[org.uscc] = org
            for profile in EnterpriseProfile.objects.filter(organisation__uscc__in=chunk).select_related(
                "organisation"
            ):
                self._profiles[profile.organisation.uscc] = profile
        if actor is not None:
            pks = [p.pk for p in self._profiles.values()]
            allowed = set(
                EnterpriseProfile.objects.restrict(actor, "change")
                .filter(pk__in=pks)
                .values_list("pk", flat=True)
            )
            self._changeable.update({pk: pk in allowed for pk in pks})

    def find(self, values: dict[str, Any]) -> EnterpriseProfile | None:
        """The registered profile of the row's credit code, if any."""
        code = values.get("uscc") or ""
        if code not in self._profiles and code not in self._organisations:
            profile = (
                EnterpriseProfile.objects.filter(organisation__uscc=code)
                .select_related("organisation")
                .first()
            )
            if profile is not None:
                self._profiles[code] = profile
        return self._profiles.get(code)

    def changes(self, obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        """The row's values that differ from the enterprise as stored."""
        assert isinstance(obj, EnterpriseProfile)
        org = obj.organisation
        stored: dict[str, Any] = {"uscc": org.uscc, "name": org.name, "territory": org.territory_id}
        changed = {}
        for name, value in values.items():
            if name in stored:
                old = stored[name]
            else:
                old = getattr(obj, EnterpriseProfile._meta.get_field(name).attname)  # type: ignore[union-attr]
            new = value.pk if isinstance(value, models.Model) else value
            if old != new:
                changed[name] = value
        return changed

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """What the row would do; a code registered to a non-enterprise, or out of the uploader's scope,
        is refused in the preview."""
        action = super().plan_row(values, actor=actor)
        if action == CREATED:
            org = self._organisations.get(values["uscc"])
            if org is not None and org.kind != OrganisationKind.ENTERPRISE:
                raise ValidationError(
                    {
                        "uscc": _("该代码已登记为%(kind)s“%(name)s”，不是企业")
                        % {"kind": org.get_kind_display(), "name": org.name}
                    },
                    code="not_enterprise",
                )
            if (
                org is not None
                and not Organisation.objects.restrict(actor, "view").filter(pk=org.pk).exists()
            ):
                raise ValidationError(
                    {"uscc": _("该企业已登记，但不在您的管理范围内，不能通过导入修改")}, code="out_of_scope"
                )
        return action

    # -- writing -------------------------------------------------------------------------------------------
    def create(self, values: dict[str, Any], *, actor: Any) -> EnterpriseProfile:
        """Register the enterprise (merging into an Organisation of the same code) through the service."""
        profile = services.enterprise_register(data=values, actor=actor, merge=True)
        self._profiles[profile.organisation.uscc] = profile
        return profile

    def update(self, obj: Any, values: dict[str, Any], *, actor: Any) -> EnterpriseProfile:
        """Change the enterprise through enterprises.services.enterprise_update."""
        return services.enterprise_update(obj=obj, data=values, actor=actor)


def export_row(profile: EnterpriseProfile) -> list[Any]:
    """An enterprise as a row of the 企业名录 columns, written the way the import reads them."""
    org = profile.organisation
    return [
        org.uscc,
        org.name,
        org.territory.code,
        profile.industry.code if profile.industry else "",
        profile.is_above_scale,
        profile.is_high_tech,
        profile.high_tech_year,
        profile.get_specialised_level_display(),
        profile.is_foreign,
        profile.foreign_origin,
        profile.is_headquarters,
        profile.registered_capital,
        profile.get_capital_currency_display(),
        profile.founded_on,
        profile.employees,
        profile.land_area_mu,
        profile.address,
        profile.contact_name,
        profile.contact_phone,
        profile.contact_email,
        profile.note,
    ]
