"""Investment: a project's annual plan (by month where given) and its monthly actual investment, versioned."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.core.models import ImportBatch, Period, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.core.versions import versions_of
from kunlu.projects.choices import ActualSource
from kunlu.projects.models.projects import Project


class InvestmentPlan(TimeStamped):
    """A project's planned investment for a year (年度计划投资), in its currency; months optional."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("年度计划投资（万）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = Scope(territory="project__territory", organisation="project__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度投资计划")
        verbose_name_plural = _("年度投资计划")
        ordering = ["-year", "project"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="investmentplan_unique")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"


class InvestmentPlanMonth(TimeStamped):
    """The plan's cumulative amount to the end of a month (1–M月计划), where the plan is given by month."""

    plan = models.ForeignKey(
        InvestmentPlan, verbose_name=_("年度投资计划"), on_delete=models.CASCADE, related_name="months"
    )
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    cumulative = models.DecimalField(
        _("计划累计投资（万）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )

    scope = Scope(territory="plan__project__territory", organisation="plan__project__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分月投资计划")
        verbose_name_plural = _("分月投资计划")
        ordering = ["plan", "month"]
        constraints = [models.UniqueConstraint(fields=["plan", "month"], name="planmonth_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.month}月"


class InvestmentActual(models.Model):
    """A project's investment completed in a year up to the end of a month (1–M月累计完成投资), as reported.
    A revision is a new version; the month's own investment is the difference with the month before."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="actuals"
    )
    period = models.ForeignKey(Period, verbose_name=_("月份"), on_delete=models.PROTECT, related_name="+")
    cumulative = models.DecimalField(_("年内累计完成投资（万）"), max_digits=16, decimal_places=2)
    version = models.PositiveIntegerField(_("版本"), default=1)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, db_index=True)
    superseded_at = models.DateTimeField(_("被替代时间"), null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=16, choices=ActualSource.choices)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("情况说明"), max_length=300, blank=True)

    scope = Scope(territory="project__territory", organisation="project__enterprise")
    objects = ScopedManager()
    history_kept_by = "version"
    version_key = ("project", "period")

    class Meta:
        verbose_name = _("月度完成投资")
        verbose_name_plural = _("月度完成投资")
        ordering = ["project", "period__year", "period__month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "version"], name="investmentactual_unique_version"
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=Q(superseded_at__isnull=True),
                name="investmentactual_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"

    def versions(self) -> models.QuerySet[Any]:
        return versions_of(self)
