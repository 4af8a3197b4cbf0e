"""Dashboards of S2: signings by month, size band, 内资/外资, industry, chain and event; the major-project
board (per tier: start rate, plan against actual, 序时进度, lagging projects first) with its Excel export.
Every figure links to the projects behind it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kunlu.core.excel import XLSX_CONTENT_TYPE
from kunlu.core.formatting import round_half_up
from kunlu.core.permissions import has_model_permission
from kunlu.core.viewsets import attachment_header
from kunlu.projects import selectors
from kunlu.projects.exports import period_label, progress_workbook, span_label
from kunlu.projects.models import Project, ProjectTier, SizeBandScheme
from kunlu.projects.views.common import int_param, latest_month, territory_param, zones_for


def sees_projects(user: Any) -> bool:
    return has_model_permission(user, Project, "view")


def drill(ids: Iterable[int]) -> str:
    """The project list showing exactly these projects."""
    return f"{reverse('projects_project_list')}?{urlencode({'ids': ','.join(str(i) for i in ids)})}"


def _yi(wan: Decimal) -> float:
    return float(round_half_up(wan / 10000, 1))


def _groups(projects: list[Project], key: Callable[[Project], Any]) -> list[dict[str, Any]]:
    return [
        {"label": t.label, "currency": t.currency, "count": t.count, "total": t.total, "url": drill(t.ids)}
        for t in selectors.group_totals(projects, key)
    ]


def _division(project: Project) -> str:
    """The 大类 a project's industry falls in, as "35 专用设备制造业"."""
    industry = project.industry
    while industry is not None and industry.level not in ("division", "section"):
        industry = industry.parent
    return str(industry) if industry is not None else _("未填行业")


@login_required
def signings(request: HttpRequest) -> HttpResponse:
    if not sees_projects(request.user):
        raise Http404
    default_year, default_month = latest_month(request.user)
    year = int_param(request, "year", default_year, 2000, 2100)
    month = int_param(request, "month", 12 if year != default_year else default_month, 1, 12)
    zones = zones_for(request.user)
    territory = territory_param(request, zones)
    schemes = list(SizeBandScheme.objects.restrict(request.user))
    scheme = next((s for s in schemes if s.code == request.GET.get("bands")), schemes[0] if schemes else None)
    projects = list(selectors.signed_projects(request.user, year, month=month, territory=territory))
    by_month = selectors.group_totals(projects, lambda p: p.signed_on.month if p.signed_on else 0)
    cny_months = {int(t.label): t for t in by_month if t.currency == "CNY"}
    context: dict[str, Any] = {
        "year": year,
        "month": month,
        "period": period_label(year, month),
        "zones": zones,
        "territory": territory,
        "schemes": schemes,
        "scheme": scheme,
        "totals": _groups(projects, lambda p: _("全部")),
        "large": [
            (
                wan,
                len(selectors.at_least(projects, Decimal(wan))),
                drill(p.pk for p in selectors.at_least(projects, Decimal(wan))),
            )
            for wan in (100000, 10000)
        ],
        "by_event": _groups(projects, lambda p: p.signing_event.name if p.signing_event else _("单独签约")),
        "by_month": _groups(
            projects, lambda p: _("%(m)s月") % {"m": p.signed_on.month} if p.signed_on else "—"
        ),
        "by_band": _groups(projects, selectors.band_key(scheme)) if scheme else [],
        "by_origin": _groups(projects, lambda p: _("外资") if p.is_foreign else _("内资")),
        "by_industry": _groups(projects, _division),
        "by_chain": _groups(projects, lambda p: p.chain or _("未填产业链")),
        "chart": {
            "title": _("%(year)s年各月签约项目（人民币项目，亿元）") % {"year": year},
            "categories": [_("%(m)s月") % {"m": m} for m in range(1, month + 1)],
            "series": [
                {
                    "name": _("计划总投资（亿元）"),
                    "data": [_yi(cny_months[m].total) if m in cny_months else 0 for m in range(1, month + 1)],
                },
                {
                    "name": _("项目数"),
                    "data": [cny_months[m].count if m in cny_months else 0 for m in range(1, month + 1)],
                },
            ],
        },
    }
    return render(request, "projects/signings.html", context)


def _board_rows(request: HttpRequest) -> dict[str, Any]:
    default_year, default_month = latest_month(request.user)
    year = int_param(request, "year", default_year, 2000, 2100)
    month = int_param(request, "month", default_month if year == default_year else 12, 1, 12)
    zones = zones_for(request.user)
    territory = territory_param(request, zones)
    tiers = list(ProjectTier.objects.restrict(request.user).filter(is_active=True))
    tier = next((t for t in tiers if t.code == request.GET.get("tier")), None)
    projects = selectors.listed_projects(request.user, year, tier=tier, territory=territory)
    rows = selectors.project_progress(projects, year, month)
    return {
        "year": year,
        "month": month,
        "period": period_label(year, month),
        "span": span_label(month),
        "zones": zones,
        "territory": territory,
        "tiers": tiers,
        "tier": tier,
        "rows": selectors.lagging_first(rows),
        "summaries": selectors.summarise(tier.name if tier else _("全部重大项目"), rows),
        "board": selectors.tier_board(request.user, year, month, territory=territory),
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not sees_projects(request.user):
        raise Http404
    context = _board_rows(request)
    rows = [r for r in context["rows"] if r.currency == "CNY" and r.plan]
    context["chart"] = {
        "title": _("年度计划与%(span)s完成投资（人民币项目，亿元）") % {"span": context["span"]},
        "categories": [r.project.name for r in rows],
        "series": [
            {"name": _("年度计划"), "data": [_yi(r.plan or Decimal(0)) for r in rows]},
            {"name": _("序时计划"), "data": [_yi(r.planned_to_date or Decimal(0)) for r in rows]},
            {"name": _("完成投资"), "data": [_yi(r.done or Decimal(0)) for r in rows]},
        ],
    }
    context["lagging"] = [r for r in context["rows"] if r.gap is not None and r.gap < 0]
    for summary in [*context["summaries"], *(s for _tier, group in context["board"] for s in group)]:
        summary.url = drill(summary.ids)
    context["query"] = request.GET.urlencode()
    return render(request, "projects/board.html", context)


@login_required
def board_export(request: HttpRequest) -> HttpResponse:
    """The monthly 重大项目推进情况表 of what the board shows."""
    if not sees_projects(request.user):
        raise Http404
    context = _board_rows(request)
    year, month = context["year"], context["month"]
    title = _("%(period)s重大项目推进情况表") % {"period": context["period"]}
    content = progress_workbook(list(context["rows"]), year=year, month=month, title=title)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(f"{title}.xlsx")
    return response
