"""The project page: particulars, phases on one timeline (planned against actual stage dates), the annual
plan and monthly actuals, the changes log and alerts; the forms to set stage dates, plans and report actuals
(an enterprise user reports only on its own projects)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kunlu.core.permissions import allowed, allowed_via
from kunlu.core.services import period_for
from kunlu.projects import selectors, services
from kunlu.projects.choices import STAGES, ActualSource
from kunlu.projects.forms import ActualForm, PlanForm, StageForm
from kunlu.projects.models import (
    InvestmentActual,
    InvestmentPlan,
    Project,
    ProjectStage,
)
from kunlu.projects.views.common import act, int_param


def may_set_stages(user: Any, project: Project) -> bool:
    return allowed_via(user, ProjectStage, "change", "project__", project)


def may_plan(user: Any, project: Project) -> bool:
    return allowed_via(user, InvestmentPlan, "add", "project__", project)


def may_report(user: Any, project: Project) -> bool:
    """Whether the user may report the project's monthly investment (staff in its territory, or the
    project's own enterprise)."""
    return allowed_via(user, InvestmentActual, "add", "project__", project)


def _project(request: HttpRequest, pk: int) -> Project:
    project: Project = Project.objects.select_related(
        "territory", "enterprise", "lead", "signing_event", "category", "first_phase"
    ).get_for(request.user, "view", pk=pk)
    return project


@login_required
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    user = request.user
    plans = list(project.plans.prefetch_related("months").order_by("-year"))
    today = timezone.localdate()
    year = int_param(request, "year", plans[0].year if plans else today.year, 2000, 2100)
    actuals = list(
        project.actuals.filter(period__year=year, superseded_at__isnull=True)
        .select_related("period", "recorded_by")
        .order_by("period__month")
    )
    # Without reports the progress is read at the last month ended (December of a past year).
    last_month = (
        actuals[-1].period.month if actuals else (12 if year < today.year else max(today.month - 1, 1))
    )
    (progress,) = selectors.project_progress([project], year, last_month)
    stages = {s.stage: s for s in project.stages.all()}
    timeline = selectors.timeline(user, project)
    phases = selectors.phases_of(user, project)
    context = {
        "project": project,
        "stages": [(s, stages.get(s.value)) for s in STAGES],
        "phases": phases,
        "plans": plans,
        "year": year,
        "actuals": actuals,
        "progress": progress,
        "listings": project.listings.select_related("tier").order_by("-year"),
        "changes": project.changes.select_related("changed_by")[:50],
        "alerts": project.alerts.select_related("rule", "period").order_by("-run__created_at")[:20],
        "may_set_stages": may_set_stages(user, project),
        "may_plan": may_plan(user, project),
        "may_report": may_report(user, project),
        "stage_form": StageForm(),
        "plan_form": PlanForm(initial={"year": year}),
        "actual_form": ActualForm(initial={"year": year, "currency": project.currency}),
        "may_edit": allowed(user, "change", project),
        "chart": {
            "title": _("项目节点：计划与实际"),
            "rows": timeline,
            "planned": _("计划"),
            "actual": _("实际"),
        },
    }
    return render(request, "projects/project.html", context)


@login_required
@require_POST
def project_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not may_set_stages(request.user, project):
        raise Http404
    act(
        request,
        StageForm(request.POST),
        lambda data: services.stage_set(
            project=project, stage=data["stage"], reason=data["reason"], actor=request.user, **data["dates"]
        ),
        _("已更新项目节点"),
    )
    return redirect("projects:project", pk=pk)


@login_required
@require_POST
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not may_plan(request.user, project):
        raise Http404
    act(
        request,
        PlanForm(request.POST),
        lambda data: services.plan_set(project=project, actor=request.user, **data),
        _("已保存年度投资计划"),
    )
    return redirect("projects:project", pk=pk)


@login_required
@require_POST
def project_actual(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not may_report(request.user, project):
        raise Http404
    own = getattr(request.user, "organisation_id", None) == project.enterprise_id
    form = ActualForm(request.POST)
    result = act(
        request,
        form,
        lambda data: services.actual_record(
            project=project,
            period=period_for(data["year"], data["month"]),
            currency=data["currency"],
            cumulative=data["cumulative"],
            monthly=data["monthly"],
            note=data["note"],
            source=ActualSource.OWNER if own else ActualSource.STAFF,
            actor=request.user,
        ),
        _("已报送月度完成投资"),
    )
    if result is not None and not result[1]:
        messages.info(request, _("数值未变化，未新增版本"))
    page = reverse("projects:project", args=[pk])
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return redirect(f"{page}?year={year}" if year else page)
