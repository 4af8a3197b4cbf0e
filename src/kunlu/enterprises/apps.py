from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "kunlu.enterprises"
    label = "enterprises"
    verbose_name = _("企业库")

    def ready(self) -> None:
        from kunlu.accounts import roles

        view = [
            "enterprises.view_enterpriseprofile",
            "enterprises.view_enterprisename",
            "enterprises.view_industry",
        ]
        keep = ["enterprises.add_enterpriseprofile", "enterprises.change_enterpriseprofile"]
        # Bureaus that keep the registry may also load it from Excel (企业名录).
        imports = ["core.add_importbatch", "core.view_importbatch"]
        roles.extend("analyst", [*view, *keep])
        roles.extend("investment", [*view, *keep, *imports])
        roles.extend("land_office", [*view, *keep, *imports])
        roles.extend("project_office", view)
        roles.extend("leader", view)
        # An enterprise sees its own record and names. Its particulars (规上, 高企, 专精特新, land) are
        # determinations of the bureaus, so it does not edit them here; see docs/enterprises.md.
        roles.extend("enterprise", ["enterprises.view_enterpriseprofile", "enterprises.view_enterprisename"])
