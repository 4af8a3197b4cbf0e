"""Rules of 标准地 and 数据得地: parcels and their status, control indicators and listing, scorecards,
applications and their scoring, the allocation decision with the holder's commitments, verification
reviews and the remedy actions they produce."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit, crud
from kunlu.core.audit import acting_user as _user
from kunlu.core.formatting import round_half_up
from kunlu.core.services import refusal as _error
from kunlu.land import rules
from kunlu.land.choices import (
    AWARDED,
    CATEGORICAL_SOURCES,
    CLOSED,
    TRANSITIONS,
    ActionStatus,
    Band,
    ChainFit,
    Direction,
    MeasuredSource,
    Method,
    ParcelStatus,
    RemedyKind,
    SourceField,
    Stage,
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
    ReviewResult,
    Scorecard,
)
from kunlu.land.selectors import Reported

FULL_WEIGHT = Decimal(100)
POINTS_PLACES = Decimal("0.01")


def _label(status: str) -> str:
    return str(ParcelStatus(status).label)


# -- parcels ---------------------------------------------------------------------------------------------


def _check_parcel_data(data: Mapping[str, Any]) -> None:
    area = data.get("area_mu")
    if area is not None and Decimal(area) <= 0:
        raise _error("area_mu", _("面积（亩）必须大于0"), "area_not_positive")
    price = data.get("price_wan")
    if price is not None and Decimal(price) < 0:
        raise _error("price_wan", _("出让价款（万元）不能为负数"), "price_negative")


PARCEL_EDITABLE = ("code", "name", "location", "territory", "area_mu", "land_use", "price_wan", "note")
"""What the declared form edits; status, holder and dates change only through the services below."""


@transaction.atomic
def parcel_create(*, model: type[Model] = Parcel, data: Mapping[str, Any], actor: Any) -> Parcel:
    """Register a parcel in the land reserve (储备)."""
    _check_parcel_data(data)
    plain = {k: v for k, v in data.items() if k in PARCEL_EDITABLE}
    parcel: Parcel = crud.record_create(
        model=Parcel, data={**plain, "status": ParcelStatus.RESERVE}, actor=actor
    )
    return parcel


@transaction.atomic
def parcel_update(*, obj: Parcel, data: Mapping[str, Any], actor: Any) -> Parcel:
    """Change a parcel's description; its area is fixed once it is listed (the standard is set on it)."""
    _check_parcel_data(data)
    plain = {k: v for k, v in data.items() if k in PARCEL_EDITABLE}
    if obj.status != ParcelStatus.RESERVE and "area_mu" in plain and Decimal(plain["area_mu"]) != obj.area_mu:
        raise _error("area_mu", _("地块已挂牌或出让，面积（亩）不能再修改"), "area_locked")
    return crud.record_update(obj=obj, data=plain, actor=actor)


def _check_listing(parcel: Parcel) -> None:
    if parcel.scorecard is None:
        raise _error("scorecard", _("挂牌前须选定数据得地评分表"), "scorecard_missing")
    scorecard_check(scorecard=parcel.scorecard)
    have = set(parcel.control_values.values_list("indicator_id", flat=True))
    missing = [
        d.name for d in IndicatorDefinition.objects.filter(is_active=True, required=True) if d.pk not in have
    ]
    if missing:
        raise _error(
            "control_values",
            _("挂牌前须设定控制指标：%(names)s") % {"names": "、".join(missing)},
            "indicators_missing",
        )


