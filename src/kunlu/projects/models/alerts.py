"""Alerts as data: rule sets an administrator edits, the runs that compute a month's alerts, and the alerts
with their reason and acknowledgement, kept run after run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.core.models import Period, Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.projects.choices import AlertKind, AlertLevel, LatenessUnit, Stage
from kunlu.projects.models.projects import Project


class AlertRuleSet(TimeStamped):
    """A named set of alert rules (e.g. 银川“红黄绿”, 武汉“红黄牌”), chosen when alerts are computed."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预警规则集")
        verbose_name_plural = _("预警规则集")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AlertRule(TimeStamped):
    """One rule: what is measured (stage lateness, investment gap or ratio to 序时进度, missing monthly
    reports) and the yellow and red thresholds."""

    rule_set = models.ForeignKey(
        AlertRuleSet, verbose_name=_("预警规则集"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("预警类型"), max_length=20, choices=AlertKind.choices)
    stage = models.CharField(
        _("节点"), max_length=16, choices=Stage.choices, blank=True, help_text=_("节点滞后规则适用的节点")
    )
    unit = models.CharField(
        _("滞后计量单位"),
        max_length=8,
        choices=LatenessUnit.choices,
        blank=True,
        help_text=_("节点滞后规则：天或月"),
    )
    yellow_at = models.DecimalField(_("黄色阈值"), max_digits=10, decimal_places=2)
    yellow_strict = models.BooleanField(_("黄色不含等于"), default=False)
    red_at = models.DecimalField(_("红色阈值"), max_digits=10, decimal_places=2)
    red_strict = models.BooleanField(_("红色不含等于"), default=False)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["rule_set", "sort_order", "id"]

    def __str__(self) -> str:
        stage = f"（{self.get_stage_display()}）" if self.stage else ""
        return f"{self.rule_set} · {self.get_kind_display()}{stage}"


class AlertRun(TimeStamped):
    """One computation of a month's alerts for a territory under a rule set."""

    rule_set = models.ForeignKey(
        AlertRuleSet, verbose_name=_("预警规则集"), on_delete=models.PROTECT, related_name="runs"
    )
    territory = models.ForeignKey(Territory, verbose_name=_("地区"), on_delete=models.PROTECT)
    period = models.ForeignKey(Period, verbose_name=_("月份"), on_delete=models.PROTECT, related_name="+")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    projects = models.PositiveIntegerField(_("项目数"), default=0)
    yellow = models.PositiveIntegerField(_("黄色预警"), default=0)
    red = models.PositiveIntegerField(_("红色预警"), default=0)

    scope = Scope(territory="territory")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预警计算")
        verbose_name_plural = _("预警计算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period} · {self.territory} · {self.rule_set}"


class Alert(TimeStamped):
    """An alert raised on a project for a month by one rule: level, measure, threshold and reason, and
    its acknowledgement with a comment."""

    run = models.ForeignKey(
        AlertRun, verbose_name=_("预警计算"), on_delete=models.CASCADE, related_name="alerts"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="alerts"
    )
    rule = models.ForeignKey(
        AlertRule, verbose_name=_("预警规则"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(Period, verbose_name=_("月份"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("预警等级"), max_length=8, choices=AlertLevel.choices, db_index=True)
    measure = models.DecimalField(_("测度值"), max_digits=12, decimal_places=2)
    threshold = models.DecimalField(_("触发阈值"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("预警原因"), max_length=500)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    comment = models.TextField(_("处理意见"), blank=True)

    scope = Scope(territory="project__territory", organisation="project__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目预警")
        verbose_name_plural = _("项目预警")
        ordering = ["-run__created_at", "level", "project__code"]
        permissions = [("acknowledge_alert", _("确认项目预警"))]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_level_display()} · {self.reason}"
