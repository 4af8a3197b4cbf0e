"""The vocabularies of the indicator catalogue, in the statistics bureau's words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    WAN_YUAN = "万元", _("万元")
    YI_YUAN = "亿元", _("亿元")
    WAN_USD = "万美元", _("万美元")
    YI_USD = "亿美元", _("亿美元")
    PERSON = "人", _("人")
    WAN_KWH = "万千瓦时", _("万千瓦时")
    MU = "亩", _("亩")
    PERCENT = "%", _("%")
    COUNT = "个", _("个")
    FIRMS = "家", _("家")
    TCE = "吨标准煤", _("吨标准煤")


class Currency(models.TextChoices):
    NONE = "", _("非货币")
    CNY = "CNY", _("人民币")
    USD = "USD", _("美元")


class Caliber(models.TextChoices):
    ABOVE_SIZE = "above_size", _("规上")
    ABOVE_QUOTA = "above_quota", _("限上")
    ALL = "all", _("全口径")


class Additivity(models.TextChoices):
    SUM = "sum", _("可加总")
    RATIO = "ratio", _("两指标之比")
    NONE = "none", _("不可加总")


class Basis(models.TextChoices):
    MONTH = "month", _("当月")
    YTD = "ytd", _("1–N月累计")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    ANNUAL = "annual", _("年度")


class PriceBasis(models.TextChoices):
    NOMINAL = "nominal", _("现价（名义）")
    REAL = "real", _("可比价（实际）")