@transaction.atomic
def parcel_transition(*, parcel: Parcel, to: str, on: date | None = None, actor: Any) -> Parcel:
    """Move a parcel to another status (挂牌, 撤牌, 开工, 投产, 认定闲置, 收回) when the rules allow it."""
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    old = parcel.status
    if to not in TRANSITIONS.get(old, frozenset()):
        raise _error(
            "status",
            _("地块状态不能由“%(old)s”变为“%(new)s”") % {"old": _label(old), "new": _label(to)},
            "transition_refused",
        )
    if to == ParcelStatus.SOLD:
        raise _error("status", _("出让须通过数据得地出让决定办理"), "allocation_required")
    fields = ["status"]
    if to == ParcelStatus.LISTED:
        _check_listing(parcel)
        parcel.listed_on = on or timezone.localdate()
        fields.append("listed_on")
    elif to == ParcelStatus.BUILDING and parcel.actual_start_date is None:
        if on is None:
            raise _error("actual_start_date", _("登记开工须填写实际开工日期"), "start_date_required")
        if parcel.contract_date and on < parcel.contract_date:
            raise _error("actual_start_date", _("实际开工日期早于合同签订日期"), "date_order")
        parcel.actual_start_date = on
        fields.append("actual_start_date")
    elif to == ParcelStatus.RESERVE and old == ParcelStatus.IDLE:
        fields += _recover(parcel, actor=actor)
    parcel.status = to
    parcel.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "land.parcel.transition", obj=parcel, actor=_user(actor), data={"from": old, "to": to, "on": on}
    )
    return parcel


RECOVERED_FIELDS = (
    "holder",
    "price_wan",
    "contract_date",
    "agreed_start_date",
    "actual_start_date",
    "agreed_completion_date",
    "agreed_production_date",
    "listed_on",
)
"""What 收回 clears: the former holder's contract. The parcel's history keeps them."""


def _recover(parcel: Parcel, *, actor: Any) -> list[str]:
    """收回: the land returns to the reserve without its former holder's contract; the allocation decision
    and that round's applications stay as history, so the parcel can be listed and allocated again."""
    for name in RECOVERED_FIELDS:
        setattr(parcel, name, None)
    for allocation in parcel.allocations.filter(is_current=True):
        allocation.is_current = False
        allocation.save(update_fields=["is_current", "updated_at"])
    for application in parcel.applications.filter(is_current=True):
        application.is_current = False
        application.save(update_fields=["is_current", "updated_at"])
    return list(RECOVERED_FIELDS)


@transaction.atomic
def parcel_indicators_set(
    *, parcel: Parcel, values: Mapping[IndicatorDefinition, Decimal | None], actor: Any
) -> Parcel:
    """Set the parcel's 标准地 control indicators (before it is listed); an empty value removes one."""
    if parcel.status != ParcelStatus.RESERVE:
        raise _error("control_values", _("控制指标只能在挂牌前设定"), "indicators_locked")
    changed: dict[str, Any] = {}
    for definition, value in values.items():
        if value is None:
            if parcel.control_values.filter(indicator=definition).delete()[0]:
                changed[definition.code] = None
            continue
        if value < 0:
            raise _error(
                definition.code, _("%(name)s不能为负数") % {"name": definition.name}, "value_negative"
            )
        row, created = ParcelIndicator.objects.get_or_create(
            parcel=parcel, indicator=definition, defaults={"value": value}
        )
        if created or row.value != value:
            row.value = value
            row.save()
            changed[definition.code] = value
    audit.record("land.parcel.indicators", obj=parcel, actor=_user(actor), data={"changed": changed})
    return parcel


@transaction.atomic
def parcel_list(*, parcel: Parcel, scorecard: Scorecard, listed_on: date, actor: Any) -> Parcel:
    """List a parcel as 标准地 (挂牌) with its control indicators and the scorecard applicants face."""
    if parcel.status == ParcelStatus.RESERVE and parcel.scorecard_id != scorecard.pk:
        parcel.scorecard = scorecard
        parcel.save(update_fields=["scorecard", "updated_at"])
    return parcel_transition(parcel=parcel, to=ParcelStatus.LISTED, on=listed_on, actor=actor)


# -- scorecards ------------------------------------------------------------------------------------------


def scorecard_check(*, scorecard: Scorecard) -> None:
    """Refuse a scorecard whose weights do not sum to 100."""
    total = scorecard.criteria.aggregate(total=Sum("weight"))["total"] or Decimal(0)
    if total != FULL_WEIGHT:
        raise _error(
            "weight",
            _("评分表“%(name)s”各项权重之和为%(total)s，应为100") % {"name": scorecard.name, "total": total},
            "weights_sum",
        )


