from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "kunlu.reporting"
    label = "reporting"
    verbose_name = _("企业直报")

    def ready(self) -> None:
        from kunlu.accounts import roles

        catalogue = [
            "reporting.view_reportingcategory",
            "reporting.view_categoryindicator",
            "reporting.view_reviewrule",
            "reporting.view_reportingdeadline",
        ]
        reports = ["reporting.view_monthlyreport", "reporting.view_reportline"]
        roles.extend(
            "enterprise",
            [
                *reports,
                "reporting.add_monthlyreport",
                "reporting.change_monthlyreport",
                "reporting.view_categorymembership",
            ],
        )
        roles.extend(
            "analyst",
            [
                *catalogue,
                *reports,
                "reporting.review_monthlyreport",
                "reporting.view_categorymembership",
                *(
                    f"reporting.{action}_{model}"
                    for model in (
                        "reportingcategory",
                        "categoryindicator",
                        "categorymembership",
                        "reviewrule",
                        "reportingdeadline",
                    )
                    for action in ("add", "change", "delete")
                ),
            ],
        )
        roles.extend("leader", [*catalogue, *reports, "reporting.view_categorymembership"])
