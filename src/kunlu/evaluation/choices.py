"""Choices of 亩均效益评价: the run's steps, objections, and the departments and measures of policies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    """The steps of an evaluation run (domain.md §1.8): computed, publicised, objections reviewed, final."""

    DRAFT = "draft", _("草稿")
    PUBLICITY = "publicity", _("公示")
    REVIEW = "review", _("异议处理")
    FINAL = "final", _("终审（已锁定）")


# Enterprises see their own result from publication on.
PUBLISHED = (RunStatus.PUBLICITY, RunStatus.REVIEW, RunStatus.FINAL)
# Objections may still be decided (and figures adjusted) until the run is final.
OPEN = (RunStatus.DRAFT, RunStatus.PUBLICITY, RunStatus.REVIEW)


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("不予采纳")


class Department(models.TextChoices):
    """The department that applies a differential measure."""

    POWER = "power", _("供电")
    WATER = "water", _("供水")
    GAS = "gas", _("供气")
    LAND = "land", _("自然资源")
    FINANCE = "finance", _("财政")
    ENVIRONMENT = "environment", _("生态环境")
    TAX = "tax", _("税务")
    INDUSTRY = "industry", _("工业和信息化")
    FINANCIAL = "financial", _("金融监管")
    OTHER = "other", _("其他")


class MeasureKind(models.TextChoices):
    """What a differential measure does (domain.md §1.7)."""

    POWER_SURCHARGE = "power_surcharge", _("电价加价")
    WATER_SURCHARGE = "water_surcharge", _("水价加价")
    SEWAGE_SURCHARGE = "sewage_surcharge", _("污水处理费加价")
    GAS_SURCHARGE = "gas_surcharge", _("气价加价")
    LAND = "land", _("用地")
    SUBSIDY = "subsidy", _("奖补资格")
    LAND_TAX = "land_tax", _("城镇土地使用税")
    EMISSION_QUOTA = "emission_quota", _("排污权与用能指标")
    CREDIT = "credit", _("信贷支持")
    OTHER = "other", _("其他")
