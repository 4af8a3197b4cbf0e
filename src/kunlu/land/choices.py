"""The vocabularies of 标准地 and 数据得地, in the land office's words."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParcelStatus(models.TextChoices):
    RESERVE = "reserve", _("储备")
    LISTED = "listed", _("挂牌")
    SOLD = "sold", _("出让")
    BUILDING = "building", _("在建")
    PRODUCING = "producing", _("投产")
    IDLE = "idle", _("闲置")


TRANSITIONS: dict[str, frozenset[str]] = {
    ParcelStatus.RESERVE: frozenset({ParcelStatus.LISTED}),
    # 撤牌 back to reserve; 出让 only through the allocation decision.
    ParcelStatus.LISTED: frozenset({ParcelStatus.RESERVE, ParcelStatus.SOLD}),
    ParcelStatus.SOLD: frozenset({ParcelStatus.BUILDING, ParcelStatus.IDLE}),
    ParcelStatus.BUILDING: frozenset({ParcelStatus.PRODUCING, ParcelStatus.IDLE}),
    # An idle parcel either resumes construction or is recovered (收回) into the reserve.
    ParcelStatus.IDLE: frozenset({ParcelStatus.BUILDING, ParcelStatus.RESERVE}),
    ParcelStatus.PRODUCING: frozenset(),
}
"""The status changes the land office may make; everything else is refused."""

AWARDED = (ParcelStatus.SOLD, ParcelStatus.BUILDING, ParcelStatus.PRODUCING, ParcelStatus.IDLE)
"""A parcel in one of these has a holder (受让人) and the holder's commitments."""


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业")
    RD = "rd", _("研发")
    WAREHOUSE = "warehouse", _("仓储")
    LOGISTICS = "logistics", _("物流")
    OTHER = "other", _("其他")


class Direction(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"


class Stage(models.TextChoices):
    COMPLETION = "completion", _("竣工")
    PRODUCTION = "production", _("达产")


class ApplicationField(models.TextChoices):
    """A figure an applicant declares (or one derived from it per mu of the parcel)."""

    TAX_PER_MU = "tax_per_mu", _("预计亩均税收")
    INVESTMENT_INTENSITY = "investment_intensity", _("投资强度")
    OUTPUT_PER_MU = "output_per_mu", _("预计亩均产值")
    RD_INTENSITY = "rd_intensity", _("研发经费占营收比")


class SourceField(models.TextChoices):
    """What a scorecard criterion scores."""

    TAX_PER_MU = "tax_per_mu", _("预计亩均税收")
    INVESTMENT_INTENSITY = "investment_intensity", _("投资强度")
    OUTPUT_PER_MU = "output_per_mu", _("预计亩均产值")
    RD_INTENSITY = "rd_intensity", _("研发经费占营收比")
    CHAIN_FIT = "chain_fit", _("产业链契合度")
    EXISTING_BAND = "existing_band", _("现有亩均评价等级")


CATEGORICAL_SOURCES = (SourceField.CHAIN_FIT, SourceField.EXISTING_BAND)


class Method(models.TextChoices):
    LINEAR = "linear", _("线性插值（下限至目标值）")
    BANDED = "banded", _("分档计分")
    CATEGORICAL = "categorical", _("按类别计分")


class ChainFit(models.TextChoices):
    CORE = "core", _("链主或核心环节")
    SUPPORT = "support", _("配套环节")
    NONE = "none", _("不在主导产业链上")


class Band(models.TextChoices):
    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")
    D = "D", _("D类")
    NONE = "none", _("未参评（新设企业）")


class RemedyKind(models.TextChoices):
    RECTIFY = "rectify", _("限期整改")
    PENALTY = "penalty", _("违约金")
    BUYBACK = "buyback", _("回购/收回")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已完成")
    WAIVED = "waived", _("已免除")


CLOSED = (ActionStatus.DONE, ActionStatus.WAIVED)


class MeasuredSource(models.TextChoices):
    """Where a review's measured value came from: the holder's reported data, or typed by the reviewer."""

    REPORTED = "reported", _("企业申报数据")
    TYPED = "typed", _("核验人填写")
