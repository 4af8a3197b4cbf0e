"""Rules of S2: leads and their follow-ups, signing, projects and their phases, stage dates, investment plans
and monthly actuals, and the changes log. Alerts are computed in `kunlu.projects.alerts`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit, crud
from kunlu.core.audit import acting_user as _user
from kunlu.core.formatting import plain
from kunlu.core.models import ImportBatch, Period, Territory
from kunlu.core.services import refusal as _error
from kunlu.projects.alerts import findings_for, rule_check
from kunlu.projects.choices import (
    OPEN_STAGES,
    STAGES,
    ActualSource,
    AlertLevel,
    Currency,
    LeadStage,
    ProjectStatus,
    Stage,
)
from kunlu.projects.models import (
    Alert,
    AlertRule,
    AlertRuleSet,
    AlertRun,
    InvestmentActual,
    InvestmentPlan,
    InvestmentPlanMonth,
    Lead,
    LeadFollowUp,
    Project,
    ProjectChange,
    ProjectStage,
    SigningEvent,
)

# Changes of these fields are logged with their reason (scope, investment, status, phase).
TRACKED_FIELDS = (
    "name",
    "content",
    "total_investment",
    "currency",
    "status",
    "territory",
    "enterprise",
    "signed_on",
    "project_type",
    "registered_fdi",
    "paid_in_fdi",
)
REASON_FIELD = "change_reason"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _log_change(project: Project, label: str, old: Any, new: Any, reason: str, actor: Any) -> None:
    ProjectChange.objects.create(
        project=project,
        field=label,
        old_value=_shown(old)[:300],
        new_value=_shown(new)[:300],
        reason=reason,
        changed_by=_user(actor),
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _error(REASON_FIELD, _("变更须填写变更原因"), "reason_required")
    return reason


# -- leads -----------------------------------------------------------------------------------------------


@transaction.atomic
def lead_create(*, model: type[Lead] = Lead, data: Mapping[str, Any], actor: Any) -> Lead:
    """Open a lead; it starts at 线索 unless told otherwise (never past 谈判: signing is its own step)."""
    fields = dict(data)
    stage = fields.setdefault("stage", LeadStage.LEAD)
    if stage not in OPEN_STAGES:
        raise _error("stage", _("新线索的阶段只能是线索、接洽、考察或谈判"), "stage_invalid")
    fields.setdefault("stage_changed_on", timezone.localdate())
    return crud.record_create(model=Lead, data=fields, actor=actor)


@transaction.atomic
def lead_update(*, obj: Lead, data: Mapping[str, Any], actor: Any) -> Lead:
    """Change a lead's particulars; its stage moves only through follow-ups, signing or termination."""
    fields = {k: v for k, v in data.items() if k not in ("stage", "termination_reason", "stage_changed_on")}
    return crud.record_update(obj=obj, data=fields, actor=actor)