def _check_criterion(data: Mapping[str, Any]) -> None:
    weight = data.get("weight")
    if weight is None or Decimal(weight) <= 0:
        raise _error("weight", _("权重（分）必须大于0"), "weight_not_positive")
    method, source = data.get("method"), data.get("source")
    categorical = source in CATEGORICAL_SOURCES
    if categorical != (method == Method.CATEGORICAL):
        raise _error(
            "method",
            _("产业链契合度、现有亩均评价等级须按类别计分，其他数据不能按类别计分"),
            "method_mismatch",
        )
    if method == Method.LINEAR:
        floor, target = data.get("floor"), data.get("target")
        if floor is None or target is None:
            raise _error("target", _("线性计分须填写下限和目标值"), "bounds_required")
        if floor == target:
            raise _error("target", _("目标值不能等于下限"), "floor_equals_target")
        return
    bands = data.get("bands") or []
    key = "label" if method == Method.CATEGORICAL else "min"
    if not isinstance(bands, list) or not bands:
        raise _error("bands", _("分档或按类别计分须填写分档"), "bands_required")
    for n, band in enumerate(bands, start=1):
        try:
            points = Decimal(str(band["points"]))
            if key == "min":
                Decimal(str(band["min"]))
            else:
                str(band["label"])
        except (KeyError, TypeError, ArithmeticError):
            raise _error(
                "bands",
                _("分档第%(n)s档格式不正确，应含 %(key)s 和 points") % {"n": n, "key": key},
                "band_invalid",
            ) from None
        if points < 0 or points > Decimal(weight):
            raise _error("bands", _("分档第%(n)s档的分值应在0至权重之间") % {"n": n}, "band_points_exceed")


@transaction.atomic
def criterion_create(*, model: type[Model] = Criterion, data: Mapping[str, Any], actor: Any) -> Criterion:
    """Add a criterion to a scorecard."""
    _check_criterion(data)
    criterion: Criterion = crud.record_create(model=Criterion, data=dict(data), actor=actor)
    return criterion


@transaction.atomic
def criterion_update(*, obj: Criterion, data: Mapping[str, Any], actor: Any) -> Criterion:
    """Change a criterion of a scorecard."""
    merged = {f: getattr(obj, f) for f in ("weight", "method", "source", "floor", "target", "bands")}
    _check_criterion({**merged, **data})
    return crud.record_update(obj=obj, data=dict(data), actor=actor)


# -- applications and scoring ----------------------------------------------------------------------------


APPLICATION_FIELDS = (
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
)
DECLARED_AMOUNTS = ("total_investment_wan", "expected_output_wan", "expected_tax_wan", "rd_intensity_pct")


def _check_application(data: Mapping[str, Any]) -> None:
    parcel = data.get("parcel")
    if parcel is None or parcel.status != ParcelStatus.LISTED:
        raise _error("parcel", _("只能申请已挂牌的地块"), "not_listed")
    applicant, investor = data.get("applicant"), (data.get("investor_name") or "").strip()
    if applicant is None and not investor:
        raise _error("applicant", _("请选择申请企业或填写新投资方名称"), "applicant_missing")
    if applicant is not None and applicant.kind != OrganisationKind.ENTERPRISE:
        raise _error("applicant", _("申请企业须为企业"), "not_enterprise")
    for name in DECLARED_AMOUNTS:
        value = data.get(name)
        if value is not None and Decimal(value) < 0:
            label = getattr(Application._meta.get_field(name), "verbose_name", name)
            raise _error(name, _("%(field)s不能为负数") % {"field": label}, "value_negative")


@transaction.atomic
def application_create(
    *, model: type[Model] = Application, data: Mapping[str, Any], actor: Any
) -> Application:
    """Record an application for a listed parcel with the applicant's declared figures."""
    _check_application(data)
    plain = {k: v for k, v in data.items() if k in APPLICATION_FIELDS}
    application: Application = crud.record_create(model=Application, data=plain, actor=actor)
    return application


