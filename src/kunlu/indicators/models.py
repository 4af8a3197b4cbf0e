"""S1 models: the indicator catalogue, versioned facts (zone and enterprise level), targets, exchange rates.

Facts are never overwritten. Recording a new value for the same key adds a version and marks the previous
one superseded at that moment; a question asked "as of" a past moment sees the versions current then.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.accounts.models import Organisation
from kunlu.core.models import ImportBatch, Period, Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.core.versions import versions_of
from kunlu.indicators.choices import Additivity, Basis, Caliber, Currency, Frequency, PriceBasis, Unit


class Indicator(TimeStamped):
    """An economic indicator the zone monitors (规上工业总产值, 实际使用外资 …), with how it is reported."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    currency = models.CharField(_("币种"), max_length=3, choices=Currency.choices, blank=True)
    caliber = models.CharField(_("统计口径"), max_length=16, choices=Caliber.choices, default=Caliber.ALL)
    source_department = models.CharField(_("数据来源部门"), max_length=100, blank=True)
    additivity = models.CharField(
        _("可加性"), max_length=8, choices=Additivity.choices, default=Additivity.SUM
    )
    numerator = models.ForeignKey(
        "self", verbose_name=_("分子指标"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name=_("分母指标"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属指标（其中项）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    reporting_basis = models.CharField(_("报送方式"), max_length=8, choices=Basis.choices, default=Basis.YTD)
    frequency = models.CharField(
        _("频率"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    precision = models.PositiveSmallIntegerField(_("显示小数位"), default=1)
    allows_negative = models.BooleanField(
        _("允许负值"), default=False, help_text=_("利润、增量等可以为负的指标；其余指标的负值会被拒绝")
    )
    price_basis = models.CharField(
        _("价格口径"), max_length=8, choices=PriceBasis.choices, default=PriceBasis.NOMINAL
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    description = models.TextField(_("说明"), blank=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标目录")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(additivity=Additivity.RATIO)
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="indicator_ratio_has_terms",
            ),
            models.CheckConstraint(
                condition=~Q(unit__in=["万元", "亿元"]) | Q(currency=Currency.CNY),
                name="indicator_yuan_is_cny",
            ),
            models.CheckConstraint(
                condition=~Q(unit__in=["万美元", "亿美元"]) | Q(currency=Currency.USD),
                name="indicator_usd_is_usd",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The catalogue's editable fields, in the order the form, the export, the API and the import show them.
INDICATOR_FIELDS = (
    "code",
    "name",
    "name_en",
    "unit",
    "currency",
    "caliber",
    "source_department",
    "additivity",
    "numerator",
    "denominator",
    "parent",
    "reporting_basis",
    "frequency",
    "precision",
    "price_basis",
    "sort_order",
    "is_active",
    "description",
)


class Fact(models.Model):
    """What every stored value shares: its indicator, month, basis, value and its version's provenance."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    period = models.ForeignKey(Period, verbose_name=_("期间"), on_delete=models.PROTECT)
    basis = models.CharField(_("数值口径"), max_length=8, choices=Basis.choices)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    version = models.PositiveIntegerField(_("版本"), default=1)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, db_index=True)
    superseded_at = models.DateTimeField(_("被替代时间"), null=True, blank=True, db_index=True)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    # Versions are the history of a fact: a field-history table beside them would only repeat them.
    history_kept_by = "version"
    version_key: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def versions(self) -> models.QuerySet[Any]:
        return versions_of(self)


class Observation(Fact):
    """A value of an indicator for a territory and month (as published by the statistics bureau)."""

    territory = models.ForeignKey(Territory, verbose_name=_("地区"), on_delete=models.PROTECT)

    scope = Scope(territory="territory")
    objects = ScopedManager()
    version_key = ("indicator", "territory", "period", "basis")

    class Meta:
        verbose_name = _("地区指标数据")
        verbose_name_plural = _("地区指标数据")
        ordering = ["indicator", "territory", "period", "basis", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "period", "basis", "version"],
                name="observation_unique_version",
            ),
            models.UniqueConstraint(
                fields=["indicator", "territory", "period", "basis"],
                condition=Q(superseded_at__isnull=True),
                name="observation_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.territory} · {self.period} = {self.value}"


class UnitObservation(Fact):
    """A value an enterprise reported (or the bureau recorded for it) for an indicator and month."""

    enterprise = models.ForeignKey(Organisation, verbose_name=_("企业"), on_delete=models.PROTECT)
    territory = models.ForeignKey(Territory, verbose_name=_("地区"), on_delete=models.PROTECT)

    scope = Scope(territory="territory", organisation="enterprise")
    objects = ScopedManager()
    version_key = ("indicator", "enterprise", "period", "basis")

    class Meta:
        verbose_name = _("企业指标数据")
        verbose_name_plural = _("企业指标数据")
        ordering = ["indicator", "enterprise", "period", "basis", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "enterprise", "period", "basis", "version"],
                name="unitobs_unique_version",
            ),
            models.UniqueConstraint(
                fields=["indicator", "enterprise", "period", "basis"],
                condition=Q(superseded_at__isnull=True),
                name="unitobs_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.enterprise} · {self.period} = {self.value}"


class Target(TimeStamped):
    """The annual target of an indicator for a territory; a revised target is a new version."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    territory = models.ForeignKey(Territory, verbose_name=_("地区"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)
    version = models.PositiveIntegerField(_("版本"), default=1)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    superseded_at = models.DateTimeField(_("被替代时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)

    scope = Scope(territory="territory")
    objects = ScopedManager()
    history_kept_by = "version"
    version_key = ("indicator", "territory", "year")

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["year", "indicator", "territory", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "year"],
                condition=Q(superseded_at__isnull=True),
                name="target_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator} · {self.territory} = {self.value}"

    def versions(self) -> models.QuerySet[Any]:
        return versions_of(self)


class ExchangeRate(TimeStamped):
    """A dated exchange rate, used only to display a foreign-currency figure beside its 人民币 estimate."""

    period = models.ForeignKey(Period, verbose_name=_("期间"), on_delete=models.PROTECT)
    currency = models.CharField(_("币种"), max_length=3, choices=[("USD", _("美元"))], default="USD")
    cny_per_unit = models.DecimalField(_("人民币/外币"), max_digits=12, decimal_places=6)
    source = models.CharField(_("来源"), max_length=100, blank=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("汇率")
        verbose_name_plural = _("汇率")
        ordering = ["-period__year", "-period__month"]
        constraints = [models.UniqueConstraint(fields=["period", "currency"], name="exchangerate_unique")]

    def __str__(self) -> str:
        return f"{self.period} {self.currency} {self.cny_per_unit}"