@transaction.atomic
def lead_follow_up(
    *,
    lead: Lead,
    happened_on: date,
    content: str,
    stage: str | None = None,
    next_action: str = "",
    next_action_on: date | None = None,
    actor: Any,
) -> LeadFollowUp:
    """Log a contact with the investor, move the lead to the stage it left it in, set the next step."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.stage not in OPEN_STAGES:
        raise _error(
            "stage",
            _("线索已“%(stage)s”，不能再跟进") % {"stage": lead.get_stage_display()},
            "lead_closed",
        )
    stage = stage or lead.stage
    if stage not in OPEN_STAGES:
        raise _error("stage", _("签约与终止请使用“签约”“终止”操作"), "stage_invalid")
    if not content.strip():
        raise _error("content", _("请填写跟进情况"), "content_required")
    if happened_on > timezone.localdate():
        raise _error("happened_on", _("跟进日期不能晚于今天"), "date_future")
    if next_action_on is not None and next_action_on < happened_on:
        raise _error("next_action_on", _("下次跟进日期不能早于本次跟进日期"), "next_before_now")
    follow_up = LeadFollowUp.objects.create(
        lead=lead,
        happened_on=happened_on,
        author=_user(actor),
        content=content.strip(),
        stage=stage,
        next_action=next_action,
        next_action_on=next_action_on,
    )
    if stage != lead.stage:
        lead.stage = stage
        lead.stage_changed_on = happened_on
    lead.next_action = next_action
    lead.next_action_on = next_action_on
    lead.save(update_fields=["stage", "stage_changed_on", "next_action", "next_action_on", "updated_at"])
    audit.record("projects.lead.follow_up", obj=lead, actor=actor, data={"stage": stage, "on": happened_on})
    return follow_up


@transaction.atomic
def lead_terminate(*, lead: Lead, reason: str, actor: Any) -> Lead:
    """End a lead before signing (终止), with its reason."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.stage not in OPEN_STAGES:
        raise _error(
            "stage", _("线索已“%(stage)s”，不能终止") % {"stage": lead.get_stage_display()}, "lead_closed"
        )
    if not reason.strip():
        raise _error("termination_reason", _("终止线索须填写终止原因"), "reason_required")
    lead.stage = LeadStage.TERMINATED
    lead.stage_changed_on = timezone.localdate()
    lead.termination_reason = reason.strip()
    lead.next_action_on = None
    lead.save()
    audit.record("projects.lead.terminate", obj=lead, actor=actor, data={"reason": lead.termination_reason})
    return lead


# -- projects --------------------------------------------------------------------------------------------


def _next_code(territory_code: str, year: int) -> str:
    prefix = f"{territory_code}-{year}-"
    taken = Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    serials = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:03d}"


def _check_project(fields: dict[str, Any], current: Project | None = None) -> None:
    enterprise: Organisation | None = fields.get("enterprise")
    if enterprise is not None and enterprise.kind != OrganisationKind.ENTERPRISE:
        raise _error("enterprise", _("“%(name)s”不是企业") % {"name": enterprise.name}, "not_enterprise")
    first: Project | None = fields.get("first_phase")
    if first is None:
        return
    if current is not None and first.pk == current.pk:
        raise _error("first_phase", _("项目不能是自己的一期项目"), "phase_self")
    if first.first_phase_id is not None:
        raise _error(
            "first_phase",
            _("“%(name)s”本身是后续期次，请选择其一期项目") % {"name": first.name},
            "phase_not_first",
        )
    if enterprise is not None and first.enterprise_id not in (None, enterprise.pk):
        raise _error("first_phase", _("后续期次须与一期项目属于同一企业"), "phase_enterprise")


@transaction.atomic
def project_create(*, model: type[Project] = Project, data: Mapping[str, Any], actor: Any) -> Project:
    """Register a project with its six stages (dates empty); later phases get the next phase number. A lead
    becomes a project by signing it (`project_sign`), so an open lead is refused here."""
    lead = data.get("lead")
    if lead is not None and lead.stage != LeadStage.SIGNED:
        raise _error("lead", _("线索尚未签约：请在线索页面签约，项目随之生成"), "lead_not_signed")
    return _project_make(data, actor)


def _project_make(data: Mapping[str, Any], actor: Any) -> Project:
    fields = {k: v for k, v in data.items() if k != REASON_FIELD}
    _check_project(fields)
    first = fields.get("first_phase")
    if first is not None:
        taken = Project.objects.filter(first_phase=first).aggregate(n=Max("phase_no"))["n"] or 1
        fields["phase_no"] = taken + 1
        fields.setdefault("enterprise", first.enterprise)
    else:
        fields["phase_no"] = 1
    if not fields.get("code"):
        year = (fields.get("signed_on") or timezone.localdate()).year
        fields["code"] = _next_code(fields["territory"].code, year)
    project = crud.record_create(model=Project, data=fields, actor=actor)
    ProjectStage.objects.bulk_create([ProjectStage(project=project, stage=s) for s in STAGES])
    return project