@transaction.atomic
def application_update(*, obj: Application, data: Mapping[str, Any], actor: Any) -> Application:
    """Correct an application while its parcel is listed; a changed application must be scored again."""
    merged = {f: getattr(obj, f) for f in APPLICATION_FIELDS}
    merged.update(data)
    if not obj.is_current:
        raise _error("parcel", _("该申请属于地块收回前的一轮，不能再修改"), "application_closed")
    _check_application(merged)
    plain = {k: v for k, v in data.items() if k in APPLICATION_FIELDS}
    plain.update({"total_score": None, "rank": None, "trace": [], "scored_at": None})
    return crud.record_update(obj=obj, data=plain, actor=actor)


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _category_label(source: str, code: str) -> str:
    choices = ChainFit if source == SourceField.CHAIN_FIT else Band
    return str(choices(code).label) if code in choices.values else code


def _score_one(application: Application, criteria: list[Criterion]) -> tuple[Decimal, list[dict[str, Any]]]:
    total = Decimal(0)
    trace: list[dict[str, Any]] = []
    for c in criteria:
        raw = application.declared(c.source)
        if c.method == Method.CATEGORICAL:
            got = rules.categorical_points(str(raw), weight=c.weight, bands=c.bands)
            shown, band = _category_label(c.source, str(raw)), ""
        else:
            if c.method == Method.BANDED:
                got = rules.banded_points(Decimal(raw), weight=c.weight, bands=c.bands)
            else:
                assert c.floor is not None and c.target is not None
                got = rules.linear_points(Decimal(raw), weight=c.weight, floor=c.floor, target=c.target)
            shown, band = str(Decimal(raw).quantize(POINTS_PLACES)), got.note
        points = got.points.quantize(POINTS_PLACES)
        total += points
        trace.append(
            {
                "criterion": c.name,
                "source": c.source,
                "value": shown,
                "method": c.method,
                "floor": _plain(c.floor),
                "target": _plain(c.target),
                "band": band,
                "weight": _plain(c.weight),
                "fraction": str(got.fraction.quantize(Decimal("0.0001"))),
                "points": str(points),
            }
        )
    return total, trace


@transaction.atomic
def applications_score(*, parcel: Parcel, actor: Any) -> list[Application]:
    """Score every application for a listed parcel by its scorecard and rank them (ties: earlier first)."""
    if parcel.status != ParcelStatus.LISTED:
        raise _error("parcel", _("只有挂牌中的地块才能评分"), "not_listed")
    if parcel.scorecard is None:
        raise _error("scorecard", _("地块未选定评分表"), "scorecard_missing")
    scorecard_check(scorecard=parcel.scorecard)
    criteria = list(parcel.scorecard.criteria.all())
    applications = list(
        parcel.applications.filter(is_current=True)
        .select_related("parcel", "applicant")
        .order_by("created_at", "id")
    )
    if not applications:
        raise _error("parcel", _("该地块尚无用地申请"), "no_applications")
    now = timezone.now()
    for application in applications:
        application.total_score, application.trace = _score_one(application, criteria)
        application.scored_at = now
    ranked = sorted(applications, key=lambda a: -(a.total_score or 0))  # stable: ties keep the earlier
    for rank, application in enumerate(ranked, start=1):
        application.rank = rank
        application.save(update_fields=["total_score", "trace", "scored_at", "rank", "updated_at"])
    audit.record(
        "land.application.score",
        obj=parcel,
        actor=_user(actor),
        data={
            "scorecard": parcel.scorecard.code,
            "ranking": [[a.pk, a.applicant_label, str(a.total_score)] for a in ranked],
        },
    )
    return ranked


# -- allocation and commitments --------------------------------------------------------------------------


def _commitment_value(definition: IndicatorDefinition, control: Decimal, winner: Application) -> Decimal:
    """The standard, or the winner's declared figure where it promises better (its 承诺书 holds it to it)."""
    if not definition.application_field:
        return control
    declared = Decimal(winner.declared(definition.application_field))
    better = declared > control if definition.direction == Direction.GTE else declared < control
    return declared.quantize(Decimal("0.0001")) if better else control


