"""Forms of the core pages."""

from __future__ import annotations

from typing import Any

from django import forms

from kunlu.core.models import Territory


class TerritoryForm(forms.ModelForm[Territory]):
    class Meta:
        model = Territory
        fields = ["code", "name", "name_en", "kind", "parent", "sort_order", "is_demo"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A territory cannot move beneath itself.
            self.fields["parent"].queryset = Territory.objects.exclude(path__startswith=self.instance.path)  # type: ignore[attr-defined]
