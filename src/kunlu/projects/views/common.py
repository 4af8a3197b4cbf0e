"""What the S2 pages share: the year, month and territory asked for, and answering a refused action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.core.models import Territory, TerritoryKind
from kunlu.core.permissions import permitted_territories
from kunlu.projects.models import InvestmentActual, Project


def int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within bounds; anything else gives the default with a warning."""
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        messages.warning(request, _("参数“%(value)s”无效，已使用默认值") % {"value": text})
        return default
    return value


def latest_month(user: Any) -> tuple[int, int]:
    """The latest month with actual investment the user may see (this month when there is none)."""
    row = (
        InvestmentActual.objects.restrict(user)
        .filter(superseded_at__isnull=True)
        .order_by("-period__year", "-period__month")
        .values_list("period__year", "period__month")
        .first()
    )
    if row is None:
        today = timezone.localdate()
        return today.year, today.month
    return int(row[0]), int(row[1])


def zones_for(user: Any) -> list[Territory]:
    """The zones (and cities) where the user sees projects, for the territory choice of the dashboards."""
    seen = permitted_territories(user, Project, "view")
    return list(seen.filter(kind__in=[TerritoryKind.CITY, TerritoryKind.ZONE]).order_by("path"))


def territory_param(request: HttpRequest, choices: list[Territory]) -> Territory | None:
    code = request.GET.get("territory", "").strip()
    return next((t for t in choices if t.code == code), None)


def act(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], success: str) -> Any:
    """Run an action form of a record's page: validate it, call the service with its data, and turn the
    refusals and the success into messages. The service's result, or None when refused."""
    if not form.is_valid():
        form_refused(request, form)
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        refused(request, exc)
        return None
    messages.success(request, success)
    return result


def refused(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal as a message naming the field's problem."""
    for text in exc.messages:
        messages.error(request, text)


def form_refused(request: HttpRequest, form: Any) -> None:
    """Show an invalid form's errors as messages (the action forms live on the record's page)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