@transaction.atomic
def allocation_decide(
    *,
    parcel: Parcel,
    winner: Application,
    reasons: str,
    price_wan: Decimal | None,
    contract_date: date,
    agreed_start_date: date,
    agreed_completion_date: date,
    agreed_production_date: date,
    actor: Any,
) -> Allocation:
    """Award a listed parcel to a scored applicant (出让决定): the holder, the contract dates and the
    holder's commitments, one per control indicator."""
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if parcel.status != ParcelStatus.LISTED:
        raise _error("parcel", _("只有挂牌中的地块才能作出出让决定"), "not_listed")
    if winner.parcel_id != parcel.pk:
        raise _error("winner", _("中选申请不是该地块的申请"), "wrong_parcel")
    if winner.rank is None or not winner.is_current:
        raise _error("winner", _("申请尚未评分，请先评分排序"), "not_scored")
    unscored = parcel.applications.filter(is_current=True, rank__isnull=True).count()
    if unscored:
        raise _error(
            "winner",
            _("有%(n)s件申请在评分后新增或修改，尚未评分；请重新评分排序后再作出出让决定") % {"n": unscored},
            "ranking_stale",
        )
    if winner.applicant is None:
        raise _error(
            "winner",
            _("中选投资方“%(name)s”尚未登记为企业") % {"name": winner.investor_name},
            "applicant_unregistered",
        )
    if not reasons.strip():
        raise _error("reasons", _("请填写决定理由"), "reasons_required")
    if price_wan is not None and price_wan < 0:
        raise _error("price_wan", _("出让价款（万元）不能为负数"), "price_negative")
    if not (contract_date <= agreed_start_date <= agreed_completion_date <= agreed_production_date):
        raise _error(
            "agreed_start_date",
            _("日期须依次为：合同签订 ≤ 约定开工 ≤ 约定竣工 ≤ 约定达产"),
            "date_order",
        )
    holder: Organisation = winner.applicant
    allocation = Allocation.objects.create(
        parcel=parcel,
        winner=winner,
        reasons=reasons.strip(),
        decided_by=_user(actor),
        decided_at=timezone.now(),
    )
    parcel.status = ParcelStatus.SOLD
    parcel.holder = holder
    if price_wan is not None:
        parcel.price_wan = price_wan
    parcel.contract_date = contract_date
    parcel.agreed_start_date = agreed_start_date
    parcel.agreed_completion_date = agreed_completion_date
    parcel.agreed_production_date = agreed_production_date
    parcel.save()
    due = {Stage.COMPLETION: agreed_completion_date, Stage.PRODUCTION: agreed_production_date}
    for control in parcel.control_values.select_related("indicator"):
        definition = control.indicator
        Commitment.objects.create(
            allocation=allocation,
            parcel=parcel,
            enterprise=holder,
            indicator=definition,
            control_value=control.value,
            value=_commitment_value(definition, control.value, winner),
            unit=definition.unit,
            direction=definition.direction,
            due_stage=definition.due_stage,
            due_date=due[Stage(definition.due_stage)],
        )
    audit.record(
        "land.allocation.decide",
        obj=allocation,
        actor=_user(actor),
        data={
            "parcel": parcel.code,
            "winner": winner.pk,
            "holder": holder.name,
            "score": winner.total_score,
            "rank": winner.rank,
            "reasons": allocation.reasons,
        },
    )
    return allocation


# -- verification and remedies ---------------------------------------------------------------------------


def _shortfall_text(commitment: Commitment, pct: Decimal) -> str:
    """How far the measured value missed the commitment, one decimal rounded half up: 低于承诺值20.0% for
    an indicator to reach (≥), 高于承诺值20.0% for one to stay under (≤)."""
    shown = f"{round_half_up(pct, 1):f}%"
    if commitment.direction == Direction.LTE:
        return _("高于承诺值%(pct)s") % {"pct": shown}
    return _("低于承诺值%(pct)s") % {"pct": shown}


