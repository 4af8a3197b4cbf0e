"""Forms of the S1 pages."""

from __future__ import annotations

from django import forms

from kunlu.indicators.models import Indicator


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "unit",
            "currency",
            "caliber",
            "source_department",
            "additivity",
            "numerator",
            "denominator",
            "parent",
            "reporting_basis",
            "frequency",
            "precision",
            "price_basis",
            "sort_order",
            "is_active",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
