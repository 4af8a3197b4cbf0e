"""Rules of enterprise direct reporting: save a draft, submit it past the review rules, accept it into the
facts or return it with a comment; memberships and review rules kept consistent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit, crud
from kunlu.core.audit import acting_user as _user
from kunlu.core.models import Period
from kunlu.core.services import refusal as _error
from kunlu.indicators.choices import Basis
from kunlu.indicators.services import unit_observation_record
from kunlu.reporting.choices import EDITABLE, ReportStatus, RuleKind, Severity
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportLine,
    ReviewRule,
)
from kunlu.reporting.selectors import (
    Month,
    category_form,
    is_member,
    memberships_overlapping,
    message_fields,
    report_deadline,
    report_findings,
)

MAX_ABS_VALUE = Decimal("1e15")
MAX_DECIMAL_PLACES = 4
EXPLANATION_MAX_LENGTH = 500
SOURCE = "企业直报"


@dataclass(frozen=True)
class LineInput:
    """What an enterprise entered on one line of its form."""

    value: Decimal | None
    explanation: str = ""


def _check_member(enterprise: Organisation, category: ReportingCategory, period: Period) -> None:
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise _error("enterprise", _("“%(name)s”不是企业") % {"name": enterprise.name}, "not_enterprise")
    if not category.is_active:
        raise _error("category", _("报表类别“%(name)s”已停用") % {"name": category.name}, "category_inactive")
    if not is_member(enterprise=enterprise, category=category, month=Month.of(period)):
        raise _error(
            "category",
            _("“%(enterprise)s”%(month)s不属于“%(category)s”报送范围")
            % {"enterprise": enterprise.name, "month": Month.of(period).label, "category": category.name},
            "not_member",
        )


def _clean_value(name: str, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(_("“%(name)s”须填写数字") % {"name": name}, code="value_type")
    if abs(value) >= MAX_ABS_VALUE:
        raise ValidationError(_("“%(name)s”的数值超出允许范围") % {"name": name}, code="value_range")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        raise ValidationError(
            _("“%(name)s”最多保留%(n)s位小数") % {"name": name, "n": MAX_DECIMAL_PLACES},
            code="value_precision",
        )
    return value


def _locked(report: MonthlyReport) -> MonthlyReport:
    return (
        MonthlyReport.objects.select_for_update(of=("self",))
        .select_related("enterprise", "category", "period")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save_draft(
    *,
    enterprise: Organisation,
    category: ReportingCategory,
    period: Period,
    lines: Mapping[str, LineInput],
    actor: Any,
) -> MonthlyReport:
    """Save what an enterprise has entered on its monthly form (by indicator code), starting the report
    on first save; a submitted or accepted report cannot be changed."""
    _check_member(enterprise, category, period)
    report = (
        MonthlyReport.objects.select_for_update(of=("self",))
        .filter(enterprise=enterprise, category=category, period=period)
        .first()
    )
    if report is not None and report.status not in EDITABLE:
        raise ValidationError(
            _("报表状态为“%(status)s”，不能修改；如需更正，请联系审核人员退回")
            % {"status": report.get_status_display()},
            code="not_editable",
        )
    form = {f.indicator.code: f for f in category_form(category)}
    errors: dict[str, ValidationError] = {}
    cleaned: dict[str, tuple[CategoryIndicator, Decimal | None, str]] = {}
    for code, entry in lines.items():
        form_line = form.get(code)
        if form_line is None:
            errors[code] = ValidationError(
                _("指标“%(code)s”不在“%(category)s”的报表中") % {"code": code, "category": category.name},
                code="unknown_indicator",
            )
            continue
        explanation = (entry.explanation or "").strip()
        try:
            value = _clean_value(form_line.indicator.name, entry.value)
            if len(explanation) > EXPLANATION_MAX_LENGTH:
                raise ValidationError(
                    _("“%(name)s”的情况说明不能超过%(n)s字")
                    % {"name": form_line.indicator.name, "n": EXPLANATION_MAX_LENGTH},
                    code="explanation_length",
                )
        except ValidationError as exc:
            errors[code] = exc
            continue
        cleaned[code] = (form_line, value, explanation)
    if errors:
        raise ValidationError(errors)
    created = report is None
    if report is None:
        report = MonthlyReport(
            enterprise=enterprise,
            territory=enterprise.territory,
            category=category,
            period=period,
            status=ReportStatus.DRAFT,
            deadline=report_deadline(category=category, month=Month.of(period)),
        )
        report.full_clean()
        report.save()
    existing = {line.indicator_id: line for line in report.lines.all()}
    changed = []
    for code, (form_line, value, explanation) in cleaned.items():
        line = existing.get(form_line.indicator_id)
        if line is None:
            if value is None and not explanation:
                continue
            ReportLine.objects.create(
                report=report, indicator=form_line.indicator, value=value, explanation=explanation
            )
        elif line.value != value or line.explanation != explanation:
            line.value, line.explanation = value, explanation
            line.save(update_fields=["value", "explanation", "updated_at"])
        else:
            continue
        changed.append(code)
    audit.record(
        "reporting.monthlyreport.save_draft",
        obj=report,
        actor=actor,
        data={"period": period.code, "category": category.code, "created": created, "changed": changed},
    )
    return report


@transaction.atomic
def report_submit(*, report: MonthlyReport, actor: Any, at: datetime | None = None) -> MonthlyReport:
    """Hand in a monthly report: every required value present, no blocking review rule broken, and an
    explanation on each line a rule asks about. The findings are kept on the lines for the reviewer."""
    report = _locked(report)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("报表状态为“%(status)s”，不能报送") % {"status": report.get_status_display()},
            code="not_editable",
        )
    _check_member(report.enterprise, report.category, report.period)
    if not report.lines.filter(value__isnull=False).exists():
        raise ValidationError(_("报表尚未填写任何数值"), code="empty_report")
    findings = report_findings(report=report)
    errors: dict[str, list[ValidationError]] = {}
    for finding in findings:
        if not finding.blocks:
            continue
        message = finding.message
        if finding.severity == Severity.EXPLAIN:
            message = _("%(message)s；请在“情况说明”中说明原因") % {"message": message}
        errors.setdefault(finding.indicator, []).append(ValidationError(message, code=finding.error_code))
    if errors:
        raise ValidationError(errors)
    by_code: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_code.setdefault(finding.indicator, []).append(finding.as_json())
    for line in report.lines.select_related("indicator"):
        stored = by_code.get(line.indicator.code, [])
        if line.findings != stored:
            line.findings = stored
            line.save(update_fields=["findings", "updated_at"])
    moment = at or timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = moment
    report.first_submitted_at = report.first_submitted_at or moment
    report.revision += 1
    report.submitted_by = _user(actor)
    report.save()
    audit.record(
        "reporting.monthlyreport.submit",
        obj=report,
        actor=actor,
        data={
            "revision": report.revision,
            "late": report.is_late,
            "explained": sorted({f.indicator for f in findings}),
        },
    )
    return report


@transaction.atomic
def report_accept(
    *, report: MonthlyReport, actor: Any, comment: str = "", at: datetime | None = None
) -> MonthlyReport:
    """Accept a submitted report (受理): each value becomes the enterprise's monthly fact, a new version
    where an earlier acceptance recorded a different value; nothing is overwritten."""
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("报表状态为“%(status)s”，只有已报送待审核的报表才能受理")
            % {"status": report.get_status_display()},
            code="not_submitted",
        )
    moment = at or timezone.now()
    note = _("企业直报 #%(id)s 第%(n)s次报送") % {"id": report.pk, "n": report.revision}
    written = []
    for line in report.lines.filter(value__isnull=False).select_related("indicator").order_by("id"):
        assert line.value is not None  # filtered above; for the type checker
        try:
            fact, changed = unit_observation_record(
                indicator=line.indicator,
                enterprise=report.enterprise,
                period=report.period,
                basis=Basis.MONTH,
                value=line.value,
                actor=actor,
                source=SOURCE,
                note=note,
                at=moment,
            )
        except ValidationError as exc:
            raise ValidationError(
                {line.indicator.code: [ValidationError(m, code="fact_refused") for m in exc.messages]}
            ) from exc
        if changed:
            written.append(
                {"indicator": line.indicator.code, "observation": fact.pk, "version": fact.version}
            )
    report.status = ReportStatus.ACCEPTED
    report.reviewer = _user(actor)
    report.reviewed_at = moment
    report.review_comment = comment.strip()
    report.save()
    audit.record(
        "reporting.monthlyreport.accept",
        obj=report,
        actor=actor,
        data={"revision": report.revision, "observations": written, "comment": report.review_comment},
    )
    return report


@transaction.atomic
def report_return(
    *, report: MonthlyReport, comment: str, actor: Any, at: datetime | None = None
) -> MonthlyReport:
    """Return a report to the enterprise for correction (退回), with the reviewer's comment; an accepted
    report may be returned too, and its facts stay as they are until a corrected report is accepted."""
    comment = (comment or "").strip()
    if not comment:
        raise _error("comment", _("退回报表时须填写审核意见"), "comment_required")
    report = _locked(report)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise ValidationError(
            _("报表状态为“%(status)s”，不能退回") % {"status": report.get_status_display()},
            code="not_returnable",
        )
    previous = report.status
    report.status = ReportStatus.RETURNED
    report.reviewer = _user(actor)
    report.reviewed_at = at or timezone.now()
    report.review_comment = comment
    report.save()
    audit.record(
        "reporting.monthlyreport.return",
        obj=report,
        actor=actor,
        data={"comment": comment, "from": previous, "revision": report.revision},
    )
    return report


@transaction.atomic
def report_delete(*, obj: MonthlyReport, actor: Any) -> None:
    """Discard a draft that was never submitted; a report once handed in is kept."""
    if obj.status != ReportStatus.DRAFT or obj.revision:
        raise ValidationError(_("只能删除从未报送过的草稿"), code="not_deletable")
    audit.record("reporting.monthlyreport.delete", obj=obj, actor=actor, data={"repr": str(obj)})
    obj.delete()


# -- memberships ---------------------------------------------------------------------------------------------


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    return data[name] if name in data else getattr(obj, name, None)


def membership_validate(*, data: Mapping[str, Any], obj: CategoryMembership | None) -> None:
    """Refuse a membership of a non-enterprise, an end before the start, or a span overlapping another
    of the same enterprise and category (`obj` is the membership being changed, if any)."""
    enterprise = _value(data, obj, "enterprise")
    category = _value(data, obj, "category")
    start, end = _value(data, obj, "valid_from"), _value(data, obj, "valid_to")
    if enterprise is None or category is None or start is None:
        return  # the model's own validation names the missing field
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise _error("enterprise", _("“%(name)s”不是企业") % {"name": enterprise.name}, "not_enterprise")
    if end is not None and Month.of(end) < Month.of(start):
        raise _error("valid_to", _("终止月份早于起始月份"), "period_order")
    clash = memberships_overlapping(
        enterprise=enterprise,
        category=category,
        start=Month.of(start),
        end=Month.of(end) if end is not None else None,
    )
    if obj is not None:
        clash = clash.exclude(pk=obj.pk)
    other = clash.select_related("valid_from", "valid_to").first()
    if other is not None:
        raise _error(
            "valid_from",
            _("与已有的期间“%(other)s”重叠：同一企业同一报表类别的期间不能重叠") % {"other": other},
            "membership_overlap",
        )


@transaction.atomic
def membership_create(
    *, model: type[CategoryMembership] = CategoryMembership, data: dict[str, Any], actor: Any
) -> CategoryMembership:
    """Add an enterprise to a category's reporting units from a month (to a month, or open-ended)."""
    membership_validate(data=data, obj=None)
    return crud.record_create(model=CategoryMembership, data=data, actor=actor)


