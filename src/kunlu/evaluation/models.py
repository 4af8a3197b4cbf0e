"""亩均效益评价: rule sets as versioned YAML, the evaluation figures as versioned facts, runs with a stored
trace per enterprise, objections with evidence, and the differential policies attached to the bands.

Amounts are in 万元 (人民币), land in 亩, as the trade quotes them (docs/domain.md §1.3).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.models import ImportBatch, Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager, ScopedQuerySet, permission_name, user_grants
from kunlu.evaluation.choices import (
    PUBLISHED,
    Department,
    MeasureKind,
    ObjectionStatus,
    RunStatus,
)

ENTERPRISE = {"kind": OrganisationKind.ENTERPRISE}
# Scores are kept unrounded (rounding is for display): 10 decimals, as the engine's Arrow tables keep them.


class RuleSet(TimeStamped):
    """A jurisdiction's published evaluation method (评价办法), whose text lives in its versions."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    jurisdiction = models.CharField(_("适用地区"), max_length=100)
    scope_text = models.TextField(_("适用范围说明"), blank=True)
    is_shipped = models.BooleanField(_("内置"), default=False)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评价规则集")
        verbose_name_plural = _("评价规则集")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def latest(self) -> RuleSetVersion | None:
        """The newest version."""
        return self.versions.order_by("-number").first()


