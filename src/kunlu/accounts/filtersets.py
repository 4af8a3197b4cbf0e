"""Filters of the account pages (one FilterSet per model: page, export and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kunlu.accounts.models import Organisation, OrganisationKind, Role, RoleGrant, User
from kunlu.core.filtersets import yes_no_filter
from kunlu.core.models import Territory


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=OrganisationKind.choices)
    territory = django_filters.ModelChoiceFilter(
        label=_("所属地区"), queryset=Territory.objects.all(), method="within"
    )
    is_demo = yes_no_filter(_("示例数据"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "territory", "is_demo"]

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value))

    def within(self, queryset: QuerySet[Organisation], name: str, value: Territory) -> QuerySet[Organisation]:
        return queryset.filter(territory__path__startswith=value.path)


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("用户名或姓名"), method="search")
    organisation = django_filters.ModelChoiceFilter(label=_("所属机构"), queryset=Organisation.objects.all())

    class Meta:
        model = User
        fields = ["q", "organisation", "is_active"]

    is_active = yes_no_filter(_("有效"))

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))


class RoleFilterSet(django_filters.FilterSet):
    class Meta:
        model = Role
        fields = ["organisation_only"]

    organisation_only = yes_no_filter(_("仅限本机构数据"))


class RoleGrantFilterSet(django_filters.FilterSet):
    class Meta:
        model = RoleGrant
        fields = ["role", "territory", "user"]
