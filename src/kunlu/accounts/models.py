"""Organisations, users and roles granted on territory subtrees."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, Permission, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.core.models import Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedQuerySet


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("政府部门")
    ENTERPRISE = "enterprise", _("企业")
    SOLVER = "solver", _("揭榜方（高校/院所/团队）")
    EXPERT_POOL = "expert_pool", _("专家库")


class Organisation(TimeStamped):
    """A body whose people use Kunlu: a bureau or department, an enterprise, a solver, an expert pool."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=OrganisationKind.choices)
    territory = models.ForeignKey(Territory, verbose_name=_("所属地区"), on_delete=models.PROTECT)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_demo = models.BooleanField(_("示例数据"), default=False)

    scope = Scope(territory="territory", organisation="pk")
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["territory__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="organisation_unique_uscc"
            ),
            models.UniqueConstraint(fields=["territory", "kind", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class KunluUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Django's user manager with `restrict`."""


class User(AbstractUser):
    """A person who logs in, member of one organisation (none for the system administrator)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("手机"), max_length=30, blank=True)

    scope = Scope(territory="organisation__territory", organisation="organisation")
    objects: ClassVar[KunluUserManager] = KunluUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(TimeStamped):
    """A named set of permissions (e.g. 经发局分析员), granted to users on territory subtrees."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("权限"), blank=True)
    organisation_only = models.BooleanField(
        _("仅限本机构数据"), default=False, help_text=_("企业、揭榜方等外部用户只能看到本机构的数据")
    )

    scope = Scope()
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[permissions])

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RoleGrant(TimeStamped):
    """A role given to a user on a territory and everything beneath it."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name=_("角色"), on_delete=models.PROTECT, related_name="grants")
    territory = models.ForeignKey(Territory, verbose_name=_("地区范围"), on_delete=models.PROTECT)

    scope = Scope(territory="territory", organisation="user__organisation")
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "territory"], name="rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.territory}"