class RuleSetVersion(TimeStamped):
    """One version of a rule set: its YAML text as entered, never changed (editing adds a version)."""

    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("规则集"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    yaml_text = models.TextField(_("规则（YAML）"))
    note = models.CharField(_("修订说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规则集版本")
        verbose_name_plural = _("规则集版本")
        ordering = ["ruleset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "number"], name="rulesetversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.ruleset.name} v{self.number}"


class EnterpriseFigure(TimeStamped):
    """An enterprise's value of one evaluation input (税收, 销售收入, 用地面积 …) for a year, as a version."""

    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=ENTERPRISE,
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    input = models.CharField(_("数据项"), max_length=40)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
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
    source = models.CharField(_("来源"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = Scope(territory="territory", organisation="enterprise")
    objects = ScopedManager()
    # Versions are the history of a figure (as with kunlu.indicators' facts).
    history_kept_by = "version"
    version_key = ("enterprise", "year", "input")

    class Meta:
        verbose_name = _("评价基础数据")
        verbose_name_plural = _("评价基础数据")
        ordering = ["enterprise", "year", "input", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "input", "version"], name="figure_unique_version"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "year", "input"],
                condition=Q(superseded_at__isnull=True),
                name="figure_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year} · {self.input} = {self.value}"

    def versions(self) -> models.QuerySet[EnterpriseFigure]:
        """Every version of this figure's key, newest first."""
        return EnterpriseFigure.objects.filter(
            enterprise_id=self.enterprise_id, year=self.year, input=self.input
        ).order_by("-version")


class EvaluationRun(TimeStamped):
    """One evaluation (评价批次): a rule-set version applied to a territory's enterprises for a year, with the
    data as of a moment; it moves draft → 公示 → 异议处理 → 终审 (locked)."""

    title = models.CharField(_("名称"), max_length=200)
    ruleset_version = models.ForeignKey(
        RuleSetVersion, verbose_name=_("规则集版本"), on_delete=models.PROTECT, related_name="runs"
    )
    year = models.PositiveSmallIntegerField(_("评价年度"))
    as_of = models.DateTimeField(_("数据截止时点"))
    territory = models.ForeignKey(
        Territory, verbose_name=_("评价范围"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.DRAFT)
    computation = models.PositiveIntegerField(_("计算次数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    enterprise_count = models.PositiveIntegerField(_("参与企业数"), default=0)
    evaluated_count = models.PositiveIntegerField(_("参评企业数"), default=0)
    excluded_count = models.PositiveIntegerField(_("未参评企业数"), default=0)
    band_counts = models.JSONField(_("各等级企业数"), default=dict, blank=True)
    benchmarks = models.JSONField(_("基准值"), default=list, blank=True)
    computations = models.JSONField(_("计算记录"), default=list, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("终审时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(territory="territory")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == RunStatus.FINAL

    @property
    def policy_year(self) -> int:
        """Differential policies apply the year after the evaluated year."""
        return self.year + 1


class ResultQuerySet(ScopedQuerySet["EvaluationResult"]):
    """Results, of which an enterprise sees its own only once the run is published (公示 onwards)."""

    def restrict(self, user: Any, action: str = "view") -> ResultQuerySet:
        qs: ResultQuerySet = super().restrict(user, action)  # type: ignore[assignment]
        if user is None or not user.is_authenticated or user.is_superuser:
            return qs
        perm = permission_name(self.model, action)
        staff = [
            g.territory_path for g in user_grants(user) if perm in g.permissions and not g.organisation_only
        ]
        published = Q(run__status__in=PUBLISHED)
        for path in staff:
            published |= Q(territory__path__startswith=path)
        return qs.filter(published)


class EvaluationResult(TimeStamped):
    """One enterprise's outcome in one computation of a run: scored (with rank and band) or left out (with
    the reason), and the whole trace the enterprise sees line by line."""

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("评价批次"), on_delete=models.CASCADE, related_name="results"
    )
    computation = models.PositiveIntegerField(_("计算次数"))
    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated = models.BooleanField(_("参评"), default=True)
    track = models.CharField(_("评价序列"), max_length=16, blank=True)
    ranking_group = models.CharField(_("排名范围"), max_length=100, blank=True)
    indicator_points = models.DecimalField(
        _("指标得分"), null=True, blank=True, max_digits=30, decimal_places=10
    )
    bonus_points = models.DecimalField(_("加分"), null=True, blank=True, max_digits=30, decimal_places=10)
    deduction_points = models.DecimalField(_("扣分"), null=True, blank=True, max_digits=30, decimal_places=10)
    total = models.DecimalField(_("总分"), null=True, blank=True, max_digits=30, decimal_places=10)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    graded_count = models.PositiveIntegerField(_("参与排名企业数"), default=0)
    score_band = models.CharField(_("按分数等级"), max_length=8, blank=True)
    band = models.CharField(_("等级"), max_length=8, blank=True, db_index=True)
    band_basis = models.CharField(_("定级依据"), max_length=16, blank=True)
    band_reason = models.CharField(_("定级说明"), max_length=255, blank=True)
    exclusion_reason = models.CharField(_("未参评原因代码"), max_length=40, blank=True)
    exclusion_message = models.CharField(_("未参评原因"), max_length=255, blank=True)
    trace = models.JSONField(_("计算过程"), default=dict, blank=True)

    scope = Scope(territory="territory", organisation="enterprise")
    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        ordering = ["run", "-computation", "evaluated", "rank", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "computation", "enterprise"], name="result_unique_enterprise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.enterprise}"

    @property
    def is_current(self) -> bool:
        return self.computation == self.run.computation


class Objection(TimeStamped):
    """An enterprise's objection (异议) to its published result, with the land office's decision."""

    result = models.ForeignKey(
        EvaluationResult, verbose_name=_("评价结果"), on_delete=models.PROTECT, related_name="objections"
    )
    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("评价批次"), on_delete=models.PROTECT, related_name="objections"
    )
    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("异议内容"))
    status = models.CharField(
        _("处理状态"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision = models.TextField(_("处理意见"), blank=True)
    adjustments = models.JSONField(_("数据调整"), default=dict, blank=True)

    scope = Scope(territory="territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评价异议")
        verbose_name_plural = _("评价异议")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.run}"


class ObjectionEvidence(TimeStamped):
    """A file an enterprise attached to its objection (盖章说明, 完税证明 …), kept under the data dir."""

    objection = models.ForeignKey(
        Objection, verbose_name=_("异议"), on_delete=models.CASCADE, related_name="evidence"
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    stored_file = models.CharField(_("存储位置"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("文件摘要"), max_length=64)

    scope = Scope(territory="objection__territory", organisation="objection__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")
        ordering = ["objection", "id"]

    def __str__(self) -> str:
        return self.file_name


class BandPolicy(TimeStamped):
    """A differential measure (差别化政策) for the enterprises of one band, effective the year after the
    evaluation: applied by a department, e.g. 供电 电价加价 0.1 元/千瓦时 for D."""

    ruleset = models.ForeignKey(
        RuleSet,
        verbose_name=_("规则集"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
        help_text=_("留空时按适用地区匹配规则集"),
    )
    jurisdiction = models.CharField(
        _("适用地区"), max_length=100, blank=True, help_text=_("未选规则集时，与规则集的适用地区一致者适用")
    )
    band = models.CharField(_("等级"), max_length=8)
    department = models.CharField(_("执行部门"), max_length=16, choices=Department.choices)
    measure = models.CharField(_("措施类别"), max_length=24, choices=MeasureKind.choices)
    value = models.DecimalField(_("标准"), max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True, help_text=_("如 元/千瓦时、元/立方米"))
    description = models.TextField(_("措施内容"))
    legal_basis = models.CharField(_("政策依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("差别化政策")
        verbose_name_plural = _("差别化政策")
        ordering = ["band", "department", "measure"]

    def __str__(self) -> str:
        return f"{self.band} · {self.get_department_display()} · {self.get_measure_display()}"
