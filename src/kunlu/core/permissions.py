"""One permission path: `Model.objects.restrict(user, action)`.

A user's rights come from role grants: each grant gives a role's permission set on a territory subtree,
optionally narrowed to the user's own organisation (an enterprise user sees only its enterprise's records).
Every model declares in `scope` how to reach its territory and its owning organisation; this module turns
the grants into one `Q`. Superusers see everything. What a user may not see is a 404, never a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from kunlu.accounts.models import User

M = TypeVar("M", bound=models.Model)

ACTIONS = ("view", "add", "change", "delete")


@dataclass(frozen=True)
class Scope:
    """How a model reaches its territory and its owning organisation.

    territory: lookup path to a Territory ("territory", "organisation__territory"); "" for Territory
        itself; None when the model is not territorial (a catalogue): any grant of the permission sees all.
    organisation: lookup path to the owning Organisation ("organisation", "pk" for Organisation itself);
        None when records belong to no organisation (an organisation-only grant then sees none).
    owner: lookup path to the user who started a record (a job, an upload): its owner always sees it.
    """

    territory: str | None = None
    organisation: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Grant:
    """One role granted to a user on a territory subtree."""

    permissions: frozenset[str]
    territory_path: str
    organisation_only: bool


def user_grants(user: Any) -> list[Grant]:
    """The user's grants, read once per user object."""
    cached = getattr(user, "_kunlu_grants", None)
    if cached is not None:
        return cast(list[Grant], cached)
    from kunlu.accounts.models import RoleGrant

    grants = []
    for rg in (
        RoleGrant.objects.filter(user=user)
        .select_related("role", "territory")
        .prefetch_related("role__permissions__content_type")
    ):
        perms = frozenset(f"{p.content_type.app_label}.{p.codename}" for p in rg.role.permissions.all())
        grants.append(Grant(perms, rg.territory.path, rg.role.organisation_only))
    user._kunlu_grants = grants
    return grants


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def scope_q(user: Any, model: type[models.Model], action: str) -> Q | None:
    """The filter a user's grants allow on `model` for `action`; None when they allow nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    scope: Scope = model.scope  # type: ignore[attr-defined]
    perm = permission_name(model, action)
    conditions: list[Q] = []
    for grant in user_grants(user):
        if perm not in grant.permissions:
            continue
        cond = Q()
        if scope.territory is not None:
            lookup = f"{scope.territory}__path__startswith" if scope.territory else "path__startswith"
            cond &= Q(**{lookup: grant.territory_path})
        if grant.organisation_only:
            if scope.organisation is None or user.organisation_id is None:
                continue
            cond &= Q(**{scope.organisation: user.organisation_id})
        conditions.append(cond)
    if scope.owner:
        conditions.append(Q(**{scope.owner: user.pk}))
    if not conditions:
        return None
    return reduce(or_, conditions)


def relative_q(q: Q, prefix: str) -> Q:
    """The same condition seen from the related model `prefix` leads to ("project__" turns
    `project__territory__path__startswith` into `territory__path__startswith`)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(relative_q(child, prefix))
            continue
        lookup, value = child  # type: ignore[misc]
        if not lookup.startswith(prefix):
            raise ValueError(f"{lookup!r} does not go through {prefix!r}")
        out.children.append((lookup[len(prefix) :], value))
    return out


def allowed(user: Any, action: str, obj: models.Model) -> bool:
    """Whether the user may `action` this record (the same rule as `restrict`), for a page's buttons."""
    manager = type(obj)._default_manager
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())  # type: ignore[attr-defined]


def allowed_via(user: Any, model: type[models.Model], action: str, prefix: str, obj: models.Model) -> bool:
    """Whether the user may `action` a `model` record attached to `obj` (reached from `model` by `prefix`),
    before that record exists: may this enterprise user report an actual on this project?"""
    q = scope_q(user, model, action)
    if q is None:
        return False
    return type(obj)._default_manager.filter(relative_q(q, prefix), pk=obj.pk).exists()


def permitted_territories(user: Any, model: type[models.Model], action: str) -> models.QuerySet[Any]:
    """The territories (whole subtrees of the user's grants) where the user may do `action` on `model`."""
    from kunlu.core.models import Territory

    if user is None or not user.is_authenticated or not user.is_active:
        return Territory.objects.none()
    if user.is_superuser:
        return Territory.objects.all()
    perm = permission_name(model, action)
    paths = [g.territory_path for g in user_grants(user) if perm in g.permissions and not g.organisation_only]
    if not paths:
        return Territory.objects.none()
    return Territory.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def has_model_permission(user: Any, model: type[models.Model], action: str) -> bool:
    """Whether the user may do `action` on at least part of `model` (menus, add buttons)."""
    return scope_q(user, model, action) is not None


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows how to narrow itself to what a user may see or do."""

    def restrict(self, user: User | Any, action: str = "view") -> ScopedQuerySet[M]:
        """Rows the user may `action` (view, add, change, delete); nothing when the user has no grant."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        q = scope_q(user, self.model, action)
        if q is None:
            return self.none()
        return self.filter(q).distinct() if _crosses_many(self.model) else self.filter(q)

    def get_for(self, user: User | Any, action: str = "view", **lookup: Any) -> M:
        """One row the user may `action`, or Http404 whether it is missing or out of scope."""
        try:
            return self.restrict(user, action).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


def _crosses_many(model: type[models.Model]) -> bool:
    scope: Scope = model.scope  # type: ignore[attr-defined]
    return any("__" in (p or "") and _is_many(model, p or "") for p in (scope.territory, scope.organisation))


def _is_many(model: type[models.Model], path: str) -> bool:
    opts = model._meta
    for part in path.split("__"):
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.related_model:
            return False
        opts = field.related_model._meta  # type: ignore[union-attr]
    return False


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
