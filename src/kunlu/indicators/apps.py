from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kunlu.indicators"
    label = "indicators"
    verbose_name = _("经济运行监测")

    def ready(self) -> None:
        from kunlu.accounts import roles

        catalogue = ["indicators.view_indicator", "indicators.view_observation", "indicators.view_target"]
        roles.extend(
            "analyst",
            [
                *catalogue,
                "indicators.add_indicator",
                "indicators.change_indicator",
                "indicators.add_observation",
                "indicators.view_unitobservation",
                "indicators.add_unitobservation",
                "indicators.add_target",
                "indicators.view_exchangerate",
                "indicators.add_exchangerate",
                "indicators.change_exchangerate",
                "indicators.delete_exchangerate",
            ],
        )
        for role in ("leader", "project_office", "investment", "science", "land_office"):
            roles.extend(role, catalogue)
        roles.extend("enterprise", ["indicators.view_indicator", "indicators.view_unitobservation"])
