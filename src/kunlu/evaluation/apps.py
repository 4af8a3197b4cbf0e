from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "kunlu.evaluation"
    label = "evaluation"
    verbose_name = _("亩均效益评价")
