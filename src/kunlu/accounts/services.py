"""Account services: users and their passwords, organisations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc as uscc_number

from kunlu.accounts.models import Organisation, OrganisationKind, User
from kunlu.core import audit, crud


def uscc_clean(value: str) -> str:
    """A 统一社会信用代码 in its compact form, or a ValidationError naming what is wrong."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    try:
        return str(uscc_number.validate(value))
    except Exception as exc:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”无效（应为18位，且校验位正确）") % {"value": value},
            code="uscc_invalid",
        ) from exc


def _organisation_data(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if "uscc" in data:
        try:
            data["uscc"] = uscc_clean(data["uscc"])
        except ValidationError as exc:
            raise ValidationError({"uscc": exc.error_list}) from exc
    if data.get("kind") == OrganisationKind.ENTERPRISE and "uscc" in data and not data["uscc"]:
        missing = ValidationError(_("企业须填写统一社会信用代码"), code="uscc_required")
        raise ValidationError({"uscc": missing})
    return data


def organisation_create(
    *, model: type[Organisation] = Organisation, data: dict[str, Any], actor: Any
) -> Organisation:
    """Register an organisation (an enterprise needs a valid 统一社会信用代码)."""
    return crud.record_create(model=Organisation, data=_organisation_data(data), actor=actor)


def organisation_update(*, obj: Organisation, data: dict[str, Any], actor: Any) -> Organisation:
    """Change an organisation's particulars."""
    return crud.record_update(obj=obj, data=_organisation_data(data), actor=actor)


@transaction.atomic
def user_create(*, model: type[User] = User, data: dict[str, Any], actor: Any) -> User:
    """Open an account; the password must pass the house policy."""
    data = dict(data)
    password = data.pop("password", None)
    user = User(**{k: v for k, v in data.items() if not User._meta.get_field(k).many_to_many})
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.error_list}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record("accounts.user.create", obj=user, actor=actor, data={"username": user.username})
    return user


@transaction.atomic
def user_update(*, obj: User, data: dict[str, Any], actor: Any) -> User:
    """Change an account; a new password, when given, must pass the house policy."""
    data = dict(data)
    password = data.pop("password", None)
    if password:
        try:
            validate_password(password, obj)
        except ValidationError as exc:
            raise ValidationError({"password": exc.error_list}) from exc
        obj.set_password(password)
        audit.record("accounts.user.set_password", obj=obj, actor=actor)
    return crud.record_update(obj=obj, data=data, actor=actor)


@transaction.atomic
def roles_sync(*, actor: Any = None) -> list[str]:
    """Create or complete the default roles (never removing what an administrator added); codes changed."""
    from django.contrib.auth.models import Permission

    from kunlu.accounts.models import Role
    from kunlu.accounts.roles import DEFAULT_ROLES

    changed = []
    for default in DEFAULT_ROLES.values():
        role, created = Role.objects.get_or_create(
            code=default.code,
            defaults={
                "name": str(default.name),
                "description": str(default.description),
                "organisation_only": default.organisation_only,
            },
        )
        wanted = set()
        for name in default.permissions:
            app_label, codename = name.split(".")
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        missing = wanted - set(role.permissions.all())
        if missing:
            role.permissions.add(*missing)
        if created or missing:
            changed.append(role.code)
            audit.record(
                "accounts.role.sync",
                obj=role,
                actor=actor,
                data={"added": sorted(p.codename for p in missing)},
            )
    return changed


@transaction.atomic
def role_grant(*, user: User, role_code: str, territory: Any, actor: Any) -> Any:
    """Give a user a role on a territory subtree (idempotent)."""
    from kunlu.accounts.models import Role, RoleGrant

    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=Role.objects.get(code=role_code), territory=territory
    )
    if created:
        audit.record(
            "accounts.rolegrant.create",
            obj=grant,
            actor=actor,
            data={"role": role_code, "territory": territory.code},
        )
    return grant
