"""Pages of 标准地 and 数据得地: a parcel's dossier, its listing with the control indicators, applications
and scoring with the ranked trace, the allocation decision, commitments and verification reviews, idle
land per zone, the park overview (园区标准地概况), and the declared CRUD of every record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kunlu.core import audit
from kunlu.core.models import Territory
from kunlu.core.permissions import allowed, permitted_territories
from kunlu.core.viewsets import CrudViewSet, attach_errors
from kunlu.land import services
from kunlu.land.choices import ParcelStatus, Stage
from kunlu.land.filtersets import (
    AllocationFilterSet,
    ApplicationFilterSet,
    CommitmentFilterSet,
    CriterionFilterSet,
    IndicatorDefinitionFilterSet,
    ParcelFilterSet,
    RemedyActionFilterSet,
    RemedyRuleFilterSet,
    ReviewFilterSet,
    ScorecardFilterSet,
)
from kunlu.land.forms import (
    AllocationForm,
    ApplicationForm,
    CriterionForm,
    IndicatorDefinitionForm,
    ListingForm,
    ParcelForm,
    RemedyActionForm,
    RemedyRuleForm,
    ReviewForm,
    ScorecardForm,
    TransitionForm,
)
from kunlu.land.models import (
    Allocation,
    Application,
    Commitment,
    Criterion,
    IndicatorDefinition,
    Parcel,
    ParcelIndicator,
    RemedyAction,
    RemedyRule,
    Review,
    Scorecard,
)
from kunlu.land.selectors import (
    applications_ranked,
    commitments_with_results,
    idle_flag,
    idle_flags,
    park_overview,
    parks_for,
    reported_values,
    status_choices_from,
)
from kunlu.land.tables import (
    AllocationTable,
    ApplicationTable,
    CommitmentTable,
    CriterionTable,
    IndicatorDefinitionTable,
    ParcelTable,
    RemedyActionTable,
    RemedyRuleTable,
    ReviewTable,
    ScorecardTable,
)

GROUP = gettext_lazy("标准地与数据得地")


# -- who may do what ---------------------------------------------------------------------------------------


def may(user: Any, model: type[models.Model], action: str, parcel: Parcel) -> bool:
    """Whether the user holds `action` on `model` for the parcel's territory (not as an enterprise)."""
    return permitted_territories(user, model, action).filter(pk=parcel.territory_id).exists()


def follows_parks(user: Any) -> bool:
    """Zone staff who see parcels across a territory (the overview and idle-land pages)."""
    return not permitted_territories(user, Parcel, "view").query.is_empty()


def _parcel(request: HttpRequest, pk: int) -> Parcel:
    return Parcel.objects.select_related("territory", "holder", "scorecard").get_for(
        request.user, "view", pk=pk
    )


# -- the parcel's dossier ----------------------------------------------------------------------------------


@login_required
def parcel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """地块档案: the parcel, its control indicators, applications, decision, commitments and idle flag."""
    user = request.user
    parcel = _parcel(request, pk)
    can_change = allowed(user, "change", parcel)
    allocation = (
        Allocation.objects.restrict(user, "view")
        .filter(parcel=parcel, is_current=True)
        .select_related("winner__applicant", "decided_by")
        .first()
    )
    return render(
        request,
        "land/parcel_detail.html",
        {
            "parcel": parcel,
            "controls": ParcelIndicator.objects.restrict(user, "view")
            .filter(parcel=parcel)
            .select_related("indicator"),
            "applications": applications_ranked(user=user, parcel=parcel)[:5],
            "allocation": allocation,
            "commitments": commitments_with_results(user=user, parcel=parcel),
            "idle": idle_flag(parcel, timezone.localdate()),
            "can_change": can_change,
            "can_delete": allowed(user, "delete", parcel),
            "transitions": status_choices_from(parcel.status) if can_change else [],
            "transition_form": TransitionForm(),
            "events": audit.events_for(parcel)[:20] if can_change else [],
        },
    )


