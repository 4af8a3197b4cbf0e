from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS = [
    "ruleset",
    "rulesetversion",
    "enterprisefigure",
    "evaluationrun",
    "evaluationresult",
    "objection",
    "objectionevidence",
    "bandpolicy",
]


class EvaluationConfig(AppConfig):
    name = "kunlu.evaluation"
    label = "evaluation"
    verbose_name = _("亩均效益评价")

    def ready(self) -> None:
        from kunlu.accounts import roles
        from kunlu.evaluation import services  # noqa: F401  (registers the "evaluation.run" job)

        roles.extend(
            "land_office",
            [f"evaluation.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")],
        )
        for role in ("analyst", "leader"):
            roles.extend(role, [f"evaluation.view_{m}" for m in MODELS])
        # An enterprise sees its own figures and (once published) its own result, and files objections.
        roles.extend(
            "enterprise",
            [
                "evaluation.view_enterprisefigure",
                "evaluation.view_evaluationresult",
                "evaluation.view_objection",
                "evaluation.add_objection",
                "evaluation.view_objectionevidence",
            ],
        )
