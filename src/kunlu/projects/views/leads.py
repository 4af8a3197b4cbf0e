"""The lead page (follow-ups, termination, signing) and the pipeline: funnel by stage, overdue follow-ups
per owner."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kunlu.core.permissions import allowed, has_model_permission
from kunlu.core.viewsets import restrict_choices
from kunlu.projects import selectors, services
from kunlu.projects.choices import OPEN_STAGES, LeadSource
from kunlu.projects.forms import FollowUpForm, SignForm, TerminateForm
from kunlu.projects.models import Lead, Project
from kunlu.projects.views.common import act


def sees_leads(user: Any) -> bool:
    return has_model_permission(user, Lead, "view")


@login_required
def lead_page(request: HttpRequest, pk: int) -> HttpResponse:
    lead = Lead.objects.select_related("territory", "owner").get_for(request.user, "view", pk=pk)
    may_change = allowed(request.user, "change", lead)
    is_open = lead.stage in OPEN_STAGES
    sign_form = SignForm(initial={"total_investment": lead.estimated_investment})
    restrict_choices(sign_form, request.user)
    context = {
        "lead": lead,
        "follow_ups": lead.follow_ups.select_related("author").order_by("-happened_on", "-id"),
        "projects": Project.objects.restrict(request.user).filter(lead=lead).order_by("code"),
        "may_change": may_change and is_open,
        "may_sign": may_change and is_open and has_model_permission(request.user, Project, "add"),
        "follow_up_form": FollowUpForm(initial={"happened_on": timezone.localdate(), "stage": lead.stage}),
        "terminate_form": TerminateForm(),
        "sign_form": sign_form,
    }
    return render(request, "projects/lead.html", context)


def _changeable(request: HttpRequest, pk: int) -> Lead:
    lead: Lead = Lead.objects.get_for(request.user, "change", pk=pk)
    return lead


@login_required
@require_POST
def lead_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changeable(request, pk)
    act(
        request,
        FollowUpForm(request.POST),
        lambda data: services.lead_follow_up(lead=lead, actor=request.user, **data),
        _("已记录跟进情况"),
    )
    return redirect("projects:lead", pk=pk)


@login_required
@require_POST
def lead_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changeable(request, pk)
    act(
        request,
        TerminateForm(request.POST),
        lambda data: services.lead_terminate(lead=lead, reason=data["reason"], actor=request.user),
        _("线索已终止"),
    )
    return redirect("projects:lead", pk=pk)


@login_required
@require_POST
def lead_sign(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changeable(request, pk)
    if not has_model_permission(request.user, Project, "add"):
        raise Http404
    form = SignForm(request.POST)
    restrict_choices(form, request.user)

    def sign(data: dict[str, Any]) -> Project:
        fields = {k: v for k, v in data.items() if k != "signing_event" and v is not None}
        with transaction.atomic():
            project = services.project_sign(
                signing_event=data["signing_event"], lead=lead, data=fields, actor=request.user
            )
            if not allowed(request.user, "add", project):
                raise ValidationError(_("该项目所属地区超出您的管理范围"), code="out_of_scope")
        return project

    project = act(request, form, sign, _("已签约"))
    if project is None:
        return redirect("projects:lead", pk=pk)
    return redirect("projects:project", pk=project.pk)


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    """The pipeline: leads by stage (a funnel), by source, and the follow-ups overdue per owner."""
    if not sees_leads(request.user):
        raise Http404
    leads = Lead.objects.restrict(request.user)
    funnel = selectors.funnel(leads)
    overdue = list(selectors.overdue_leads(leads))
    by_owner: dict[str, list[Lead]] = defaultdict(list)
    for lead in overdue:
        by_owner[str(lead.owner) if lead.owner else _("未指定负责人")].append(lead)
    sources = {s: 0 for s in LeadSource}
    for source in leads.values_list("source", flat=True):
        sources[LeadSource(source)] += 1
    list_url = reverse("projects_lead_list")
    codes = [code for code, _label, _n in funnel]
    context = {
        # Each count is of the leads that reached the stage: its drill lists that stage and those after it.
        "funnel": [
            (label, n, f"{list_url}?{urlencode([('stage', c) for c in codes[i:]])}")
            for i, (_code, label, n) in enumerate(funnel)
        ],
        "by_owner": sorted(by_owner.items()),
        "overdue_count": len(overdue),
        "sources": [(s.label, n, f"{list_url}?source={s.value}") for s, n in sources.items() if n],
        "list_url": list_url,
        "chart": {
            "title": _("招商线索漏斗"),
            "stages": [label for _code, label, _n in funnel],
            "counts": [n for _code, _label, n in funnel],
        },
    }
    return render(request, "projects/pipeline.html", context)