@require_POST
@login_required
def parcel_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a parcel's status (挂牌 goes through the listing page, 出让 through the decision)."""
    parcel = Parcel.objects.get_for(request.user, "change", pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要变更的状态和日期"))
        return redirect("land_parcel_detail", pk=parcel.pk)
    try:
        services.parcel_transition(
            parcel=parcel, to=form.cleaned_data["to"], on=form.cleaned_data["on"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("地块状态已变更"))
    return redirect("land_parcel_detail", pk=parcel.pk)


# -- listing ---------------------------------------------------------------------------------------------


@login_required
def listing(request: HttpRequest, pk: int) -> HttpResponse:
    """标准地挂牌: the parcel's control indicators (set before listing) and the scorecard, then 挂牌."""
    user = request.user
    parcel = _parcel(request, pk)
    editable = parcel.status == ParcelStatus.RESERVE and may(user, ParcelIndicator, "change", parcel)
    definitions = list(IndicatorDefinition.objects.filter(is_active=True))
    controls = list(
        ParcelIndicator.objects.restrict(user, "view").filter(parcel=parcel).select_related("indicator")
    )
    values = {c.indicator_id: c.value for c in controls}
    form = ListingForm(
        request.POST if request.method == "POST" else None,
        definitions=definitions,
        values=values,
        initial={"scorecard": parcel.scorecard, "listed_on": parcel.listed_on or timezone.localdate()},
    )
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            try:
                services.parcel_indicators_set(parcel=parcel, values=form.indicator_values(), actor=user)
                if request.POST.get("action") == "list":
                    scorecard = form.cleaned_data["scorecard"]
                    if scorecard is None:
                        raise ValidationError(
                            {
                                "scorecard": ValidationError(
                                    _("挂牌前须选定数据得地评分表"), code="scorecard_missing"
                                )
                            }
                        )
                    services.parcel_list(
                        parcel=parcel,
                        scorecard=scorecard,
                        listed_on=form.cleaned_data["listed_on"] or timezone.localdate(),
                        actor=user,
                    )
                    messages.success(request, _("地块已挂牌"))
                    return redirect("land_parcel_detail", pk=parcel.pk)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("控制指标已保存"))
                return redirect("land:listing", pk=parcel.pk)
    return render(
        request,
        "land/listing.html",
        {"parcel": parcel, "form": form, "controls": controls, "editable": editable},
    )


# -- applications, scoring and the decision ---------------------------------------------------------------


@login_required
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    """申请与评分: the parcel's applications in rank order with each criterion's points."""
    user = request.user
    parcel = _parcel(request, pk)
    can_score = parcel.status == ParcelStatus.LISTED and may(user, Application, "change", parcel)
    if request.method == "POST":
        if not can_score:
            raise Http404
        try:
            services.applications_score(parcel=parcel, actor=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已按评分表评分排序"))
        return redirect("land:applications", pk=parcel.pk)
    criteria = list(parcel.scorecard.criteria.all()) if parcel.scorecard else []
    return render(
        request,
        "land/applications.html",
        {
            "parcel": parcel,
            "applications": list(applications_ranked(user=user, parcel=parcel)),
            "criteria": criteria,
            "can_score": can_score,
            "can_add": parcel.status == ParcelStatus.LISTED and may(user, Application, "add", parcel),
            "can_decide": parcel.status == ParcelStatus.LISTED and may(user, Allocation, "add", parcel),
        },
    )


@login_required
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """出让决定: choose the winner among the scored applications and record the reasons and dates."""
    user = request.user
    parcel = _parcel(request, pk)
    if not may(user, Allocation, "add", parcel):
        raise Http404
    scored = applications_ranked(user=user, parcel=parcel).filter(rank__isnull=False)
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        applications=scored,
        initial={"winner": scored.first(), "price_wan": parcel.price_wan},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allocation_decide(
                parcel=parcel,
                winner=data["winner"],
                reasons=data["reasons"] or "",
                price_wan=data["price_wan"],
                contract_date=data["contract_date"],
                agreed_start_date=data["agreed_start_date"],
                agreed_completion_date=data["agreed_completion_date"],
                agreed_production_date=data["agreed_production_date"],
                actor=user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("出让决定已记录，承诺指标已生成"))
            return redirect("land:commitments", pk=parcel.pk)
    return render(request, "land/allocate.html", {"parcel": parcel, "form": form})


# -- commitments and verification --------------------------------------------------------------------------


@login_required
def commitments(request: HttpRequest, pk: int) -> HttpResponse:
    """承诺与核验: the holder's commitments, each with its review results and the actions they produced."""
    user = request.user
    parcel = _parcel(request, pk)
    rows = commitments_with_results(user=user, parcel=parcel)
    reviews = (
        Review.objects.restrict(user, "view")
        .filter(parcel=parcel)
        .select_related("reviewer")
        .order_by("-reviewed_on", "-sequence")
    )
    can_review = bool(rows) and may(user, Review, "add", parcel)
    return render(
        request,
        "land/commitments.html",
        {
            "parcel": parcel,
            "rows": rows,
            "reviews": reviews,
            "stages": [(s.value, s.label) for s in Stage] if can_review else [],
        },
    )


def _parsed(field: forms.Field, raw: Any) -> Any:
    try:
        return field.clean(raw)
    except ValidationError:
        return None


def _review_dates(raw: Any, today: date) -> tuple[date, int]:
    """The review day and data year a request asks for (defaults: today, and the year before the review)."""
    on = _parsed(forms.DateField(required=False), raw.get("reviewed_on")) or today
    year = _parsed(forms.IntegerField(required=False, min_value=2000, max_value=2100), raw.get("year"))
    return on, ReviewForm.data_year(on, year) or today.year - 1


@login_required
def review_new(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """A new 竣工/达产 review: each commitment due at the stage is pre-filled from the holder's reported data
    for the data year where the catalogue maps it (the source shown beside the field); the reviewer types the
    rest and may override. "读取申报数据" reloads the values for another data year."""
    user = request.user
    parcel = _parcel(request, pk)
    if stage not in Stage.values or not may(user, Review, "add", parcel):
        raise Http404
    due = list(
        Commitment.objects.restrict(user, "view")
        .filter(parcel=parcel, due_stage=stage, allocation__is_current=True)
        .select_related("indicator")
    )
    posted = request.method == "POST"
    raw = request.POST if posted else request.GET
    on, year = _review_dates(raw, timezone.localdate())
    reported = reported_values(user=user, parcel=parcel, commitments=due, year=year)
    if posted and raw.get("action") != "load":
        form = ReviewForm(request.POST, commitments=due, prefill=reported)
        if form.is_valid():
            if form.cleaned_data["year"] != year:
                year = form.cleaned_data["year"]
                reported = reported_values(user=user, parcel=parcel, commitments=due, year=year)
            try:
                services.review_record(
                    parcel=parcel,
                    stage=stage,
                    reviewed_on=form.cleaned_data["reviewed_on"],
                    measured=form.measured(),
                    reported=reported,
                    note=form.cleaned_data["note"] or "",
                    actor=user,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("核验结果已记录"))
                return redirect("land:commitments", pk=parcel.pk)
    else:
        initial = {"reviewed_on": on, "year": year, "note": raw.get("note", "")}
        form = ReviewForm(initial=initial, commitments=due, prefill=reported)
    context = {"parcel": parcel, "form": form, "stage": Stage(stage), "year": year, "reported": len(reported)}
    return render(request, "land/review_form.html", context)


# -- idle land and the park overview -----------------------------------------------------------------------


def _place(request: HttpRequest, places: Any) -> Territory | None:
    wanted = request.GET.get("territory", "").strip()
    if not wanted:
        return None
    found = places.filter(code=wanted).first()
    if found is None:
        raise Http404
    return found  # type: ignore[no-any-return]


@login_required
def idle_page(request: HttpRequest) -> HttpResponse:
    """闲置土地: parcels not started within the agreed period, per zone or park, with the steps due."""
    if not follows_parks(request.user):
        raise Http404
    places = parks_for(request.user)
    territory = _place(request, places)
    today = timezone.localdate()
    flags = idle_flags(user=request.user, as_of=today, territory=territory)
    return render(
        request,
        "land/idle.html",
        {"flags": flags, "places": places, "territory": territory, "today": today},
    )


@login_required
def park_page(request: HttpRequest) -> HttpResponse:
    """园区标准地概况: a park's figures computed from its parcels, decisions and commitments."""
    if not follows_parks(request.user):
        raise Http404
    places = parks_for(request.user)
    territory = _place(request, places) or places.filter(kind="park").first() or places.first()
    if territory is None:
        raise Http404
    try:
        threshold = Decimal(request.GET.get("threshold") or "150")
    except InvalidOperation:
        threshold = Decimal(150)
    overview = park_overview(user=request.user, territory=territory, threshold=threshold)
    return render(request, "land/park.html", {"overview": overview, "places": places, "territory": territory})


# -- declared CRUD -------------------------------------------------------------------------------------------


class ParcelViewSet(CrudViewSet):
    """Parcels: list, export, add, edit, delete, history; the detail is the parcel's dossier."""

    model = Parcel
    prefix = "land/parcels"
    filterset_class = ParcelFilterSet
    table_class = ParcelTable
    form_class = ParcelForm
    export_fields = [
        "code",
        "name",
        "location",
        "territory__name",
        "area_mu",
        "land_use",
        "status",
        "holder__name",
        "price_wan",
        "listed_on",
        "contract_date",
        "agreed_start_date",
        "actual_start_date",
        "agreed_completion_date",
        "agreed_production_date",
    ]
    api_fields = [
        "code",
        "name",
        "location",
        "territory",
        "area_mu",
        "land_use",
        "status",
        "holder",
        "scorecard",
        "price_wan",
        "listed_on",
        "contract_date",
        "agreed_start_date",
        "actual_start_date",
        "agreed_completion_date",
        "agreed_production_date",
        "note",
    ]
    api_read_only_fields = [
        "status",
        "holder",
        "scorecard",
        "listed_on",
        "contract_date",
        "agreed_start_date",
        "actual_start_date",
        "agreed_completion_date",
        "agreed_production_date",
    ]
    menu_label = gettext_lazy("地块")
    menu_group = GROUP
    menu_icon = "map"
    menu_order = 600
    create_service = staticmethod(services.parcel_create)
    update_service = staticmethod(services.parcel_update)

    @classmethod
    def urls(cls) -> list[URLPattern]:
        detail = path(f"{cls.prefix}/<int:pk>/", parcel_detail, name=cls.url_name("detail"))
        return [detail if p.name == cls.url_name("detail") else p for p in super().urls()]


class IndicatorDefinitionViewSet(CrudViewSet):
    model = IndicatorDefinition
    prefix = "land/indicators"
    filterset_class = IndicatorDefinitionFilterSet
    table_class = IndicatorDefinitionTable
    form_class = IndicatorDefinitionForm
    export_fields = [
        "code",
        "name",
        "unit",
        "direction",
        "due_stage",
        "application_field",
        "required",
        "sort_order",
        "is_active",
    ]
    menu_label = gettext_lazy("控制指标")
    menu_group = GROUP
    menu_icon = "rulers"
    menu_order = 660


class ScorecardViewSet(CrudViewSet):
    model = Scorecard
    prefix = "land/scorecards"
    filterset_class = ScorecardFilterSet
    table_class = ScorecardTable
    form_class = ScorecardForm
    export_fields = ["code", "name", "description", "is_active"]
    detail_fields = [*export_fields, "criteria"]
    menu_label = gettext_lazy("数据得地评分表")
    menu_group = GROUP
    menu_icon = "clipboard-data"
    menu_order = 665


class CriterionViewSet(CrudViewSet):
    model = Criterion
    prefix = "land/criteria"
    filterset_class = CriterionFilterSet
    table_class = CriterionTable
    form_class = CriterionForm
    export_fields = [
        "scorecard__name",
        "order",
        "name",
        "source",
        "weight",
        "method",
        "floor",
        "target",
        "bands",
    ]
    api_fields = ["scorecard", "order", "name", "source", "weight", "method", "floor", "target", "bands"]
    menu_label = gettext_lazy("评分项")
    menu_group = GROUP
    menu_icon = "list-ol"
    menu_order = 670
    create_service = staticmethod(services.criterion_create)
    update_service = staticmethod(services.criterion_update)


class ApplicationViewSet(CrudViewSet):
    model = Application
    prefix = "land/applications"
    filterset_class = ApplicationFilterSet
    table_class = ApplicationTable
    form_class = ApplicationForm
    export_fields = [
        "parcel__code",
        "applicant__name",
        "investor_name",
        "total_investment_wan",
        "expected_output_wan",
        "expected_tax_wan",
        "rd_intensity_pct",
        "chain_fit",
        "existing_band",
        "total_score",
        "rank",
        "scored_at",
    ]
    api_fields = [
        "parcel",
        "applicant",
        "investor_name",
        "total_investment_wan",
        "expected_output_wan",
        "expected_tax_wan",
        "rd_intensity_pct",
        "chain_fit",
        "existing_band",
        "note",
        "total_score",
        "rank",
        "trace",
        "scored_at",
    ]
    api_read_only_fields = ["total_score", "rank", "trace", "scored_at"]
    menu_label = gettext_lazy("用地申请")
    menu_group = GROUP
    menu_icon = "inbox"
    menu_order = 620
    create_service = staticmethod(services.application_create)
    update_service = staticmethod(services.application_update)


class AllocationViewSet(CrudViewSet):
    """Decisions are made on the parcel's decision form; this is their register."""

    model = Allocation
    prefix = "land/allocations"
    filterset_class = AllocationFilterSet
    table_class = AllocationTable
    actions = frozenset()
    export_fields = [
        "parcel__code",
        "winner__applicant__name",
        "winner__total_score",
        "reasons",
        "decided_by",
        "decided_at",
    ]
    api_fields = ["parcel", "winner", "reasons", "decided_by", "decided_at"]
    menu_label = gettext_lazy("出让决定")
    menu_group = GROUP
    menu_icon = "award"
    menu_order = 630


class CommitmentViewSet(CrudViewSet):
    model = Commitment
    prefix = "land/commitments"
    filterset_class = CommitmentFilterSet
    table_class = CommitmentTable
    actions = frozenset()
    export_fields = [
        "parcel__code",
        "enterprise__name",
        "indicator__name",
        "direction",
        "control_value",
        "value",
        "unit",
        "due_stage",
        "due_date",
    ]
    api_fields = [
        "parcel",
        "enterprise",
        "indicator",
        "direction",
        "control_value",
        "value",
        "unit",
        "due_stage",
        "due_date",
    ]
    menu_label = gettext_lazy("承诺指标")
    menu_group = GROUP
    menu_icon = "pen"
    menu_order = 640


class ReviewViewSet(CrudViewSet):
    model = Review
    prefix = "land/reviews"
    filterset_class = ReviewFilterSet
    table_class = ReviewTable
    actions = frozenset()
    export_fields = ["parcel__code", "stage", "sequence", "reviewed_on", "reviewer", "note"]
    detail_fields = [*export_fields, "results"]
    api_fields = ["parcel", "stage", "sequence", "reviewed_on", "reviewer", "note"]
    menu_label = gettext_lazy("履约核验")
    menu_group = GROUP
    menu_icon = "clipboard-check"
    menu_order = 645


class RemedyRuleViewSet(CrudViewSet):
    model = RemedyRule
    prefix = "land/remedy-rules"
    filterset_class = RemedyRuleFilterSet
    table_class = RemedyRuleTable
    form_class = RemedyRuleForm
    export_fields = [
        "name",
        "stage",
        "min_shortfall_pct",
        "max_shortfall_pct",
        "min_failures",
        "kind",
        "rectify_months",
        "penalty_rate",
        "sort_order",
        "is_active",
    ]
    menu_label = gettext_lazy("处置规则")
    menu_group = GROUP
    menu_icon = "sliders"
    menu_order = 675


class RemedyActionViewSet(CrudViewSet):
    """The remedies list (处置事项): exportable; the status is kept up to date on the edit form."""

    model = RemedyAction
    prefix = "land/remedies"
    filterset_class = RemedyActionFilterSet
    table_class = RemedyActionTable
    form_class = RemedyActionForm
    actions = frozenset({"change"})
    export_fields = [
        "parcel__code",
        "enterprise__name",
        "kind",
        "description",
        "amount_wan",
        "due_date",
        "status",
        "status_note",
        "rule__name",
    ]
    api_fields = [
        "result",
        "rule",
        "parcel",
        "enterprise",
        "kind",
        "description",
        "amount_wan",
        "due_date",
        "status",
        "status_note",
    ]
    api_read_only_fields = [
        "result",
        "rule",
        "parcel",
        "enterprise",
        "kind",
        "description",
        "amount_wan",
        "due_date",
    ]
    menu_label = gettext_lazy("处置事项")
    menu_group = GROUP
    menu_icon = "exclamation-triangle"
    menu_order = 650
    update_service = staticmethod(services.remedy_action_update)


DECLARED: list[type[CrudViewSet]] = [
    ParcelViewSet,
    ApplicationViewSet,
    AllocationViewSet,
    CommitmentViewSet,
    ReviewViewSet,
    RemedyActionViewSet,
    IndicatorDefinitionViewSet,
    ScorecardViewSet,
    CriterionViewSet,
    RemedyRuleViewSet,
]
