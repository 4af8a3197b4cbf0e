"""Investment promotion (招商): leads with their follow-ups, and the signing events that close them."""

from __future__ import annotations

from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.core.models import Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.enterprises.choices import IndustryLevel
from kunlu.enterprises.models import Industry
from kunlu.projects.choices import Currency, LeadSource, LeadStage


class Lead(TimeStamped):
    """An investment lead (招商线索): an investor and a possible project, from first contact to signing."""

    territory = models.ForeignKey(Territory, verbose_name=_("所属地区"), on_delete=models.PROTECT)
    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    origin = models.CharField(_("投资方国别/地区"), max_length=50, default="中国")
    is_foreign = models.BooleanField(_("外资"), default=False)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=~Q(level=IndustryLevel.SECTION),
        help_text=_("国民经济行业分类（GB/T 4754-2017）大类及以下"),
    )
    chain = models.CharField(_("目标产业链"), max_length=100, blank=True)
    estimated_investment = models.DecimalField(
        _("预计投资额（万）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("币种"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    source = models.CharField(_("线索来源"), max_length=16, choices=LeadSource.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(
        _("阶段"), max_length=16, choices=LeadStage.choices, default=LeadStage.LEAD, db_index=True
    )
    stage_changed_on = models.DateField(_("阶段变更日期"), null=True, blank=True)
    termination_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    next_action = models.CharField(_("下一步工作"), max_length=300, blank=True)
    next_action_on = models.DateField(_("下次跟进日期"), null=True, blank=True, db_index=True)
    note = models.TextField(_("备注"), blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    scope = Scope(territory="territory")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("招商线索")
        verbose_name_plural = _("招商线索")
        ordering = ["-created_at", "name"]

    def __str__(self) -> str:
        return self.name


class LeadFollowUp(TimeStamped):
    """One contact with an investor: what happened, the stage it left the lead in, and the next step."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("招商线索"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    happened_on = models.DateField(_("跟进日期"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("跟进情况"))
    stage = models.CharField(_("跟进后阶段"), max_length=16, choices=LeadStage.choices)
    next_action = models.CharField(_("下一步工作"), max_length=300, blank=True)
    next_action_on = models.DateField(_("下次跟进日期"), null=True, blank=True)

    scope = Scope(territory="lead__territory")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["lead", "-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.lead} · {self.happened_on:%Y-%m-%d}"


class SigningEvent(TimeStamped):
    """A signing (签约活动): a ceremony such as 集中签约仪式 or a single signing, with its projects."""

    territory = models.ForeignKey(Territory, verbose_name=_("所属地区"), on_delete=models.PROTECT)
    name = models.CharField(_("签约活动"), max_length=200)
    held_on = models.DateField(_("签约日期"), db_index=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    scope = Scope(territory="territory")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("签约活动")
        verbose_name_plural = _("签约活动")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.name}"


class SizeBandScheme(TimeStamped):
    """A list of size bands a report counts projects by (≥1亿元, ≥10亿元 …), in one currency."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    currency = models.CharField(_("币种"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    thresholds = models.JSONField(
        _("分档下限（万）"),
        default=list,
        help_text=_("各档下限，单位万元或万美元，由小到大，如 [10000, 100000]"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规模分档")
        verbose_name_plural = _("规模分档")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Lower bounds are positive numbers, strictly increasing (whoever writes them: page, API, import)."""
        bounds = self.thresholds
        numbers = isinstance(bounds, list) and all(
            isinstance(b, int | float) and not isinstance(b, bool) for b in bounds
        )
        if not numbers or not bounds:
            raise ValidationError(
                {
                    "thresholds": ValidationError(
                        _("分档下限须为数字列表，如 [10000, 100000]"), code="bands_format"
                    )
                }
            )
        if any(b <= 0 for b in bounds) or any(a >= b for a, b in pairwise(bounds)):
            raise ValidationError(
                {"thresholds": ValidationError(_("分档下限须为由小到大的正数"), code="bands_order")}
            )
