from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kunlu.core"
    label = "core"
    verbose_name = _("平台底座")

    def ready(self) -> None:
        from kunlu.core import checks, exporting  # noqa: F401  (registers system checks and job kinds)
        from kunlu.core.imports import datasets
        from kunlu.core.imports import services as import_services  # noqa: F401  (job kind core.import)

        datasets.autodiscover()  # each app's imports.py declares its datasets
