"""Forms of enterprise direct reporting: the declared records, the monthly form and the review."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kunlu.core.models import Period
from kunlu.core.services import period_for
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReviewRule,
)
from kunlu.reporting.selectors import Month
from kunlu.reporting.services import EXPLANATION_MAX_LENGTH, LineInput


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month typed as 2025-09 (the browser's month picker), stored as the Period of that month."""

    widget = MonthInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", "2025-09")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Period):
            return value.code
        if isinstance(value, int):
            period = Period.objects.filter(pk=value).first()
            return period.code if period is not None else ""
        return value

    def to_python(self, value: Any) -> Period | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Period):
            return value
        month = Month.parse(str(value))
        return period_for(month.year, month.month)


class ReportingCategoryForm(forms.ModelForm[ReportingCategory]):
    class Meta:
        model = ReportingCategory
        fields = ["code", "name", "description", "deadline_workday", "sort_order", "is_active"]


class CategoryIndicatorForm(forms.ModelForm[CategoryIndicator]):
    class Meta:
        model = CategoryIndicator
        fields = ["category", "indicator", "required", "order"]


class CategoryMembershipForm(forms.ModelForm[CategoryMembership]):
    valid_from = MonthField(label=_("起始月份"))
    valid_to = MonthField(label=_("终止月份"), required=False, help_text=_("留空表示持续有效"))

    class Meta:
        model = CategoryMembership
        fields = ["enterprise", "category", "valid_from", "valid_to", "note"]


class ReportingDeadlineForm(forms.ModelForm[ReportingDeadline]):
    period = MonthField(
        label=_("报告期"), help_text=_("该月报表的截止日期，如 2026-12 的报表于 2027 年 1 月截止")
    )

    class Meta:
        model = ReportingDeadline
        fields = ["period", "category", "due_on", "note"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ReviewRuleForm(forms.ModelForm[ReviewRule]):
    class Meta:
        model = ReviewRule
        fields = [
            "category",
            "indicator",
            "kind",
            "severity",
            "min_value",
            "max_value",
            "threshold_pct",
            "operator",
            "right_indicator",
            "factor",
            "message",
            "is_active",
            "sort_order",
        ]


class ReportValueField(forms.DecimalField):
    """A reported value: thousands separators and spaces are allowed, up to four decimals."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").replace(" ", "")
        return super().to_python(value)


def _shown(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


class ReportEntryForm(forms.Form):
    """The monthly form of one category: a value and an explanation per indicator (v_<code>, e_<code>)."""

    def __init__(
        self, *args: Any, form_lines: Sequence[CategoryIndicator], report: MonthlyReport | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        lines = {line.indicator_id: line for line in report.lines.all()} if report is not None else {}
        self.codes = []
        for form_line in form_lines:
            line = lines.get(form_line.indicator_id)
            code = form_line.indicator.code
            self.codes.append(code)
            self.fields[f"v_{code}"] = ReportValueField(
                label=form_line.indicator.name,
                required=False,
                max_digits=20,
                decimal_places=4,
                initial=_shown(line.value) if line else "",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "form-control form-control-sm text-end"}
                ),
            )
            self.fields[f"e_{code}"] = forms.CharField(
                label=_("情况说明"),
                required=False,
                max_length=EXPLANATION_MAX_LENGTH,
                initial=line.explanation if line else "",
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )

    def line_inputs(self) -> dict[str, LineInput]:
        """What was entered, by indicator code, for `report_save_draft`."""
        data = self.cleaned_data
        return {code: LineInput(data.get(f"v_{code}"), data.get(f"e_{code}") or "") for code in self.codes}


class ReviewForm(forms.Form):
    """The reviewer's decision: accept, or return with a comment."""

    action = forms.ChoiceField(
        choices=[("accept", _("受理")), ("return", _("退回"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