def _actions_for(result: ReviewResult, review: Review, parcel: Parcel) -> list[RemedyAction]:
    pct = result.shortfall * 100
    made = []
    active = RemedyRule.objects.filter(is_active=True).order_by("sort_order", "id")
    kinds: set[str] = set()
    for rule in active:
        if (rule.stage and rule.stage != review.stage) or rule.kind in kinds:
            continue  # one action of each kind per result, the first rule in order giving it
        if not rules.rule_applies(
            shortfall_pct=pct,
            failures=result.failures,
            min_pct=rule.min_shortfall_pct,
            max_pct=rule.max_shortfall_pct,
            min_failures=rule.min_failures,
        ):
            continue
        amount = None
        due = None
        name = result.commitment.indicator.name
        shown = _shortfall_text(result.commitment, pct)
        if rule.kind == RemedyKind.PENALTY:
            amount = rules.penalty(
                price_wan=parcel.price_wan or Decimal(0),
                shortfall_share=result.shortfall,
                rate=rule.penalty_rate or Decimal(1),
            )
            text = _("%(name)s%(pct)s，按合同收取违约金") % {"name": name, "pct": shown}
        elif rule.kind == RemedyKind.RECTIFY:
            months = rule.rectify_months or 0
            due = rules.add_months(review.reviewed_on, months)
            text = _("%(name)s%(pct)s，限期%(m)s个月整改") % {"name": name, "pct": shown, "m": months}
        else:
            text = _("%(name)s%(pct)s（累计未达标%(n)s次），启动回购或收回土地") % {
                "name": name,
                "pct": shown,
                "n": result.failures,
            }
        kinds.add(rule.kind)
        made.append(
            RemedyAction.objects.create(
                result=result,
                rule=rule,
                parcel=parcel,
                enterprise=result.commitment.enterprise,
                kind=rule.kind,
                description=text,
                amount_wan=amount,
                due_date=due,
            )
        )
    return made


def _measured_source(value: Decimal, reported: Reported | None) -> tuple[str, str]:
    """Where a measured value came from: reported data when it is the value computed from them, else typed
    (an override keeps the reported value it replaced, for the record)."""
    if reported is None:
        return MeasuredSource.TYPED, ""
    if value == reported.value:
        return MeasuredSource.REPORTED, reported.source_text[:300]
    text = _("核验人改填；申报数据计算值为%(value)s（%(how)s）") % {
        "value": f"{reported.value.normalize():f}",
        "how": reported.source_text,
    }
    return MeasuredSource.TYPED, text[:300]


@transaction.atomic
def review_record(
    *,
    parcel: Parcel,
    stage: str,
    reviewed_on: date,
    measured: Mapping[int, Decimal | None],
    reported: Mapping[int, Reported] | None = None,
    note: str = "",
    actor: Any,
) -> Review:
    """Record a 竣工 or 达产 review: each commitment due at the stage is met or not, with its shortfall, and
    the remedy rules give the actions to take. A re-review is a new record; none is ever overwritten.

    `reported` holds the values computed from the holder's reported data (selectors.reported_values): a
    measured value equal to it is recorded as taken from reported data, with how it was computed; any other
    value (typed, or a reported value the reviewer overrode) is recorded as typed."""
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    current = parcel.commitments.filter(allocation__is_current=True)
    if parcel.status not in AWARDED or not current.exists():
        raise _error("parcel", _("地块尚未出让，没有可核验的承诺"), "not_awarded")
    if reviewed_on > timezone.localdate():
        raise _error("reviewed_on", _("核验日期不能晚于今天"), "future_date")
    commitments = list(current.filter(due_stage=stage).select_related("indicator", "enterprise"))
    if not commitments:
        raise _error("stage", _("该阶段没有需要核验的承诺"), "no_commitments")
    for c in commitments:
        value = measured.get(c.pk)
        if value is None:
            raise _error(
                f"m_{c.pk}", _("请填写%(name)s的实测值") % {"name": c.indicator.name}, "measured_missing"
            )
        if value < 0:
            raise _error(
                f"m_{c.pk}", _("%(name)s的实测值不能为负数") % {"name": c.indicator.name}, "measured_negative"
            )
    sequence = (parcel.reviews.filter(stage=stage).count()) + 1
    review = Review.objects.create(
        parcel=parcel,
        stage=stage,
        sequence=sequence,
        reviewed_on=reviewed_on,
        reviewer=_user(actor),
        note=note,
        enterprise=commitments[0].enterprise,
    )
    summary = []
    for c in commitments:
        value = measured[c.pk]
        assert value is not None
        share = rules.shortfall(committed=c.value, measured=value, at_least=c.direction == Direction.GTE)
        met = share == 0
        before = ReviewResult.objects.filter(commitment=c, met=False).count()
        source, source_text = _measured_source(value, (reported or {}).get(c.pk))
        result = ReviewResult.objects.create(
            review=review,
            commitment=c,
            measured=value,
            met=met,
            shortfall=share.quantize(Decimal("0.000001")),
            failures=before + (0 if met else 1),
            source=source,
            source_text=source_text,
        )
        actions = [] if met else _actions_for(result, review, parcel)
        summary.append(
            [c.indicator.code, str(value), met, str(result.shortfall), [a.kind for a in actions], source]
        )
    audit.record(
        "land.review.record",
        obj=review,
        actor=_user(actor),
        data={"parcel": parcel.code, "stage": stage, "sequence": sequence, "results": summary},
    )
    return review


