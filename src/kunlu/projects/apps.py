from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FULL = ("view", "add", "change", "delete")


def _perms(models: tuple[str, ...], actions: tuple[str, ...] = FULL) -> list[str]:
    return [f"projects.{action}_{model}" for model in models for action in actions]


class ProjectsConfig(AppConfig):
    name = "kunlu.projects"
    label = "projects"
    verbose_name = _("重大项目与招商")

    def ready(self) -> None:
        from kunlu.accounts import roles

        catalogues = ("projecttier", "projectcategory", "sizebandscheme", "alertruleset", "alertrule")
        promotion = ("lead", "leadfollowup", "signingevent")
        projects = ("project", "projectlisting", "projectstage", "investmentplan", "investmentplanmonth")
        facts = ("investmentactual", "projectchange", "alertrun", "alert")
        everything = catalogues + promotion + projects + facts
        roles.extend(
            "project_office",
            [
                *_perms(catalogues + promotion + facts, ("view",)),
                *_perms(projects),
                "projects.add_investmentactual",
                "projects.report_investment",
                "projects.add_alertrun",
                "projects.acknowledge_alert",
                "core.add_importbatch",
                "core.view_importbatch",
            ],
        )
        roles.extend(
            "investment",
            [
                *_perms(catalogues + projects + facts, ("view",)),
                *_perms(promotion),
                "projects.add_project",
                "projects.change_project",
                "projects.add_projectstage",
                "projects.change_projectstage",
            ],
        )
        roles.extend("leader", _perms(everything, ("view",)))
        roles.extend("analyst", _perms(everything, ("view",)))
        roles.extend(
            "enterprise",
            [
                *_perms(("project", "projectstage", "investmentplan", "investmentplanmonth"), ("view",)),
                *_perms(("investmentactual", "projectchange", "alert"), ("view",)),
                "projects.add_investmentactual",
                "projects.report_investment",
            ],
        )
