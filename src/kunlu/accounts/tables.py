"""Tables of the account pages."""

from __future__ import annotations

import django_tables2 as tables

from kunlu.accounts.models import Organisation, Role, RoleGrant, User
from kunlu.core.tables import detail_link


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=detail_link("accounts_organisation_detail"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "territory", "uscc", "contact_name", "is_demo"]


class UserTable(tables.Table):
    username = tables.Column(linkify=detail_link("accounts_user_detail"))

    class Meta:
        model = User
        fields = ["username", "full_name", "organisation", "is_active", "last_login"]


class RoleTable(tables.Table):
    name = tables.Column(linkify=detail_link("accounts_role_detail"))

    class Meta:
        model = Role
        fields = ["code", "name", "organisation_only", "description"]


class RoleGrantTable(tables.Table):
    id = tables.Column(linkify=detail_link("accounts_rolegrant_detail"))

    class Meta:
        model = RoleGrant
        fields = ["id", "user", "role", "territory", "created_at"]
