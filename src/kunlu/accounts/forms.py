"""Forms of the account pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kunlu.accounts.models import Organisation, Role, RoleGrant, User


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "territory", "uscc", "contact_name", "contact_phone", "is_demo"]


class UserForm(forms.ModelForm[User]):
    password = forms.CharField(
        label=_("密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "至少10位，包含小写字母、大写字母、数字、符号中的至少三类，且不含用户名；修改时留空表示不变"
        ),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "organisation", "is_active", "password"]


class RoleForm(forms.ModelForm[Role]):
    class Meta:
        model = Role
        fields = ["code", "name", "description", "organisation_only", "permissions"]
        widgets = {"permissions": forms.SelectMultiple(attrs={"size": 12})}


class RoleGrantForm(forms.ModelForm[RoleGrant]):
    class Meta:
        model = RoleGrant
        fields = ["user", "role", "territory"]
