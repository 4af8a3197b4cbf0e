"""S1 monitoring pages: a zone's indicator table, the city's side-by-side view, the trace behind a figure."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.core import menus
from kunlu.core.excel import XLSX_CONTENT_TYPE, write_workbook
from kunlu.core.formatting import percent, points
from kunlu.core.permissions import has_model_permission
from kunlu.core.viewsets import attachment_header
from kunlu.indicators.display import amount_of, schedule_gap_of
from kunlu.indicators.forms import MonitoringForm
from kunlu.indicators.models import UnitObservation
from kunlu.indicators.monitoring import (
    CITY,
    Monitoring,
    cities_for,
    latest_month,
    usd_rate,
    visible_zones,
    zone_for,
)


def _may_monitor(user: Any) -> bool:
    return has_model_permission(user, UnitObservation, "view") and bool(cities_for(user))


menus.register(
    menus.MenuItem(
        label=gettext_lazy("园区经济运行"),
        group=gettext_lazy("经济运行监测"),
        url_name="indicators:monitoring_zone",
        icon="graph-up-arrow",
        order=90,
        allowed=_may_monitor,
    )
)
menus.register(
    menus.MenuItem(
        label=gettext_lazy("全市分园区对比"),
        group=gettext_lazy("经济运行监测"),
        url_name="indicators:monitoring_city",
        icon="bar-chart",
        order=95,
        allowed=_may_monitor,
    )
)


FACTS_SHOWN = 300


def _monitoring(request: HttpRequest) -> tuple[Monitoring, MonitoringForm]:
    """The monitoring the request asks for (city, month, moment), defaulting to the latest month."""
    if not has_model_permission(request.user, UnitObservation, "view"):
        raise Http404
    cities = cities_for(request.user)
    if not cities:
        raise Http404
    city = next((c for c in cities if c.code == request.GET.get("city")), cities[0])
    today = timezone.localdate()
    year, month = latest_month(city) or (today.year, today.month)
    form = MonitoringForm(request.GET or None, initial={"year": year, "month": month})
    moment = None
    if form.is_bound and form.is_valid():
        year, month, moment = (
            form.cleaned_data["year"],
            form.cleaned_data["month"],
            form.cleaned_data["as_of"],
        )
    elif not form.is_bound:
        form = MonitoringForm(initial={"year": year, "month": month})
    return Monitoring(city=city, year=year, month=month, moment=moment), form


def _trace_base(monitoring: Monitoring, zone_code: str) -> str:
    """The trace page's address for a zone and month, waiting for its indicator."""
    query = {"zone": zone_code, "year": monitoring.year, "month": monitoring.month}
    if monitoring.moment:
        query["as_of"] = monitoring.moment.isoformat()
    return f"{reverse('indicators:monitoring_trace')}?{urlencode(query)}"


def month_label(month: int) -> str:
    """1月, 1–2月 … 1–N月: the cumulative period ending in `month`."""
    return _("1月") if month == 1 else _("1–%(m)s月") % {"m": month}


def _line_cells(line: Any) -> list[Any]:
    m, indicator = line.metrics, line.indicator
    if m.get("is_ratio"):
        change = _("较上年同期") + points(m["ratio_change"])
        return [indicator.name, "", percent(m["ytd_value"]), change, "", "", "", "", "", ""]
    return [
        indicator.name,
        amount_of(indicator, m["month_value"]),
        amount_of(indicator, m["ytd_value"]),
        percent(m["yoy_comparable"]),
        percent(m["yoy_nominal"]),
        percent(m["share_of_city"]),
        m["rank_ytd"],
        m["rank_yoy"],
        percent(m["target_completion"]),
        schedule_gap_of(m["progress_gap_pp"]),
    ]


