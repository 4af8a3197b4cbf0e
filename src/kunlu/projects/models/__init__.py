"""S2 models: investment promotion (leads, signings), projects and their stages, investment plans and
actuals, and alerts."""

from kunlu.projects.models.alerts import Alert, AlertRule, AlertRuleSet, AlertRun
from kunlu.projects.models.investment import InvestmentActual, InvestmentPlan, InvestmentPlanMonth
from kunlu.projects.models.leads import Lead, LeadFollowUp, SigningEvent, SizeBandScheme
from kunlu.projects.models.projects import (
    Project,
    ProjectCategory,
    ProjectChange,
    ProjectListing,
    ProjectStage,
    ProjectTier,
)

__all__ = [
    "Alert",
    "AlertRule",
    "AlertRuleSet",
    "AlertRun",
    "InvestmentActual",
    "InvestmentPlan",
    "InvestmentPlanMonth",
    "Lead",
    "LeadFollowUp",
    "Project",
    "ProjectCategory",
    "ProjectChange",
    "ProjectListing",
    "ProjectStage",
    "ProjectTier",
    "SigningEvent",
    "SizeBandScheme",
]