@transaction.atomic
def project_sign(
    *,
    signing_event: SigningEvent | None,
    data: Mapping[str, Any],
    lead: Lead | None = None,
    actor: Any,
) -> Project:
    """Sign a project (签约): from its lead when there is one, at a signing event or on its own date."""
    fields = dict(data)
    if lead is not None:
        fields.setdefault("territory", lead.territory)
    if signing_event is not None:
        fields["signing_event"] = signing_event
        fields.setdefault("signed_on", signing_event.held_on)
        fields.setdefault("territory", signing_event.territory)
        if not fields["territory"].path.startswith(signing_event.territory.path):
            raise _error(
                "signing_event",
                _("签约活动“%(event)s”属于%(place)s，不能签约%(territory)s的项目")
                % {
                    "event": signing_event.name,
                    "place": signing_event.territory.name,
                    "territory": fields["territory"].name,
                },
                "event_territory",
            )
    if not fields.get("signed_on"):
        raise _error("signed_on", _("请填写签约日期"), "signed_on_required")
    if lead is not None:
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.stage not in OPEN_STAGES:
            raise _error(
                "lead",
                _("线索已“%(stage)s”，不能再签约") % {"stage": lead.get_stage_display()},
                "lead_closed",
            )
        for name in ("investor", "origin", "is_foreign", "industry", "chain", "currency"):
            fields.setdefault(name, getattr(lead, name))
        fields.setdefault("name", lead.name)
        fields["lead"] = lead
    project = _project_make(fields, actor)
    if lead is not None:
        lead.stage = LeadStage.SIGNED
        lead.stage_changed_on = project.signed_on
        lead.next_action_on = None
        lead.save()
    audit.record(
        "projects.project.sign",
        obj=project,
        actor=actor,
        data={"event": signing_event.pk if signing_event else None, "lead": lead.pk if lead else None},
    )
    return project