@transaction.atomic
def membership_update(*, obj: CategoryMembership, data: dict[str, Any], actor: Any) -> CategoryMembership:
    """Change a membership's span (e.g. close it when the firm drops below the threshold)."""
    membership_validate(data=data, obj=obj)
    return crud.record_update(obj=obj, data=data, actor=actor)


# -- review rules --------------------------------------------------------------------------------------------


def _check_rule(data: Mapping[str, Any], obj: ReviewRule | None) -> None:
    category = _value(data, obj, "category")
    indicator = _value(data, obj, "indicator")
    kind = _value(data, obj, "kind")
    right = _value(data, obj, "right_indicator")
    errors: dict[str, ValidationError] = {}
    in_form = (
        set(CategoryIndicator.objects.filter(category=category).values_list("indicator_id", flat=True))
        if category is not None
        else set()
    )

    def not_in_form(name: str) -> ValidationError:
        return ValidationError(
            _("指标“%(indicator)s”不在“%(category)s”的报表中，请先在“报表指标”中添加")
            % {"indicator": name, "category": category},
            code="indicator_not_in_category",
        )

    if category is not None and indicator is not None and indicator.pk not in in_form:
        errors["indicator"] = not_in_form(indicator.name)
    if kind == RuleKind.RANGE:
        low, high = _value(data, obj, "min_value"), _value(data, obj, "max_value")
        if low is None and high is None:
            errors["min_value"] = ValidationError(_("取值范围规则须填写下限或上限"), code="range_bounds")
        elif low is not None and high is not None and low > high:
            errors["max_value"] = ValidationError(_("上限不能小于下限"), code="range_order")
    if kind in (RuleKind.MOM_JUMP, RuleKind.YOY_JUMP):
        threshold = _value(data, obj, "threshold_pct")
        if threshold is None or threshold <= 0:
            errors["threshold_pct"] = ValidationError(
                _("变动规则须填写大于0的变动阈值"), code="threshold_required"
            )
    if kind == RuleKind.CROSS:
        if right is None:
            errors["right_indicator"] = ValidationError(_("指标间关系规则须选择比较指标"), code="cross_terms")
        elif indicator is not None and right.pk == indicator.pk:
            errors["right_indicator"] = ValidationError(_("比较指标不能是指标本身"), code="cross_same")
        elif category is not None and right.pk not in in_form:
            errors["right_indicator"] = not_in_form(right.name)
        elif indicator is not None and (indicator.unit, indicator.currency) != (right.unit, right.currency):
            errors["right_indicator"] = ValidationError(
                _("“%(left)s”（%(lu)s）与“%(right)s”（%(ru)s）单位或币种不同，不能比较")
                % {"left": indicator.name, "lu": indicator.unit, "right": right.name, "ru": right.unit},
                code="currency_mismatch",
            )
        if not _value(data, obj, "operator"):
            errors["operator"] = ValidationError(_("指标间关系规则须选择关系"), code="cross_terms")
    try:
        message_fields(_value(data, obj, "message") or "")
    except ValidationError as exc:
        errors["message"] = exc
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_rule_create(
    *, model: type[ReviewRule] = ReviewRule, data: dict[str, Any], actor: Any
) -> ReviewRule:
    """Add a review rule to a category (its indicators must be on the category's form)."""
    _check_rule(data, None)
    return crud.record_create(model=ReviewRule, data=data, actor=actor)


@transaction.atomic
def review_rule_update(*, obj: ReviewRule, data: dict[str, Any], actor: Any) -> ReviewRule:
    """Change a review rule; it applies to reports submitted from now on."""
    _check_rule(data, obj)
    return crud.record_update(obj=obj, data=data, actor=actor)
