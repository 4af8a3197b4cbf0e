"""Forms of the S1 pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kunlu.indicators.models import INDICATOR_FIELDS, ExchangeRate, Indicator, Observation, Target


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [*INDICATOR_FIELDS, "allows_negative"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ObservationForm(forms.ModelForm[Observation]):
    """Record one value by hand; a changed value for the same key becomes a new version."""

    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)

    class Meta:
        model = Observation
        fields = ["indicator", "territory", "year", "month", "basis", "value", "source", "note"]


class MonitoringForm(forms.Form):
    """Which month to monitor, as the facts stood at which moment."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("截至月份"), min_value=1, max_value=12)
    as_of = forms.DateTimeField(
        label=_("数据截至时点"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("留空表示最新数据；填写则按当时已记录的版本计算"),
    )


class TargetForm(forms.ModelForm[Target]):
    """Set an annual target; a changed target for the same key becomes a new version."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    class Meta:
        model = Target
        fields = ["indicator", "territory", "year", "value", "note"]


class ExchangeRateForm(forms.ModelForm[ExchangeRate]):
    """A month's exchange rate, entered as 年 and 月."""

    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)

    class Meta:
        model = ExchangeRate
        fields = ["year", "month", "currency", "cny_per_unit", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("year", self.instance.period.year)
            self.initial.setdefault("month", self.instance.period.month)
