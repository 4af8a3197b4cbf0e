from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "kunlu.land"
    label = "land"
    verbose_name = _("标准地与数据得地")
