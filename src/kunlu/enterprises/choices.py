"""Choices of the enterprise registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryLevel(models.TextChoices):
    """The four levels of GB/T 4754-2017, from the broadest."""

    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")


class SpecialisedLevel(models.TextChoices):
    """专精特新 recognition: none, provincial, or the national 小巨人 list."""

    NONE = "none", _("无")
    PROVINCIAL = "provincial", _("省专精特新")
    LITTLE_GIANT = "little_giant", _("国家专精特新“小巨人”")


class CapitalCurrency(models.TextChoices):
    """The currency of the registered capital (万元 or 万美元; never summed together)."""

    CNY = "CNY", _("人民币")
    USD = "USD", _("美元")
