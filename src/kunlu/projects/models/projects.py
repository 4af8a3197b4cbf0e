"""Projects (项目): a signed investment followed through its stages, its phases, the lists it is on, and the
log of every change of scope, investment or dates with its reason."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.models import Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.enterprises.choices import IndustryLevel
from kunlu.enterprises.models import Industry
from kunlu.projects.choices import (
    ConstructionKind,
    Currency,
    ProjectStatus,
    ProjectType,
    Stage,
    TierLevel,
)
from kunlu.projects.models.leads import Lead, SigningEvent


class ProjectTier(TimeStamped):
    """A list a project can be on (省重大项目, 苏州市重点项目, 昆山市重大项目 …); reports are per list."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=TierLevel.choices)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目层级")
        verbose_name_plural = _("项目层级")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ProjectCategory(TimeStamped):
    """A category of projects (产业类, 基础设施和民生类 …)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目类别")
        verbose_name_plural = _("项目类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Project(TimeStamped):
    """An investment project (投资项目) from signing to full production. Later phases (二期, 增资) point to
    the first phase, so one enterprise's investment reads as one timeline."""

    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    territory = models.ForeignKey(Territory, verbose_name=_("所属地区"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("项目单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"kind": OrganisationKind.ENTERPRISE},
        help_text=_("企业注册后关联；签约时可暂空"),
    )
    investor = models.CharField(_("投资方"), max_length=200, blank=True)
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("招商线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    signing_event = models.ForeignKey(
        SigningEvent,
        verbose_name=_("签约活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, db_index=True)
    first_phase = models.ForeignKey(
        "self",
        verbose_name=_("一期项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_phases",
        help_text=_("二期、三期或增资项目填写其一期项目"),
    )
    phase_no = models.PositiveSmallIntegerField(_("期次"), default=1)
    project_type = models.CharField(
        _("建设性质"), max_length=20, choices=ProjectType.choices, default=ProjectType.NEW
    )
    category = models.ForeignKey(
        ProjectCategory, verbose_name=_("项目类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE, db_index=True
    )
    total_investment = models.DecimalField(
        _("计划总投资（万）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("币种"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    is_foreign = models.BooleanField(_("外资"), default=False)
    origin = models.CharField(_("投资方国别/地区"), max_length=50, default="中国")
    registered_fdi = models.DecimalField(
        _("注册外资（万美元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_in_fdi = models.DecimalField(
        _("实际使用外资（万美元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
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
    chain = models.CharField(_("所属产业链"), max_length=100, blank=True)
    content = models.TextField(_("建设内容"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_demo = models.BooleanField(_("示例数据"), default=False)

    scope = Scope(territory="territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["code"]
        permissions = [("report_investment", _("填报项目月度投资"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_phase__isnull=True, phase_no=1)
                | models.Q(first_phase__isnull=False, phase_no__gt=1),
                name="project_phase_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def timeline_root(self) -> Project:
        return self.first_phase or self


class ProjectListing(TimeStamped):
    """A project's place on a tier's list for a year (新开工 or 续建), with the unit answerable for it."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="listings"
    )
    tier = models.ForeignKey(
        ProjectTier, verbose_name=_("项目层级"), on_delete=models.PROTECT, related_name="listings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    construction = models.CharField(
        _("建设类型"), max_length=16, choices=ConstructionKind.choices, default=ConstructionKind.NEW_START
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)

    scope = Scope(territory="project__territory", organisation="project__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("列入清单")
        verbose_name_plural = _("列入清单")
        ordering = ["-year", "tier", "project"]
        constraints = [
            models.UniqueConstraint(fields=["project", "tier", "year"], name="projectlisting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.tier} · {self.project}"


class ProjectStage(TimeStamped):
    """One stage of a project (注册 … 达产): its planned and its actual date."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("节点"), max_length=16, choices=Stage.choices)
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    actual_on = models.DateField(_("实际日期"), null=True, blank=True)

    scope = Scope(territory="project__territory", organisation="project__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="projectstage_unique")]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_stage_display()}"


class ProjectChange(TimeStamped):
    """A change of a project's scope, investment, plan or dates: the old value, the new one and why."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="changes"
    )
    field = models.CharField(_("变更事项"), max_length=100)
    old_value = models.CharField(_("原值"), max_length=300, blank=True)
    new_value = models.CharField(_("新值"), max_length=300, blank=True)
    reason = models.CharField(_("变更原因"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("变更人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = Scope(territory="project__territory", organisation="project__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目变更")
        verbose_name_plural = _("项目变更记录")
        ordering = ["project", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.field}"
