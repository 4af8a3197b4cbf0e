"""The alerts page: choose a rule set, a month and a territory, compute (a new run; earlier runs are kept),
read each alert's reason, acknowledge it with a comment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kunlu.core.permissions import has_model_permission, permitted_territories, scope_q
from kunlu.core.services import period_for
from kunlu.projects import services
from kunlu.projects.choices import AlertLevel
from kunlu.projects.forms import AcknowledgeForm
from kunlu.projects.models import Alert, AlertRuleSet, AlertRun
from kunlu.projects.views.common import int_param, latest_month, refused, territory_param, zones_for


def sees_alerts(user: Any) -> bool:
    return has_model_permission(user, Alert, "view")


def _acknowledgeable(user: Any) -> Any:
    q = scope_q(user, Alert, "acknowledge")
    return Alert.objects.none() if q is None else Alert.objects.filter(q)


@login_required
def alerts_page(request: HttpRequest) -> HttpResponse:
    if not sees_alerts(request.user):
        raise Http404
    default_year, default_month = latest_month(request.user)
    year = int_param(request, "year", default_year, 2000, 2100)
    month = int_param(request, "month", default_month, 1, 12)
    zones = zones_for(request.user)
    territory = territory_param(request, zones) or (zones[0] if zones else None)
    rule_sets = list(AlertRuleSet.objects.restrict(request.user).filter(is_active=True))
    rule_set = next(
        (r for r in rule_sets if r.code == request.GET.get("rules")), rule_sets[0] if rule_sets else None
    )
    run = None
    items: list[Alert] = []
    if rule_set is not None and territory is not None:
        run = (
            AlertRun.objects.restrict(request.user)
            .filter(rule_set=rule_set, territory=territory, period__year=year, period__month=month)
            .order_by("-id")
            .first()
        )
    if run is not None:
        items = list(
            Alert.objects.restrict(request.user)
            .filter(run=run)
            .select_related("project", "rule", "acknowledged_by")
            .order_by("-level", "project__code")
        )
        items.sort(key=lambda a: (a.level != AlertLevel.RED, a.project.code))
    ack_ids = set(
        _acknowledgeable(request.user).filter(pk__in=[a.pk for a in items]).values_list("pk", flat=True)
    )
    may_compute = (
        territory is not None
        and permitted_territories(request.user, AlertRun, "add").filter(pk=territory.pk).exists()
    )
    context = {
        "year": year,
        "month": month,
        "zones": zones,
        "territory": territory,
        "rule_sets": rule_sets,
        "rule_set": rule_set,
        "run": run,
        "alerts": [(a, a.pk in ack_ids) for a in items],
        "may_compute": may_compute,
        "ack_form": AcknowledgeForm(),
        "query": request.GET.urlencode(),
    }
    return render(request, "projects/alerts.html", context)


@login_required
@require_POST
def alerts_compute(request: HttpRequest) -> HttpResponse:
    zones = zones_for(request.user)
    code = request.POST.get("territory", "")
    territory = next((t for t in zones if t.code == code), None)
    if (
        territory is None
        or not permitted_territories(request.user, AlertRun, "add").filter(pk=territory.pk).exists()
    ):
        raise Http404
    rule_set = AlertRuleSet.objects.restrict(request.user).filter(code=request.POST.get("rules", "")).first()
    try:
        year, month = int(request.POST.get("year", "")), int(request.POST.get("month", ""))
        if rule_set is None:
            raise ValidationError(_("请选择预警规则集"), code="rule_set_required")
        run = services.alerts_compute(
            rule_set=rule_set, territory=territory, period=period_for(year, month), actor=request.user
        )
    except (ValueError, ValidationError) as exc:
        if isinstance(exc, ValidationError):
            refused(request, exc)
        else:
            messages.error(request, _("年度或月份无效"))
        return redirect("projects:alerts")
    messages.success(
        request, _("已计算预警：红色%(red)s项，黄色%(yellow)s项") % {"red": run.red, "yellow": run.yellow}
    )
    query = f"year={year}&month={month}&territory={territory.code}&rules={rule_set.code}"
    return redirect(f"{reverse('projects:alerts')}?{query}")


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _acknowledgeable(request.user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    try:
        services.alert_acknowledge(alert=alert, comment=request.POST.get("comment", ""), actor=request.user)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("已确认预警"))
    back = request.POST.get("next", "")
    return redirect(f"{reverse('projects:alerts')}?{back}" if back else reverse("projects:alerts"))
