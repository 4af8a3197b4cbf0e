"""Forms of the enterprise registry: register or edit an enterprise, rename it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kunlu.core.models import Territory
from kunlu.enterprises.choices import IndustryLevel
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.enterprises.services import PROFILE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class EnterpriseProfileForm(forms.ModelForm[EnterpriseProfile]):
    """Register an enterprise (by its credit code, merging into one already known) or edit its profile.

    On edit the credit code cannot change and the name changes through 更名 (with its date)."""

    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18位；已登记的代码会合并到该企业，不会重复登记"),
    )
    name = forms.CharField(label=_("企业名称"), max_length=200)
    territory = forms.ModelChoiceField(label=_("所属地区"), queryset=Territory.objects.all())

    class Meta:
        model = EnterpriseProfile
        fields = ["uscc", "name", "territory", *PROFILE_FIELDS]
        widgets = {"founded_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        industry = self.fields["industry"]
        industry.queryset = Industry.objects.exclude(level=IndustryLevel.SECTION)  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["uscc"]
            del self.fields["name"]
            self.fields["territory"].initial = self.instance.organisation.territory_id


class RenameForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=200)
    effective = forms.DateField(
        label=_("更名日期"), widget=DateInput(), help_text=_("新名称启用之日（营业执照变更登记日期）")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective"].initial = timezone.localdate()
