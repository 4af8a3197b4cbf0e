"""The vocabularies of enterprise direct reporting (企业直报), in the statistics bureau's words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送待审核")
    ACCEPTED = "accepted", _("已受理")
    RETURNED = "returned", _("已退回")


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
"""An enterprise may change its report only before it is submitted, or after it was returned."""

HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
"""A report in one of these counts as reported (已报) in the lists of missing reports."""


class RuleKind(models.TextChoices):
    REQUIRED = "required", _("必填")
    RANGE = "range", _("取值范围")
    MOM_JUMP = "mom_jump", _("环比变动")
    YOY_JUMP = "yoy_jump", _("同比变动")
    CROSS = "cross", _("指标间关系")


class Severity(models.TextChoices):
    BLOCK = "block", _("阻止报送")
    EXPLAIN = "explain", _("须填写说明")


class Operator(models.TextChoices):
    LTE = "lte", "≤"
    LT = "lt", "<"
    GTE = "gte", "≥"
    GT = "gt", ">"
    EQ = "eq", "="