ACTION_EDITABLE = ("status", "status_note")


@transaction.atomic
def remedy_action_update(*, obj: RemedyAction, data: Mapping[str, Any], actor: Any) -> RemedyAction:
    """Record how a remedy action stands (办理中, 已完成, 已免除); a closed action stays closed."""
    if obj.status in CLOSED and data.get("status", obj.status) != obj.status:
        raise _error("status", _("已办结的处置事项不能再改变状态"), "action_closed")
    status = data.get("status", obj.status)
    if status == ActionStatus.WAIVED and not (data.get("status_note") or "").strip():
        raise _error("status_note", _("免除处置须填写办理说明"), "note_required")
    plain = {k: v for k, v in data.items() if k in ACTION_EDITABLE}
    return crud.record_update(obj=obj, data=plain, actor=actor)


# -- defaults --------------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_install_defaults(*, actor: Any) -> int:
    """Write the default control indicators, example scorecard and remedy rules that are missing."""
    from kunlu.land import catalogue

    made = 0
    for order, (code, name, unit, direction, stage, field, required) in enumerate(catalogue.INDICATORS):
        if not IndicatorDefinition.objects.filter(code=code).exists():
            crud.record_create(
                model=IndicatorDefinition,
                data={
                    "code": code,
                    "name": name,
                    "unit": unit,
                    "direction": direction,
                    "due_stage": stage,
                    "application_field": field,
                    "required": required,
                    "sort_order": order,
                },
                actor=actor,
            )
            made += 1
    code, name, description = catalogue.SCORECARD
    if not Scorecard.objects.filter(code=code).exists():
        scorecard = crud.record_create(
            model=Scorecard, data={"code": code, "name": name, "description": description}, actor=actor
        )
        for order, (cname, source, weight, method, floor, target, bands) in enumerate(catalogue.CRITERIA):
            criterion_create(
                data={
                    "scorecard": scorecard,
                    "order": order,
                    "name": cname,
                    "source": source,
                    "weight": Decimal(weight),
                    "method": method,
                    "floor": None if floor is None else Decimal(floor),
                    "target": None if target is None else Decimal(target),
                    "bands": bands,
                },
                actor=actor,
            )
        made += 1
    for order, (rname, low, high, failures, kind, months, rate) in enumerate(catalogue.REMEDY_RULES):
        if not RemedyRule.objects.filter(name=rname).exists():
            crud.record_create(
                model=RemedyRule,
                data={
                    "name": rname,
                    "min_shortfall_pct": Decimal(low),
                    "max_shortfall_pct": None if high is None else Decimal(high),
                    "min_failures": failures,
                    "kind": kind,
                    "rectify_months": months,
                    "penalty_rate": rate,
                    "sort_order": order,
                },
                actor=actor,
            )
            made += 1
    return made