@transaction.atomic
def project_update(*, obj: Project, data: Mapping[str, Any], actor: Any) -> Project:
    """Change a project; a change of scope, investment, status, place or enterprise needs a reason and is
    logged with its old and new value."""
    fields = dict(data)
    reason = str(fields.pop(REASON_FIELD, "") or "")
    _check_project({"enterprise": obj.enterprise, **fields}, current=obj)
    if "first_phase" in fields and fields["first_phase"] != obj.first_phase:
        raise _error("first_phase", _("项目期次关系建立后不能修改"), "phase_fixed")
    moved = "currency" in fields and fields["currency"] != obj.currency
    if moved and (obj.plans.exists() or obj.actuals.exists()):
        raise _error("currency", _("项目已有投资计划或完成投资，不能更改币种"), "currency_locked")
    changed = [
        name
        for name in TRACKED_FIELDS
        if name in fields and _comparable(getattr(obj, name)) != _comparable(fields[name])
    ]
    if changed:
        reason = _require_reason(reason)
        for name in changed:
            label = str(Project._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            _log_change(obj, label, getattr(obj, name), fields[name], reason, actor)
    return crud.record_update(obj=obj, data=fields, actor=actor)


def _comparable(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


# -- stages ----------------------------------------------------------------------------------------------

_UNSET: Any = object()


@transaction.atomic
def stage_set(
    *,
    project: Project,
    stage: str,
    planned_on: date | None = _UNSET,
    actual_on: date | None = _UNSET,
    reason: str = "",
    actor: Any,
) -> ProjectStage:
    """Set a stage's planned or actual date. Stages keep their order: no stage is skipped, no actual date
    falls before the previous stage's planned or actual date; changing a date already set needs a reason."""
    if stage not in Stage.values:
        raise _error("stage", _("未知节点“%(stage)s”") % {"stage": stage}, "stage_unknown")
    rows = {s.stage: s for s in ProjectStage.objects.select_for_update().filter(project=project)}
    row = rows.get(stage) or ProjectStage.objects.create(project=project, stage=stage)
    index = STAGES.index(Stage(stage))
    earlier = [rows[s] for s in STAGES[:index] if s in rows]
    later = [rows[s] for s in STAGES[index + 1 :] if s in rows]
    label = str(Stage(stage).label)
    changes: list[tuple[str, Any, Any]] = []
    if planned_on is not _UNSET and planned_on != row.planned_on:
        if planned_on is not None:
            _check_planned(label, planned_on, earlier, later)
        changes.append((_("%(stage)s计划日期") % {"stage": label}, row.planned_on, planned_on))
        was_set = row.planned_on is not None
        row.planned_on = planned_on
    else:
        was_set = False
    if actual_on is not _UNSET and actual_on != row.actual_on:
        if actual_on is not None:
            _check_actual(label, actual_on, earlier, later)
        elif any(r.actual_on for r in later):
            raise _error(
                "actual_on",
                _("后续节点已有实际日期，不能清除%(stage)s实际日期") % {"stage": label},
                "later_done",
            )
        changes.append((_("%(stage)s实际日期") % {"stage": label}, row.actual_on, actual_on))
        was_set = was_set or row.actual_on is not None
        row.actual_on = actual_on
    if not changes:
        return row
    if was_set:
        reason = _require_reason(reason)
        for field, old, new in changes:
            _log_change(project, field, old, new, reason, actor)
    row.save()
    audit.record(
        "projects.stage.set",
        obj=project,
        actor=actor,
        data={"stage": stage, "planned_on": row.planned_on, "actual_on": row.actual_on, "reason": reason},
    )
    return row


def _check_planned(
    label: str, planned_on: date, earlier: list[ProjectStage], later: list[ProjectStage]
) -> None:
    for prev in reversed(earlier):
        if prev.planned_on and planned_on < prev.planned_on:
            raise _error(
                "planned_on",
                _("%(stage)s计划日期（%(date)s）早于%(prev)s计划日期（%(prev_date)s）")
                % {
                    "stage": label,
                    "date": planned_on,
                    "prev": prev.get_stage_display(),
                    "prev_date": prev.planned_on,
                },
                "planned_order",
            )
    for nxt in later:
        if nxt.planned_on and planned_on > nxt.planned_on:
            raise _error(
                "planned_on",
                _("%(stage)s计划日期（%(date)s）晚于%(next)s计划日期（%(next_date)s）")
                % {
                    "stage": label,
                    "date": planned_on,
                    "next": nxt.get_stage_display(),
                    "next_date": nxt.planned_on,
                },
                "planned_order",
            )


def _check_actual(
    label: str, actual_on: date, earlier: list[ProjectStage], later: list[ProjectStage]
) -> None:
    if actual_on > timezone.localdate():
        raise _error("actual_on", _("%(stage)s实际日期不能晚于今天") % {"stage": label}, "date_future")
    missing = [r.get_stage_display() for r in earlier if r.actual_on is None]
    if missing:
        raise _error(
            "actual_on",
            _("不能跳过节点：请先填写%(stages)s的实际日期") % {"stages": "、".join(missing)},
            "stage_skipped",
        )
    if earlier:
        prev = earlier[-1]
        for kind, bound in ((_("实际"), prev.actual_on), (_("计划"), prev.planned_on)):
            if bound and actual_on < bound:
                raise _error(
                    "actual_on",
                    _("%(stage)s实际日期（%(date)s）早于%(prev)s%(kind)s日期（%(bound)s）")
                    % {
                        "stage": label,
                        "date": actual_on,
                        "prev": prev.get_stage_display(),
                        "kind": kind,
                        "bound": bound,
                    },
                    "before_previous",
                )
    for nxt in later:
        if nxt.actual_on and actual_on > nxt.actual_on:
            raise _error(
                "actual_on",
                _("%(stage)s实际日期（%(date)s）晚于%(next)s实际日期（%(next_date)s）")
                % {
                    "stage": label,
                    "date": actual_on,
                    "next": nxt.get_stage_display(),
                    "next_date": nxt.actual_on,
                },
                "after_next",
            )


# -- investment plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_set(
    *,
    project: Project,
    year: int,
    amount: Decimal,
    months: Mapping[int, Decimal] | None = None,
    reason: str = "",
    actor: Any,
) -> InvestmentPlan:
    """Set a project's annual investment plan (万, in the project's currency), optionally as cumulative
    amounts by month; changing a plan already set needs a reason and is logged."""
    if amount < 0:
        raise _error("amount", _("年度计划投资不能为负数"), "amount_negative")
    if project.status == ProjectStatus.TERMINATED:
        raise _error("project", _("项目已终止，不能安排投资计划"), "project_terminated")
    months = dict(months or {})
    previous = Decimal(0)
    for month in sorted(months):
        value = months[month]
        if not 1 <= month <= 12:
            raise _error("months", _("月份须在1至12之间"), "month_range")
        if value < previous:
            raise _error(
                "months",
                _("%(month)s月计划累计投资低于上月，分月计划须为逐月累计数") % {"month": month},
                "months_decreasing",
            )
        if value > amount:
            raise _error(
                "months", _("%(month)s月计划累计投资超过年度计划") % {"month": month}, "months_exceed"
            )
        previous = value
    if 12 in months and months[12] != amount:
        raise _error("months", _("12月计划累计投资须等于年度计划"), "months_total")
    plan = InvestmentPlan.objects.select_for_update().filter(project=project, year=year).first()
    if plan is None:
        plan = InvestmentPlan.objects.create(project=project, year=year, amount=amount)
        event = "projects.plan.create"
    else:
        if plan.amount != amount:
            reason = _require_reason(reason)
            _log_change(
                project, _("%(year)s年度计划投资（万）") % {"year": year}, plan.amount, amount, reason, actor
            )
            plan.amount = amount
            plan.save()
        event = "projects.plan.update"
    stored = {m.month: m for m in plan.months.all()}
    for month, value in months.items():
        row = stored.pop(month, None)
        if row is None:
            InvestmentPlanMonth.objects.create(plan=plan, month=month, cumulative=value)
        elif row.cumulative != value:
            row.cumulative = value
            row.save()
    if months:
        for row in stored.values():
            row.delete()
    audit.record(event, obj=project, actor=actor, data={"year": year, "amount": amount, "months": months})
    return plan


def plan_create(
    *, model: type[InvestmentPlan] = InvestmentPlan, data: Mapping[str, Any], actor: Any
) -> InvestmentPlan:
    """A plan entered on the plans page or the API (the declared CRUD's create)."""
    plan = plan_set(project=data["project"], year=data["year"], amount=data["amount"], actor=actor)
    return _plan_note(plan, str(data.get("note", "")))


def plan_update(*, obj: InvestmentPlan, data: Mapping[str, Any], actor: Any) -> InvestmentPlan:
    """A plan changed on the plans page or the API: its note states the reason of a changed amount."""
    if data.get("project", obj.project) != obj.project or data.get("year", obj.year) != obj.year:
        raise _error("year", _("计划所属项目和年度不能修改，请新建该年度计划"), "plan_key_fixed")
    note = str(data.get("note", obj.note))
    plan = plan_set(
        project=obj.project, year=obj.year, amount=data.get("amount", obj.amount), reason=note, actor=actor
    )
    return _plan_note(plan, note)


def _plan_note(plan: InvestmentPlan, note: str) -> InvestmentPlan:
    if plan.note != note:
        plan.note = note
        plan.save(update_fields=["note", "updated_at"])
    return plan


# -- monthly actual investment ---------------------------------------------------------------------------


def _current_actuals(project: Project, year: int) -> dict[int, InvestmentActual]:
    rows = InvestmentActual.objects.select_for_update().filter(
        project=project, period__year=year, superseded_at__isnull=True
    )
    return {row.period.month: row for row in rows.select_related("period")}


@transaction.atomic
def actual_record(
    *,
    project: Project,
    period: Period,
    currency: str,
    cumulative: Decimal | None = None,
    monthly: Decimal | None = None,
    source: str = ActualSource.STAFF,
    note: str = "",
    batch: ImportBatch | None = None,
    actor: Any,
) -> tuple[InvestmentActual, bool]:
    """Record a project's investment for a month, as 1–M月累计 or as the month's own amount (added to the
    month before). A revision is a new version; the same value writes nothing. Refused: another currency
    than the project's, a negative amount, a cumulative below an earlier month's or above a later month's."""
    if currency != project.currency:
        raise _error(
            "currency",
            _("该项目以%(project)s计，不能填报%(given)s金额")
            % {"project": Currency(project.currency).label, "given": _currency_label(currency)},
            "currency_mismatch",
        )
    if (cumulative is None) == (monthly is None):
        raise _error("cumulative", _("请填写累计完成投资或当月完成投资（二选一）"), "amount_required")
    if period.first_day > timezone.localdate():
        raise _error("period", _("不能填报未来月份的投资"), "period_future")
    actuals = _current_actuals(project, period.year)
    before = [actuals[m] for m in sorted(actuals) if m < period.month]
    after = [actuals[m] for m in sorted(actuals) if m > period.month]
    base = before[-1].cumulative if before else Decimal(0)
    if monthly is not None:
        if monthly < 0:
            raise _error("monthly", _("当月完成投资不能为负数"), "amount_negative")
        cumulative = base + monthly
    assert cumulative is not None
    if cumulative < 0:
        raise _error("cumulative", _("累计完成投资不能为负数"), "amount_negative")
    if cumulative < base:
        raise _error(
            "cumulative",
            _("%(month)s月累计完成投资（%(value)s万）低于%(prev)s月累计（%(base)s万），累计数不能减少")
            % {
                "month": period.month,
                "value": _shown(cumulative),
                "prev": before[-1].period.month,
                "base": _shown(base),
            },
            "cumulative_decrease",
        )
    if after and cumulative > after[0].cumulative:
        raise _error(
            "cumulative",
            _("%(month)s月累计完成投资（%(value)s万）高于已报%(next)s月累计（%(later)s万）")
            % {
                "month": period.month,
                "value": _shown(cumulative),
                "next": after[0].period.month,
                "later": _shown(after[0].cumulative),
            },
            "cumulative_exceeds_later",
        )
    current = actuals.get(period.month)
    if current is not None and current.cumulative == cumulative:
        return current, False
    moment = timezone.now()
    if current is not None:
        current.superseded_at = moment
        current.save(update_fields=["superseded_at"])
    actual = InvestmentActual.objects.create(
        project=project,
        period=period,
        cumulative=cumulative,
        version=current.version + 1 if current else 1,
        recorded_at=moment,
        recorded_by=_user(actor),
        source=source,
        batch=batch,
        note=note,
    )
    audit.record(
        f"projects.actual.{'revise' if current else 'record'}",
        obj=actual,
        actor=actor,
        data={
            "cumulative": cumulative,
            "previous": current.cumulative if current else None,
            "period": period.code,
        },
    )
    return actual, True


def _currency_label(code: str) -> str:
    try:
        return str(Currency(code).label)
    except ValueError:
        return code


# -- what a deployment ships with ------------------------------------------------------------------------


@transaction.atomic
def defaults_install(*, actor: Any) -> list[str]:
    """Add the default tiers, categories, size bands and alert rule sets that are missing; never changes
    one an administrator has edited."""
    from kunlu.projects import defaults
    from kunlu.projects.models import AlertRule, AlertRuleSet, ProjectCategory, ProjectTier, SizeBandScheme

    added: list[str] = []
    for order, (code, name, level) in enumerate(defaults.TIERS):
        if not ProjectTier.objects.filter(code=code).exists():
            ProjectTier.objects.create(code=code, name=name, level=level, sort_order=order)
            added.append(f"tier:{code}")
    for order, (code, name) in enumerate(defaults.CATEGORIES):
        if not ProjectCategory.objects.filter(code=code).exists():
            ProjectCategory.objects.create(code=code, name=name, sort_order=order)
            added.append(f"category:{code}")
    for order, (code, name, currency, bounds) in enumerate(defaults.SIZE_BANDS):
        if not SizeBandScheme.objects.filter(code=code).exists():
            SizeBandScheme.objects.create(
                code=code, name=name, currency=currency, thresholds=bounds, sort_order=order
            )
            added.append(f"bands:{code}")
    for code, name, source, description, rules in defaults.RULE_SETS:
        if AlertRuleSet.objects.filter(code=code).exists():
            continue
        rule_set = AlertRuleSet.objects.create(code=code, name=name, source=source, description=description)
        for order, (kind, stage, unit, yellow, y_strict, red, r_strict, text) in enumerate(rules):
            AlertRule.objects.create(
                rule_set=rule_set,
                kind=kind,
                stage=stage,
                unit=unit,
                yellow_at=yellow,
                yellow_strict=y_strict,
                red_at=red,
                red_strict=r_strict,
                description=text,
                sort_order=order,
            )
        added.append(f"alerts:{code}")
    if added:
        audit.record("projects.defaults.install", actor=actor, data={"added": added})
    return added


# -- alerts (their measures and thresholds are in kunlu.projects.alerts) ----------------------------------


@transaction.atomic
def alerts_compute(*, rule_set: AlertRuleSet, territory: Territory, period: Period, actor: Any) -> AlertRun:
    """Compute a month's alerts for the active projects of a territory (and below) as a new run."""
    if not rule_set.is_active:
        raise ValidationError(
            {
                "rule_set": ValidationError(
                    _("预警规则集“%(name)s”已停用") % {"name": rule_set.name}, code="inactive"
                )
            }
        )
    if period.first_day > timezone.localdate():
        raise ValidationError({"period": ValidationError(_("不能计算未来月份的预警"), code="period_future")})
    projects = list(
        Project.objects.filter(territory__path__startswith=territory.path, status=ProjectStatus.ACTIVE)
        .select_related("territory")
        .order_by("code")
    )
    found = findings_for(rule_set, projects, period)
    previous = (
        AlertRun.objects.filter(rule_set=rule_set, territory=territory, period=period).order_by("-id").first()
    )
    acknowledged = {}
    if previous is not None:
        acknowledged = {
            (a.project_id, a.rule_id, a.level): a
            for a in previous.alerts.filter(acknowledged_at__isnull=False)
        }
    run = AlertRun.objects.create(
        rule_set=rule_set,
        territory=territory,
        period=period,
        computed_by=actor if getattr(actor, "pk", None) else None,
        projects=len(projects),
        yellow=sum(1 for f in found if f.level == AlertLevel.YELLOW),
        red=sum(1 for f in found if f.level == AlertLevel.RED),
    )
    alerts = []
    for f in found:
        kept = acknowledged.get((f.project.pk, f.rule.pk, f.level))
        alerts.append(
            Alert(
                run=run,
                project=f.project,
                rule=f.rule,
                period=period,
                level=f.level,
                measure=f.measure,
                threshold=f.threshold,
                reason=f.reason,
                acknowledged_by=kept.acknowledged_by if kept else None,
                acknowledged_at=kept.acknowledged_at if kept else None,
                comment=kept.comment if kept else "",
            )
        )
    Alert.objects.bulk_create(alerts)
    audit.record(
        "projects.alerts.compute",
        obj=run,
        actor=actor,
        data={"period": period.code, "yellow": run.yellow, "red": run.red, "projects": run.projects},
    )
    return run


@transaction.atomic
def alert_acknowledge(*, alert: Alert, comment: str, actor: Any) -> Alert:
    """Acknowledge an alert with what is being done about it."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": ValidationError(_("确认预警须填写处理意见"), code="comment_required")}
        )
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    alert.comment = comment
    alert.acknowledged_by = actor if getattr(actor, "pk", None) else None
    alert.acknowledged_at = timezone.now()
    alert.save()
    audit.record("projects.alert.acknowledge", obj=alert, actor=actor, data={"comment": comment})
    return alert


@transaction.atomic
def alert_rule_create(*, model: type[AlertRule] = AlertRule, data: dict[str, Any], actor: Any) -> AlertRule:
    """Add a rule to a rule set, refusing thresholds against the direction of its measure."""
    rule_check(AlertRule(**{k: v for k, v in data.items()}))
    return crud.record_create(model=AlertRule, data=data, actor=actor)


@transaction.atomic
def alert_rule_update(*, obj: AlertRule, data: dict[str, Any], actor: Any) -> AlertRule:
    """Change a rule (thresholds, stage, unit), refusing thresholds against the direction of its measure."""
    candidate = AlertRule.objects.get(pk=obj.pk)
    for name, value in data.items():
        setattr(candidate, name, value)
    rule_check(candidate)
    return crud.record_update(obj=obj, data=data, actor=actor)
