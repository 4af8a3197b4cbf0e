"""Account pages: the declared CRUD of organisations, users, roles and grants; the language switch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kunlu.accounts import services
from kunlu.accounts.filtersets import OrganisationFilterSet, RoleFilterSet, RoleGrantFilterSet, UserFilterSet
from kunlu.accounts.forms import OrganisationForm, RoleForm, RoleGrantForm, UserForm
from kunlu.accounts.models import Organisation, Role, RoleGrant, User
from kunlu.accounts.tables import OrganisationTable, RoleGrantTable, RoleTable, UserTable
from kunlu.core.viewsets import CrudViewSet

ADMIN_GROUP = _("系统管理")


class OrganisationViewSet(CrudViewSet):
    model = Organisation
    prefix = "organisations"
    filterset_class = OrganisationFilterSet
    table_class = OrganisationTable
    form_class = OrganisationForm
    export_fields = ["name", "kind", "territory__name", "uscc", "contact_name", "contact_phone", "is_demo"]
    api_fields = ["name", "kind", "territory", "uscc", "contact_name", "contact_phone", "is_demo"]
    menu_label = _("机构")
    menu_group = _("基础数据")
    menu_icon = "building"
    menu_order = 910
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)


class UserViewSet(CrudViewSet):
    model = User
    prefix = "users"
    filterset_class = UserFilterSet
    table_class = UserTable
    form_class = UserForm
    export_fields = [
        "username",
        "full_name",
        "email",
        "phone",
        "organisation__name",
        "is_active",
        "last_login",
    ]
    detail_fields = [
        "username",
        "full_name",
        "email",
        "phone",
        "organisation",
        "is_active",
        "last_login",
        "grants",
    ]
    api_fields = ["username", "full_name", "email", "phone", "organisation", "is_active"]
    menu_label = _("用户")
    menu_group = ADMIN_GROUP
    menu_icon = "people"
    menu_order = 950
    create_service = staticmethod(services.user_create)
    update_service = staticmethod(services.user_update)


class RoleViewSet(CrudViewSet):
    model = Role
    prefix = "roles"
    filterset_class = RoleFilterSet
    table_class = RoleTable
    form_class = RoleForm
    export_fields = ["code", "name", "description", "organisation_only", "permissions"]
    api_fields = ["code", "name", "description", "organisation_only", "permissions"]
    menu_label = _("角色")
    menu_group = ADMIN_GROUP
    menu_icon = "person-badge"
    menu_order = 960


class RoleGrantViewSet(CrudViewSet):
    model = RoleGrant
    prefix = "role-grants"
    filterset_class = RoleGrantFilterSet
    table_class = RoleGrantTable
    form_class = RoleGrantForm
    export_fields = ["user__username", "role__name", "territory__name", "created_at"]
    api_fields = ["user", "role", "territory"]
    menu_label = _("角色授权")
    menu_group = ADMIN_GROUP
    menu_icon = "key"
    menu_order = 970
