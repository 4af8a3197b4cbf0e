"""The enterprise registry (企业库): GB/T 4754-2017 industries, enterprise profiles and names over time.

An enterprise is an `accounts.Organisation` of kind enterprise (its 统一社会信用代码 and territory live
there); the profile adds what the zone knows about it. Writes go through `enterprises.services`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.models import Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.enterprises.choices import CapitalCurrency, IndustryLevel, SpecialisedLevel


def validate_land_area(value: Decimal) -> None:
    """A registered land area is a positive number of mu."""
    if value is not None and value <= 0:
        raise ValidationError(_("用地面积须大于0"), code="land_area")


class Industry(TimeStamped):
    """A class of GB/T 4754-2017 国民经济行业分类: a 门类, 大类, 中类 or 小类."""

    code = models.CharField(_("行业代码"), max_length=5, unique=True)
    name = models.CharField(_("行业名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    section = models.CharField(_("门类"), max_length=1, db_index=True, help_text=_("所属门类的字母代码"))
    sort = models.PositiveIntegerField(_("排序"), default=0)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行业分类")
        verbose_name_plural = _("行业分类")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnterpriseProfile(TimeStamped):
    """What the zone records about one enterprise: industry, flags, capital, staff, land and contacts."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="enterprise_profile",
        limit_choices_to={"kind": OrganisationKind.ENTERPRISE},
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("国民经济行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("GB/T 4754-2017，选到大类或更细"),
    )
    is_above_scale = models.BooleanField(
        _("规上企业"), default=False, help_text=_("规模以上：年主营业务收入2000万元及以上的工业法人单位等")
    )
    is_high_tech = models.BooleanField(_("高新技术企业"), default=False)
    high_tech_year = models.PositiveSmallIntegerField(_("高企认定年度"), null=True, blank=True)
    specialised_level = models.CharField(
        _("专精特新"), max_length=16, choices=SpecialisedLevel.choices, default=SpecialisedLevel.NONE
    )
    is_foreign = models.BooleanField(_("外资企业"), default=False)
    foreign_origin = models.CharField(_("外资来源国家/地区"), max_length=50, blank=True)
    is_headquarters = models.BooleanField(_("总部企业"), default=False)
    registered_capital = models.DecimalField(
        _("注册资本（万）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    capital_currency = models.CharField(
        _("注册资本币种"), max_length=3, choices=CapitalCurrency.choices, default=CapitalCurrency.CNY
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("登记的实际用地面积，留空表示未登记"),
        validators=[validate_land_area],
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(territory="organisation__territory", organisation="organisation")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业库")
        ordering = ["organisation__territory__path", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(land_area_mu__isnull=True) | Q(land_area_mu__gt=0),
                name="enterpriseprofile_land_positive",
                violation_error_message=_("用地面积须大于0"),
                violation_error_code="land_area",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    # The registry reads and writes an enterprise as one record: these are the Organisation's own fields.
    @property
    def uscc(self) -> str:
        return self.organisation.uscc

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def territory(self) -> Territory:
        return self.organisation.territory


class EnterpriseName(TimeStamped):
    """One name an enterprise bore, from a date to a date (the current name has no end)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("名称"), max_length=200)
    valid_from = models.DateField(_("启用日期"), null=True, blank=True, help_text=_("留空表示自成立起"))
    valid_to = models.DateField(_("停用日期"), null=True, blank=True, help_text=_("留空表示现用名称"))

    scope = Scope(territory="organisation__territory", organisation="organisation")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业名称")
        verbose_name_plural = _("企业名称")
        ordering = ["organisation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(valid_to__isnull=True), name="enterprisename_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name
