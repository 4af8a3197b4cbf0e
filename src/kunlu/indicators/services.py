"""S1 services: record facts as new versions, set targets, install the default catalogue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit, crud
from kunlu.core.audit import acting_user as _recorder
from kunlu.core.models import ImportBatch, Period, Territory
from kunlu.indicators.catalogue import DEFAULT_CATALOGUE
from kunlu.indicators.models import ExchangeRate, Indicator, Observation, Target, UnitObservation

MAX_ABS_VALUE = Decimal("1e15")


def _clean_value(indicator: Indicator, value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise ValidationError({"value": ValidationError(_("数值必须是数字"), code="value_type")})
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        raise ValidationError({"value": ValidationError(_("数值超出允许范围"), code="value_range")})
    if not indicator.is_active:
        msg = _("指标“%(name)s”已停用，不能记录数据") % {"name": indicator.name}
        raise ValidationError({"indicator": ValidationError(msg, code="indicator_inactive")})
    check_sign(indicator, value)
    return value


def check_sign(indicator: Indicator, value: Decimal) -> None:
    """A negative value only for indicators that allow one (利润 may be negative, 产值 may not)."""
    if value < 0 and not indicator.allows_negative:
        msg = _("“%(name)s”不能为负数（%(value)s）") % {"name": indicator.name, "value": value}
        raise ValidationError({"value": ValidationError(msg, code="negative")})


VersionedFact = Observation | UnitObservation | Target


def _new_version(
    model: type[VersionedFact], *, key: dict[str, Any], value: Decimal, moment: datetime, **fields: Any
) -> tuple[Any, Any]:
    """Write `value` for `key` as a new version unless it equals the current one; (current, previous)."""
    current = model.objects.select_for_update().filter(**key, superseded_at__isnull=True).first()
    if current is not None and current.value == value:
        return current, current
    if current is not None:
        current.superseded_at = moment
        current.save(update_fields=["superseded_at"])
    created = model.objects.create(
        **key, **fields, value=value, version=current.version + 1 if current else 1, recorded_at=moment
    )
    return created, current


def _audit_fact(fact: Any, previous: Any, actor: Any) -> None:
    name = type(fact)._meta.model_name
    audit.record(
        f"indicators.{name}.{'revise' if previous else 'record'}",
        obj=fact,
        actor=actor,
        data={"value": fact.value, "previous": previous.value if previous else None, "version": fact.version},
    )


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    territory: Territory,
    period: Period,
    basis: str,
    value: Decimal,
    actor: Any,
    batch: ImportBatch | None = None,
    source: str = "",
    note: str = "",
    at: datetime | None = None,
    audited: bool = True,
) -> tuple[Observation, bool]:
    """Record a territory's value of an indicator for a month; a changed value becomes a new version.

    Returns the current observation and whether anything was written (the same value again writes nothing).
    """
    key = {"indicator": indicator, "territory": territory, "period": period, "basis": basis}
    fact, previous = _new_version(
        Observation,
        key=key,
        value=_clean_value(indicator, value),
        moment=at or timezone.now(),
        batch=batch,
        recorded_by=_recorder(actor),
        source=source,
        note=note,
    )
    if fact is previous:
        return fact, False
    if audited:
        _audit_fact(fact, previous, actor)
    return fact, True


@transaction.atomic
def unit_observation_record(
    *,
    indicator: Indicator,
    enterprise: Organisation,
    period: Period,
    basis: str,
    value: Decimal,
    actor: Any,
    batch: ImportBatch | None = None,
    source: str = "",
    note: str = "",
    at: datetime | None = None,
    audited: bool = True,
) -> tuple[UnitObservation, bool]:
    """Record an enterprise's value of an indicator for a month; a changed value becomes a new version."""
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        msg = _("“%(name)s”不是企业") % {"name": enterprise.name}
        raise ValidationError({"enterprise": ValidationError(msg, code="not_enterprise")})
    key = {"indicator": indicator, "enterprise": enterprise, "period": period, "basis": basis}
    fact, previous = _new_version(
        UnitObservation,
        key=key,
        value=_clean_value(indicator, value),
        moment=at or timezone.now(),
        territory=enterprise.territory,
        batch=batch,
        recorded_by=_recorder(actor),
        source=source,
        note=note,
    )
    if fact is previous:
        return fact, False
    if audited:
        _audit_fact(fact, previous, actor)
    return fact, True


@transaction.atomic
def target_set(
    *, indicator: Indicator, territory: Territory, year: int, value: Decimal, actor: Any, note: str = ""
) -> tuple[Target, bool]:
    """Set a territory's annual target for an indicator; a revised target is a new version."""
    key = {"indicator": indicator, "territory": territory, "year": year}
    target, previous = _new_version(
        Target,
        key=key,
        value=_clean_value(indicator, value),
        moment=timezone.now(),
        recorded_by=_recorder(actor),
        note=note,
    )
    if target is previous:
        return target, False
    audit.record("indicators.target.set", obj=target, actor=actor, data={"value": value, "year": year})
    return target, True


def observation_create(
    *, model: type[Observation] = Observation, data: dict[str, Any], actor: Any
) -> Observation:
    """Record a value entered by hand on the observation page (the declared CRUD's create)."""
    from kunlu.core.services import period_for

    fields = dict(data)
    period = period_for(fields.pop("year"), fields.pop("month"))
    observation, _written = observation_record(period=period, actor=actor, **fields)
    return observation


@transaction.atomic
def catalogue_install_defaults(*, actor: Any) -> list[str]:
    """Add the default indicators that are missing (never changes an indicator an analyst edited)."""
    added = []
    for entry in DEFAULT_CATALOGUE:
        if Indicator.objects.filter(code=entry["code"]).exists():
            continue
        data = dict(entry)
        for ref in ("numerator", "denominator", "parent"):
            if data.get(ref):
                data[ref] = Indicator.objects.get(code=data[ref])
        indicator = Indicator(**data)
        indicator.full_clean()
        indicator.save()
        added.append(indicator.code)
    if added:
        audit.record("indicators.catalogue.install", actor=actor, data={"added": added})
    return added


def target_create(*, model: type[Target] = Target, data: dict[str, Any], actor: Any) -> Target:
    """Set a target entered on the targets page (the declared CRUD's create); a revision is a new version."""
    target, _written = target_set(
        indicator=data["indicator"],
        territory=data["territory"],
        year=data["year"],
        value=data["value"],
        note=data.get("note", ""),
        actor=actor,
    )
    return target


def _rate_data(data: dict[str, Any]) -> dict[str, Any]:
    """The rate's fields with its month given as a Period (the page gives 年 and 月, the API a period)."""
    from kunlu.core.services import period_for

    fields = dict(data)
    if "year" in fields or "month" in fields:
        fields["period"] = period_for(fields.pop("year"), fields.pop("month"))
    return fields


def exchange_rate_create(
    *, model: type[ExchangeRate] = ExchangeRate, data: dict[str, Any], actor: Any
) -> ExchangeRate:
    """Add a month's exchange rate (used only to show a 美元 figure beside its 人民币 estimate)."""
    return crud.record_create(model=model, data=_rate_data(data), actor=actor)


def exchange_rate_update(*, obj: ExchangeRate, data: dict[str, Any], actor: Any) -> ExchangeRate:
    """Correct a month's exchange rate; the change is kept in the rate's field history and audited."""
    return crud.record_update(obj=obj, data=_rate_data(data), actor=actor)
