"""Choices of S2: lead stages and sources, project stages and types, investment sources, alert kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    """The currency an amount was agreed in; amounts in different currencies are never summed."""

    CNY = "CNY", _("人民币")
    USD = "USD", _("美元")


class LeadStage(models.TextChoices):
    LEAD = "lead", _("线索")
    CONTACT = "contact", _("接洽")
    VISIT = "visit", _("考察")
    NEGOTIATION = "negotiation", _("谈判")
    SIGNED = "signed", _("签约")
    TERMINATED = "terminated", _("终止")


# The pipeline in order; 终止 leaves it from any stage before 签约.
PIPELINE = [LeadStage.LEAD, LeadStage.CONTACT, LeadStage.VISIT, LeadStage.NEGOTIATION, LeadStage.SIGNED]
OPEN_STAGES = PIPELINE[:-1]


class LeadSource(models.TextChoices):
    EXPO = "expo", _("招商大会")
    OVERSEAS = "overseas", _("驻外招商")
    REFERRAL = "referral", _("以商引商")
    AGENCY = "agency", _("中介招商")
    ONLINE = "online", _("网络招商")
    VISIT = "visit", _("上门洽谈")
    OTHER = "other", _("其他")


class Stage(models.TextChoices):
    """The stages a signed project passes through, in order (domain.md §4.3)."""

    REGISTERED = "registered", _("注册")
    LAND = "land", _("供地")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    FULL = "full", _("达产")


STAGES = list(Stage)


class ProjectType(models.TextChoices):
    NEW = "new", _("新建")
    EXPANSION = "expansion", _("扩建")
    CAPITAL_INCREASE = "capital_increase", _("增资")
    RELOCATION = "relocation", _("搬迁")


class ProjectStatus(models.TextChoices):
    RESERVE = "reserve", _("储备")
    ACTIVE = "active", _("实施")
    TERMINATED = "terminated", _("终止")


class ConstructionKind(models.TextChoices):
    NEW_START = "new_start", _("新开工")
    CONTINUING = "continuing", _("续建")


class TierLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（市）级")
    ZONE = "zone", _("区级")


class ActualSource(models.TextChoices):
    OWNER = "owner", _("项目单位填报")
    STAFF = "staff", _("工作人员录入")
    IMPORT = "import", _("批量导入")


class AlertKind(models.TextChoices):
    STAGE_LATE = "stage_late", _("节点滞后")
    INVESTMENT_GAP = "investment_gap", _("投资落后序时进度")
    INVESTMENT_RATIO = "investment_ratio", _("投资完成率低于序时进度的比例")
    MISSING_REPORT = "missing_report", _("月度投资缺报")


# Kinds where a smaller measure is worse (the red threshold lies below the yellow one).
LOWER_IS_WORSE = {AlertKind.INVESTMENT_RATIO}


class LatenessUnit(models.TextChoices):
    DAYS = "days", _("天")
    MONTHS = "months", _("个月")


class AlertLevel(models.TextChoices):
    YELLOW = "yellow", _("黄色")
    RED = "red", _("红色")
