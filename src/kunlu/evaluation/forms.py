"""Forms of 亩均效益评价: rule-set YAML (typed or uploaded), figures, runs, objections and their review."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kunlu.core.models import Territory
from kunlu.evaluation import services
from kunlu.evaluation.models import BandPolicy, EnterpriseFigure, RuleSetVersion

YAML_ATTRS = {"rows": 28, "class": "font-monospace", "spellcheck": "false"}


class _YamlForm(forms.Form):
    """YAML typed into the text area, or an uploaded .yaml file (which takes precedence)."""

    yaml_text = forms.CharField(
        label=_("规则（YAML）"), required=False, widget=forms.Textarea(attrs=YAML_ATTRS)
    )
    yaml_file = forms.FileField(
        label=_("或上传YAML文件"),
        required=False,
        help_text=_("UTF-8编码的.yaml文件，不超过256KB；上传的文件优先于文本框"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )
    note = forms.CharField(label=_("修订说明"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("yaml_file")
        if upload:
            if upload.size > services.MAX_YAML_BYTES:
                raise ValidationError(
                    {"yaml_file": ValidationError(_("上传的文件超过256KB"), code="too_large")}
                )
            data["yaml_text"] = services.ruleset_text_from_upload(upload.read(services.MAX_YAML_BYTES + 1))
        if not (data.get("yaml_text") or "").strip():
            raise ValidationError(
                {"yaml_text": ValidationError(_("请填写或上传规则集YAML"), code="required")}
            )
        return data


class RuleSetNewForm(_YamlForm):
    scope_text = forms.CharField(
        label=_("适用范围说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["yaml_text", "yaml_file", "scope_text", "note"]


class RuleSetVersionForm(_YamlForm):
    pass


class EnterpriseFigureForm(forms.ModelForm[EnterpriseFigure]):
    input = forms.ChoiceField(label=_("数据项"))

    class Meta:
        model = EnterpriseFigure
        fields = ["enterprise", "year", "input", "value", "source", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["input"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (code, f"{name}（{unit}）" if unit else name)
            for code, (name, unit, _f) in services.known_inputs().items()
        ]


class RunForm(forms.Form):
    ruleset_version = forms.ModelChoiceField(label=_("规则集版本"), queryset=RuleSetVersion.objects.none())
    year = forms.IntegerField(label=_("评价年度"), min_value=services.YEAR_MIN, max_value=services.YEAR_MAX)
    territory = forms.ModelChoiceField(label=_("评价范围"), queryset=Territory.objects.none())
    title = forms.CharField(label=_("名称"), max_length=200, required=False, help_text=_("留空自动生成"))
    as_of = forms.DateTimeField(
        label=_("数据截止时点"),
        required=False,
        help_text=_("按此时点的企业数据和企业库信息评价；留空即为提交时的当前时间，不能晚于现在"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, territories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ruleset_version"]
        field.queryset = RuleSetVersion.objects.select_related("ruleset")  # type: ignore[attr-defined]
        self.fields["territory"].queryset = territories  # type: ignore[attr-defined]

    def clean_as_of(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("as_of")
        if value is not None and value > timezone.now():
            raise ValidationError(_("数据截止时点不能晚于现在"), code="as_of_future")
        return value


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("异议内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明对哪项数据有异议、认为正确的数值及依据"),
    )


class RejectForm(forms.Form):
    decision = forms.CharField(
        label=_("不予采纳的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AcceptForm(forms.Form):
    """Adjusted figures, one optional field per input; the filled ones become new versions."""

    decision = forms.CharField(
        label=_("处理意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, current: dict[str, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = []
        for code, (name, unit, _flag) in services.known_inputs().items():
            label = f"{name}（{unit}）" if unit else name
            stored = current.get(code)
            self.fields[f"adj_{code}"] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=20,
                decimal_places=4,
                help_text=_("现为 %(value)s") % {"value": stored} if stored is not None else _("现无数据"),
            )
            self.codes.append(code)

    def adjustments(self, current: dict[str, Decimal]) -> dict[str, Decimal]:
        """The inputs whose adjusted value differs from the current one."""
        out = {}
        for code in self.codes:
            value = self.cleaned_data.get(f"adj_{code}")
            if value is not None and value != current.get(code):
                out[code] = value
        return out


class BandPolicyForm(forms.ModelForm[BandPolicy]):
    class Meta:
        model = BandPolicy
        fields = [
            "ruleset",
            "jurisdiction",
            "band",
            "department",
            "measure",
            "value",
            "unit",
            "description",
            "legal_basis",
            "is_active",
        ]
