from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CATALOGUE = ["indicatordefinition", "scorecard", "criterion", "remedyrule"]
RECORDS = [
    "parcel",
    "parcelindicator",
    "application",
    "allocation",
    "commitment",
    "review",
    "reviewresult",
    "remedyaction",
]


class LandConfig(AppConfig):
    name = "kunlu.land"
    label = "land"
    verbose_name = _("标准地与数据得地")

    def ready(self) -> None:
        from kunlu.accounts import roles

        view_all = [f"land.view_{m}" for m in (*CATALOGUE, *RECORDS)]
        roles.extend(
            "land_office",
            [f"land.{a}_{m}" for m in (*CATALOGUE, *RECORDS) for a in ("view", "add", "change", "delete")],
        )
        # 竣工/达产核验 measures 投资强度 from the project register's completed investment
        # (selectors.reported_values).
        roles.extend("land_office", ["projects.view_project", "projects.view_investmentactual"])
        for role in ("analyst", "leader", "investment"):
            roles.extend(role, view_all)
        # An enterprise sees its own parcels, applications, decision, commitments, reviews and remedies.
        roles.extend("enterprise", [f"land.view_{m}" for m in RECORDS])

        from kunlu.enterprises.selectors import register_land_source
        from kunlu.land.selectors import parcels_held

        register_land_source(parcels_held)