@login_required
def monitoring_zone(request: HttpRequest) -> HttpResponse:
    """A zone's indicators for 1–M月 (values, growth, shares, ranks, targets, flags) and two charts."""
    monitoring, form = _monitoring(request)
    zones = visible_zones(user=request.user, city=monitoring.city)
    if not zones:
        raise Http404
    zone = zone_for(user=request.user, city=monitoring.city, code=request.GET.get("zone") or zones[0].code)
    lines = monitoring.lines(zone.code)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("指标"),
            _("当月"),
            _("1–N月累计"),
            _("同比（可比口径）"),
            _("名义同比"),
            _("占全市比重"),
            _("规模排名"),
            _("增速排名"),
            _("年度目标完成"),
            _("较序时进度"),
        ]
        title = _("%(zone)s经济运行%(year)s年1–%(month)s月") % {
            "zone": zone.name,
            "year": monitoring.year,
            "month": monitoring.month,
        }
        content = write_workbook([(title[:31], headers, (_line_cells(line) for line in lines))])
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = attachment_header(f"{title}.xlsx")
        return response
    summed = [ln for ln in lines if not ln.metrics.get("is_ratio")]  # ratios have no trend of sums
    chosen = next(
        (ln for ln in summed if ln.indicator.code == request.GET.get("indicator")),
        summed[0] if summed else None,
    )
    charts: dict[str, Any] = {}
    if chosen is not None:
        trend = monitoring.trend(zone.code, chosen.indicator.code)
        charts["trend"] = {
            "title": _("%(name)s 累计同比（可比口径，%%）") % {"name": chosen.indicator.name},
            "months": [month_label(p["month"]) for p in trend],
            "growth": [
                None if p["yoy_comparable"] is None else round(p["yoy_comparable"] * 100, 1) for p in trend
            ],
        }
        shares = [
            (z.name, monitoring.rows.get((z.code, chosen.indicator.code), {}).get("share_of_city"))
            for z in zones
        ]
        charts["shares"] = {
            "title": _("%(name)s 占全市比重（%%）") % {"name": chosen.indicator.name},
            "zones": [name for name, _share in shares],
            "shares": [None if share is None else round(share * 100, 1) for name, share in shares],
        }
    context = {
        "monitoring": monitoring,
        "form": form,
        "zones": zones,
        "zone": zone,
        "lines": lines,
        "city_lines": {ln.indicator.code: ln for ln in monitoring.lines("CITY")},
        "chosen": chosen,
        "trace_base": _trace_base(monitoring, zone.code),
        # 人民币 estimates of 美元 figures only when asked, and only from a dated rate of the table.
        "usd_rate": usd_rate(monitoring.year, monitoring.month) if request.GET.get("cny") else None,
        "charts": charts,
        "highlight": {
            "double_digit": sum("double_digit" in ln.flags for ln in lines),
            "share_rose": sum("share_rose" in ln.flags for ln in lines),
            "behind": sum("behind_schedule" in ln.flags for ln in lines),
        },
    }
    return render(request, "indicators/monitoring_zone.html", context)


@login_required
def monitoring_city(request: HttpRequest) -> HttpResponse:
    """The city's zones side by side: each indicator's value and comparable growth per zone, and the city."""
    monitoring, form = _monitoring(request)
    zones = visible_zones(user=request.user, city=monitoring.city)
    table = []
    for city_line in monitoring.lines("CITY"):
        code = city_line.indicator.code
        cells = [
            monitoring.rows.get((z.code, code)) or monitoring.ratio(z.code, city_line.indicator)
            for z in zones
        ]
        table.append({"indicator": city_line.indicator, "city": city_line.metrics, "zones": cells})
    context = {"monitoring": monitoring, "form": form, "zones": zones, "table": table}
    return render(request, "indicators/monitoring_city.html", context)


@login_required
def monitoring_trace(request: HttpRequest) -> HttpResponse:
    """The trace behind one figure: the engine's row and the enterprises whose reports make it up."""
    monitoring, _form = _monitoring(request)
    code = request.GET.get("zone", "")
    # The city's totals trace to every enterprise of the city that the user may see.
    zone = monitoring.city if code == CITY else zone_for(user=request.user, city=monitoring.city, code=code)
    indicator = monitoring.indicators.get(request.GET.get("indicator", ""))
    metrics = monitoring.rows.get((code, indicator.code)) if indicator else None
    if indicator is None or metrics is None:
        raise Http404
    contributors = (
        [] if code == CITY else monitoring.contributors(code, indicator.code, user=request.user, top_n=20)
    )
    facts = monitoring.facts(zone, indicator, user=request.user)
    context = {
        "monitoring": monitoring,
        "zone": zone,
        "indicator": indicator,
        "metrics": metrics,
        "contributors": contributors,
        "facts": facts[:FACTS_SHOWN],
        "facts_count": len(facts),
    }
    return render(request, "indicators/monitoring_trace.html", context)
