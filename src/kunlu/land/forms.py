"""Forms of 标准地 and 数据得地: the declared records, the listing, the allocation decision, the review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kunlu.land.choices import ParcelStatus
from kunlu.land.models import (
    Application,
    Commitment,
    Criterion,
    IndicatorDefinition,
    Parcel,
    RemedyAction,
    RemedyRule,
    Scorecard,
)
from kunlu.land.selectors import Reported
from kunlu.land.services import APPLICATION_FIELDS, PARCEL_EDITABLE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParcelForm(forms.ModelForm[Parcel]):
    class Meta:
        model = Parcel
        fields = list(PARCEL_EDITABLE)

    def clean_area_mu(self) -> Decimal | None:
        area: Decimal | None = self.cleaned_data.get("area_mu")
        if area is not None and area <= 0:
            # The service says the same; saying it here puts it beside the field before the constraint speaks.
            raise forms.ValidationError(_("面积（亩）必须大于0"), code="area_not_positive")
        return area


class IndicatorDefinitionForm(forms.ModelForm[IndicatorDefinition]):
    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "name",
            "unit",
            "direction",
            "due_stage",
            "application_field",
            "required",
            "sort_order",
            "is_active",
        ]


class ScorecardForm(forms.ModelForm[Scorecard]):
    class Meta:
        model = Scorecard
        fields = ["code", "name", "description", "is_active"]


class CriterionForm(forms.ModelForm[Criterion]):
    class Meta:
        model = Criterion
        fields = ["scorecard", "order", "name", "source", "weight", "method", "floor", "target", "bands"]


class RemedyRuleForm(forms.ModelForm[RemedyRule]):
    class Meta:
        model = RemedyRule
        fields = [
            "name",
            "stage",
            "min_shortfall_pct",
            "max_shortfall_pct",
            "min_failures",
            "kind",
            "rectify_months",
            "penalty_rate",
            "sort_order",
            "is_active",
        ]


class ApplicationForm(forms.ModelForm[Application]):
    class Meta:
        model = Application
        fields = list(APPLICATION_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Applications are taken for listed parcels only (the service refuses others with a message).
        parcels = self.fields["parcel"]
        parcels.queryset = parcels.queryset.filter(status=ParcelStatus.LISTED)  # type: ignore[attr-defined]


class RemedyActionForm(forms.ModelForm[RemedyAction]):
    class Meta:
        model = RemedyAction
        fields = ["status", "status_note"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("变更为"), choices=ParcelStatus.choices)
    on = forms.DateField(
        label=_("日期"), required=False, widget=DATE, help_text=_("登记开工时为实际开工日期")
    )


class ListingForm(forms.Form):
    """The 标准地 listing: one value per control indicator, the scorecard and the listing day."""

    scorecard = forms.ModelChoiceField(
        label=_("数据得地评分表"), queryset=Scorecard.objects.none(), required=False
    )
    listed_on = forms.DateField(label=_("挂牌日期"), required=False, widget=DATE)

    def __init__(
        self,
        *args: Any,
        definitions: Sequence[IndicatorDefinition],
        values: dict[int, Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = list(definitions)
        self.fields["scorecard"].queryset = Scorecard.objects.filter(is_active=True)  # type: ignore[attr-defined]
        for d in self.definitions:
            label = f"{d.name}（{d.get_direction_display()} {d.unit}）"
            self.fields[d.code] = forms.DecimalField(
                label=label, required=False, max_digits=20, decimal_places=4, initial=values.get(d.pk)
            )

    def indicator_values(self) -> dict[IndicatorDefinition, Decimal | None]:
        return {d: self.cleaned_data.get(d.code) for d in self.definitions}


class AllocationForm(forms.Form):
    winner = forms.ModelChoiceField(label=_("中选申请"), queryset=Application.objects.none())
    reasons = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    price_wan = forms.DecimalField(
        label=_("出让价款（万元）"), required=False, max_digits=20, decimal_places=4
    )
    contract_date = forms.DateField(label=_("合同签订日期"), widget=DATE)
    agreed_start_date = forms.DateField(label=_("约定开工日期"), widget=DATE)
    agreed_completion_date = forms.DateField(label=_("约定竣工日期"), widget=DATE)
    agreed_production_date = forms.DateField(label=_("约定达产日期"), widget=DATE)

    def __init__(self, *args: Any, applications: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = applications  # type: ignore[attr-defined]
        self.fields["winner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"第{a.rank or '—'}名 · {a.applicant_label} · {a.total_score or '—'}分"
        )


class ReviewForm(forms.Form):
    """A 竣工/达产 review: the measured value of each commitment due at the stage, pre-filled where the
    holder's reported data for the data year give it (the source shown beside the field)."""

    reviewed_on = forms.DateField(label=_("核验日期"), widget=DATE)
    year = forms.IntegerField(
        label=_("数据年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("按该年度的企业申报数据预填实测值；留空为核验日期的上一年"),
    )
    note = forms.CharField(label=_("核验意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self,
        *args: Any,
        commitments: Sequence[Commitment],
        prefill: Mapping[int, Reported],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = list(commitments)
        for c in self.commitments:
            label = f"{c.indicator.name}（承诺 {c.get_direction_display()} {c.value.normalize():f} {c.unit}）"
            reported = prefill.get(c.pk)
            self.fields[f"m_{c.pk}"] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=20,
                decimal_places=4,
                initial=reported.value if reported else None,
                help_text=reported.source_text if reported else _("无申报数据，请填写实测值"),
            )

    @staticmethod
    def data_year(reviewed_on: date | None, year: int | None) -> int | None:
        """The year whose reported data are read: the one given, else the year before the review."""
        if year is not None:
            return year
        return reviewed_on.year - 1 if reviewed_on is not None else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["year"] = self.data_year(cleaned.get("reviewed_on"), cleaned.get("year"))
        return cleaned

    def measured(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"m_{c.pk}") for c in self.commitments}
