"""Core models: the territory × period spine, audit events, import batches and background jobs."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.core.permissions import Scope, ScopedManager


class TimeStamped(models.Model):
    """Creation and last-change moments, on every domain model."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TerritoryKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市（县级市）")
    ZONE = "zone", _("开发区/高新区")
    PARK = "park", _("园区")
    TOWN = "town", _("镇/街道")
    PEER_CITY = "peer_city", _("对标城市")
    PEER_ZONE = "peer_zone", _("对标园区")


class Territory(TimeStamped):
    """A place the platform reports on: city, zone, park or town, or a peer it compares with."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=TerritoryKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, editable=False, db_index=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    scope = Scope(territory="")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Period(models.Model):
    """A calendar month, the unit of all monitoring (YYYY-MM)."""

    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))

    class Meta:
        verbose_name = _("期间")
        verbose_name_plural = _("期间")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="period_unique_month"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="period_month_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


class AuditEvent(models.Model):
    """An explicit, dotted event recorded by a service: who did what to which object, when, with what."""

    event = models.CharField(_("事件"), max_length=100, db_index=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    scope = Scope()
    objects = ScopedManager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} {self.object_repr}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    INVALID = "invalid", _("有错误")
    COMMITTING = "committing", _("导入中")
    COMMITTED = "committed", _("已导入")
    FAILED = "failed", _("失败")
    DUPLICATE = "duplicate", _("重复文件")


class ImportBatch(TimeStamped):
    """One uploaded file for one dataset: its checks, its outcome and the rows it wrote (lineage)."""

    dataset = models.CharField(_("数据集"), max_length=64, db_index=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(_("文件摘要"), max_length=64, db_index=True)
    stored_file = models.CharField(_("存储位置"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("汇总"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT
    )
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    scope = Scope(territory="territory", owner="created_by")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class ImportRecord(models.Model):
    """Lineage: which row of which batch created or changed which object."""

    class Action(models.TextChoices):
        CREATED = "created", _("新增")
        UPDATED = "updated", _("更新")
        UNCHANGED = "unchanged", _("未变")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    row_number = models.PositiveIntegerField(_("行号"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)

    class Meta:
        ordering = ["batch", "row_number"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.action}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class Job(TimeStamped):
    """Heavy work done in the background, with its progress, log and result for the page that started it."""

    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    log = models.TextField(_("日志"), blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope = Scope(owner="created_by")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
