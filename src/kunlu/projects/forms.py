"""Forms of S2: the declared records, and the actions on a lead, a project's stages, plan and actuals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kunlu.projects.alerts import rule_check
from kunlu.projects.choices import OPEN_STAGES, STAGES, Currency
from kunlu.projects.models import (
    AlertRule,
    AlertRuleSet,
    InvestmentPlan,
    Lead,
    Project,
    ProjectCategory,
    ProjectListing,
    ProjectTier,
    SigningEvent,
    SizeBandScheme,
)

DATE = forms.DateInput(attrs={"type": "date"})


class LeadForm(forms.ModelForm[Lead]):
    class Meta:
        model = Lead
        fields = [
            "territory",
            "name",
            "investor",
            "origin",
            "is_foreign",
            "industry",
            "chain",
            "estimated_investment",
            "currency",
            "source",
            "owner",
            "next_action",
            "next_action_on",
            "note",
        ]
        widgets = {"next_action_on": DATE}


class FollowUpForm(forms.Form):
    happened_on = forms.DateField(label=_("跟进日期"), widget=DATE)
    content = forms.CharField(label=_("跟进情况"), widget=forms.Textarea(attrs={"rows": 3}))
    stage = forms.ChoiceField(label=_("跟进后阶段"), choices=[(s.value, s.label) for s in OPEN_STAGES])
    next_action = forms.CharField(label=_("下一步工作"), max_length=300, required=False)
    next_action_on = forms.DateField(label=_("下次跟进日期"), widget=DATE, required=False)


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("终止原因"), max_length=300)


class SignForm(forms.Form):
    signing_event = forms.ModelChoiceField(
        label=_("签约活动"), queryset=SigningEvent.objects.all(), required=False
    )
    signed_on = forms.DateField(label=_("签约日期"), widget=DATE, required=False)
    total_investment = forms.DecimalField(label=_("计划总投资（万）"), min_value=Decimal(0), decimal_places=2)
    category = forms.ModelChoiceField(
        label=_("项目类别"), queryset=ProjectCategory.objects.all(), required=False
    )


class SigningEventForm(forms.ModelForm[SigningEvent]):
    class Meta:
        model = SigningEvent
        fields = ["territory", "name", "held_on", "location", "note"]
        widgets = {"held_on": DATE}


class ProjectForm(forms.ModelForm[Project]):
    change_reason = forms.CharField(
        label=_("变更原因"),
        max_length=500,
        required=False,
        help_text=_("修改名称、建设内容、总投资、币种、状态、地区或项目单位时必填"),
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "territory",
            "enterprise",
            "investor",
            "lead",
            "signing_event",
            "signed_on",
            "first_phase",
            "project_type",
            "category",
            "status",
            "total_investment",
            "currency",
            "is_foreign",
            "origin",
            "registered_fdi",
            "paid_in_fdi",
            "industry",
            "chain",
            "content",
            "owner",
            "change_reason",
        ]
        widgets = {"signed_on": DATE}


class ProjectListingForm(forms.ModelForm[ProjectListing]):
    class Meta:
        model = ProjectListing
        fields = ["project", "tier", "year", "construction", "responsible_unit"]


class InvestmentPlanForm(forms.ModelForm[InvestmentPlan]):
    class Meta:
        model = InvestmentPlan
        fields = ["project", "year", "amount", "note"]
        help_texts = {"note": _("修改计划金额时须在此说明变更原因")}


class StageForm(forms.Form):
    """A stage's dates: an empty date leaves the stored one as it is; clearing one is said explicitly."""

    stage = forms.ChoiceField(label=_("节点"), choices=[(s.value, s.label) for s in STAGES])
    planned_on = forms.DateField(label=_("计划日期"), widget=DATE, required=False)
    clear_planned = forms.BooleanField(label=_("清除计划日期"), required=False)
    actual_on = forms.DateField(label=_("实际日期"), widget=DATE, required=False)
    clear_actual = forms.BooleanField(label=_("清除实际日期"), required=False)
    reason = forms.CharField(label=_("变更原因"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates: dict[str, Any] = {}
        for name, clear in (("planned_on", "clear_planned"), ("actual_on", "clear_actual")):
            if data.get(clear):
                dates[name] = None
            elif data.get(name) is not None:
                dates[name] = data[name]
        if not dates and not self.errors:
            raise ValidationError(_("请填写计划日期或实际日期"), code="dates_required")
        data["dates"] = dates
        return data


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("年度计划投资（万）"), min_value=Decimal(0), decimal_places=2)
    months = forms.CharField(
        label=_("分月累计计划（万）"),
        required=False,
        help_text=_("可选，如“3:5000, 6:12000, 9:20000, 12:30000”表示截至各月末的累计计划"),
    )
    reason = forms.CharField(label=_("变更原因"), max_length=500, required=False)

    def clean_months(self) -> dict[int, Decimal]:
        text = self.cleaned_data.get("months", "").replace("，", ",").replace("：", ":")
        months: dict[int, Decimal] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            try:
                month, value = part.split(":")
                months[int(month)] = Decimal(value.strip())
            except (ValueError, ArithmeticError) as exc:
                raise ValidationError(
                    _("“%(part)s”格式不正确，应为“月份:累计金额”") % {"part": part}, code="months_format"
                ) from exc
        return months


class ActualForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    cumulative = forms.DecimalField(label=_("1–M月累计完成投资（万）"), required=False, decimal_places=2)
    monthly = forms.DecimalField(label=_("当月完成投资（万）"), required=False, decimal_places=2)
    currency = forms.ChoiceField(label=_("币种"), choices=Currency.choices)
    note = forms.CharField(label=_("情况说明"), max_length=300, required=False)


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ProjectTierForm(forms.ModelForm[ProjectTier]):
    class Meta:
        model = ProjectTier
        fields = ["code", "name", "level", "sort_order", "is_active"]


class ProjectCategoryForm(forms.ModelForm[ProjectCategory]):
    class Meta:
        model = ProjectCategory
        fields = ["code", "name", "sort_order"]


class SizeBandSchemeForm(forms.ModelForm[SizeBandScheme]):
    class Meta:
        model = SizeBandScheme
        fields = ["code", "name", "currency", "thresholds", "sort_order"]


class AlertRuleSetForm(forms.ModelForm[AlertRuleSet]):
    class Meta:
        model = AlertRuleSet
        fields = ["code", "name", "source", "description", "is_active"]


class AlertRuleForm(forms.ModelForm[AlertRule]):
    class Meta:
        model = AlertRule
        fields = [
            "rule_set",
            "kind",
            "stage",
            "unit",
            "yellow_at",
            "yellow_strict",
            "red_at",
            "red_strict",
            "description",
            "sort_order",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            candidate = AlertRule(**{k: v for k, v in data.items() if k in self.Meta.fields})
            rule_check(candidate)
        return data
