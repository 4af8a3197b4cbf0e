"""Enterprise direct reporting (企业直报): categories and their forms, memberships, deadlines, monthly
reports with their lines, and the review rules analysts edit.

A report is what an enterprise states; it becomes a fact only when a reviewer accepts it, through
`kunlu.indicators.services.unit_observation_record` (a revised report becomes a new version of the facts).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.formatting import plain
from kunlu.core.models import Period, Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.indicators.models import Indicator
from kunlu.reporting.choices import Operator, ReportStatus, RuleKind, Severity


class ReportingCategory(TimeStamped):
    """A class of reporting units that file the same monthly form (规上工业, 限上批零, 规上服务业 …)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    deadline_workday = models.PositiveSmallIntegerField(
        _("截止工作日"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("当月报表于次月第N个工作日前报送（按国家法定节假日及调休计算）"),
    )
    indicators: models.ManyToManyField[Indicator, CategoryIndicator] = models.ManyToManyField(
        Indicator,
        verbose_name=_("报表指标"),
        through="CategoryIndicator",
        related_name="reporting_categories",
        blank=True,
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报表类别")
        verbose_name_plural = _("报表类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CategoryIndicator(TimeStamped):
    """One line of a category's monthly form: an indicator, whether it must be filled, and its place."""

    category = models.ForeignKey(
        ReportingCategory, verbose_name=_("报表类别"), on_delete=models.CASCADE, related_name="form_lines"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField(_("必填"), default=False)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报表指标")
        verbose_name_plural = _("报表指标")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "indicator"], name="categoryindicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.indicator}"


class CategoryMembership(TimeStamped):
    """An enterprise's membership of a reporting category from one month to another (firms cross the
    thresholds both ways each year, so membership is kept per span of months, never as a flag)."""

    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="reporting_memberships",
        limit_choices_to={"kind": OrganisationKind.ENTERPRISE},
    )
    category = models.ForeignKey(
        ReportingCategory, verbose_name=_("报表类别"), on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.ForeignKey(
        Period, verbose_name=_("起始月份"), on_delete=models.PROTECT, related_name="+"
    )
    valid_to = models.ForeignKey(
        Period,
        verbose_name=_("终止月份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示持续有效"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = Scope(territory="enterprise__territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("直报企业")
        verbose_name_plural = _("直报企业名录")
        ordering = ["category", "enterprise__name", "valid_from__year", "valid_from__month"]

    def __str__(self) -> str:
        until = self.valid_to.code if self.valid_to_id and self.valid_to else "—"
        return f"{self.enterprise} · {self.category} · {self.valid_from.code}～{until}"


class ReportingDeadline(TimeStamped):
    """A deadline set by hand for one month's reports: the bureau's published schedule, or a year the
    holiday calendar does not know yet. Without one, the category's working-day rule applies."""

    period = models.ForeignKey(Period, verbose_name=_("报告期"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        ReportingCategory,
        verbose_name=_("报表类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadlines",
        help_text=_("留空表示适用于所有报表类别"),
    )
    due_on = models.DateField(_("截止日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送截止日")
        verbose_name_plural = _("报送截止日")
        ordering = ["-period__year", "-period__month", "category"]
        constraints = [
            models.UniqueConstraint(fields=["period", "category"], name="reportingdeadline_unique"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(category__isnull=True), name="reportingdeadline_unique_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.category or _('全部类别')} · {self.due_on:%Y-%m-%d}"


class MonthlyReport(TimeStamped):
    """An enterprise's monthly direct report (企业直报) for one category and month: draft, submitted,
    accepted or returned."""

    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("所属地区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("开始填报时企业所在地区"),
    )
    category = models.ForeignKey(
        ReportingCategory, verbose_name=_("报表类别"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(Period, verbose_name=_("报告期"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    deadline = models.DateField(_("截止日期"))
    revision = models.PositiveIntegerField(_("报送次数"), default=0)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    scope = Scope(territory="territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业月报")
        verbose_name_plural = _("企业月报")
        ordering = ["-period__year", "-period__month", "enterprise__name", "category"]
        permissions = [("review_monthlyreport", _("审核企业月报"))]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "category", "period"], name="monthlyreport_unique_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.category} · {self.period}"

    @property
    def is_late(self) -> bool:
        """迟报: first handed in after the deadline (a resubmission after a return does not count)."""
        if self.first_submitted_at is None:
            return False
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) > self.deadline


class ReportLine(TimeStamped):
    """One indicator's value in a monthly report, the enterprise's explanation, and what the review
    rules found when it was last submitted."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("企业月报"), on_delete=models.CASCADE, related_name="lines"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("本月数值"), null=True, blank=True, max_digits=20, decimal_places=4)
    explanation = models.TextField(_("情况说明"), blank=True)
    findings = models.JSONField(_("审核提示"), default=list, blank=True)

    scope = Scope(territory="report__territory", organisation="report__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报表数据")
        verbose_name_plural = _("报表数据")
        ordering = ["report", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reportline_unique")]

    def __str__(self) -> str:
        return f"{self.indicator}：{plain(self.value)}{self.indicator.unit}"


class ReviewRule(TimeStamped):
    """A review rule for reported data, kept as data an analyst edits: a required value, a range, a
    month-on-month or year-on-year jump, or a relation between two indicators; it blocks the submission
    or asks the enterprise for an explanation."""

    category = models.ForeignKey(
        ReportingCategory, verbose_name=_("报表类别"), on_delete=models.PROTECT, related_name="rules"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("规则类型"), max_length=16, choices=RuleKind.choices)
    min_value = models.DecimalField(_("下限"), null=True, blank=True, max_digits=20, decimal_places=4)
    max_value = models.DecimalField(_("上限"), null=True, blank=True, max_digits=20, decimal_places=4)
    threshold_pct = models.DecimalField(
        _("变动阈值（%）"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("环比、同比变动超过该百分比时触发，如 30 表示 ±30%"),
    )
    operator = models.CharField(_("关系"), max_length=4, choices=Operator.choices, blank=True)
    right_indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("比较指标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    factor = models.DecimalField(
        _("系数"),
        max_digits=12,
        decimal_places=4,
        default=1,
        help_text=_("指标 关系 系数×比较指标，如 出口总额 ≤ 1×外贸进出口总额"),
    )
    severity = models.CharField(_("处理方式"), max_length=8, choices=Severity.choices)
    message = models.CharField(
        _("提示语"),
        max_length=300,
        blank=True,
        help_text=_(
            "留空使用默认提示。可用占位符：{indicator} {value} {unit} {base} {change} {threshold} "
            "{min} {max} {operator} {factor} {right_indicator} {right_value}"
        ),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("审核规则")
        verbose_name_plural = _("审核规则")
        ordering = ["category", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=RuleKind.CROSS) | Q(right_indicator__isnull=False),
                name="reviewrule_cross_has_right",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.indicator} · {self.get_kind_display()}"
