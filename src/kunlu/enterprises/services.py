"""Services of the enterprise registry: the industry catalogue; registering, updating, renaming enterprises.

An enterprise is registered once per 统一社会信用代码: registering a code that is already known merges
into that enterprise (its Organisation and profile are updated), never a second one.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as uscc_number

from kunlu.accounts import services as account_services
from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit
from kunlu.core.models import Territory
from kunlu.core.permissions import allowed_via
from kunlu.core.services import refusal as _refuse
from kunlu.enterprises.choices import IndustryLevel
from kunlu.enterprises.industries import industry_rows
from kunlu.enterprises.models import EnterpriseName, EnterpriseProfile, Industry

# The fields of an enterprise kept on its Organisation; everything else is the profile's.
ORGANISATION_FIELDS = ("uscc", "name", "territory")
PROFILE_FIELDS = (
    "industry",
    "is_above_scale",
    "is_high_tech",
    "high_tech_year",
    "specialised_level",
    "is_foreign",
    "foreign_origin",
    "is_headquarters",
    "registered_capital",
    "capital_currency",
    "founded_on",
    "employees",
    "land_area_mu",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "note",
)
HIGH_TECH_FIRST_YEAR = 2008  # the current 高新技术企业认定 regime (国科发火〔2008〕172号) began in 2008

# -- the industry catalogue ------------------------------------------------------------------------


@transaction.atomic
def industry_install(*, actor: Any) -> list[str]:
    """Install GB/T 4754-2017 from the shipped data file: add missing classes, restore changed ones."""
    existing = {i.code: i for i in Industry.objects.all()}
    changed: list[str] = []
    for row in industry_rows():
        wanted = {
            "name": row.name,
            "level": row.level,
            "parent": existing[row.parent] if row.parent else None,
            "section": row.section,
            "sort": row.sort,
        }
        industry = existing.get(row.code)
        if industry is None:
            industry = Industry(code=row.code, **wanted)
        elif all(getattr(industry, k) == v for k, v in wanted.items()):
            continue
        else:
            for key, value in wanted.items():
                setattr(industry, key, value)
        industry.full_clean()
        industry.save()
        existing[row.code] = industry
        changed.append(row.code)
    if changed:
        audit.record("enterprises.industry.install", actor=actor, data={"changed": changed})
    return changed


# -- 统一社会信用代码 --------------------------------------------------------------------------------------


def uscc_validate(value: str, *, label: str = "") -> str:
    """A 统一社会信用代码 in compact form, or a ValidationError saying exactly what is wrong with it."""
    label = label or _("统一社会信用代码")
    text = uscc_number.compact(value or "")
    if not text:
        raise ValidationError(_("%(label)s不能为空") % {"label": label}, code="uscc_required")
    if len(text) != 18:
        raise ValidationError(
            _("%(label)s应为18位（“%(value)s”为%(n)s位）") % {"label": label, "value": text, "n": len(text)},
            code="uscc_length",
        )
    try:
        return str(uscc_number.validate(text))
    except stdnum_errors.InvalidChecksum as exc:
        expected = uscc_number.calc_check_digit(text[:17])
        raise ValidationError(
            _("%(label)s校验位错误：“%(value)s”的第18位应为“%(digit)s”，请核对营业执照")
            % {"label": label, "value": text, "digit": expected},
            code="uscc_checksum",
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("%(label)s格式错误：“%(value)s”含有不允许的字符（不能使用I、O、Z、S、V）")
            % {"label": label, "value": text},
            code="uscc_format",
        ) from exc


def _uscc_field(value: Any) -> str:
    try:
        return uscc_validate(str(value or ""))
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.error_list}) from exc


# -- the profile's rules ---------------------------------------------------------------------------


def profile_validate(data: dict[str, Any]) -> None:
    """The rules across a profile's fields; each refusal names its field."""
    land = data.get("land_area_mu")
    if land is not None and Decimal(land) <= 0:
        raise _refuse("land_area_mu", _("用地面积须大于0（现为%(value)s亩）") % {"value": land}, "land_area")
    industry = data.get("industry")
    if industry is not None and industry.level == IndustryLevel.SECTION:
        raise _refuse(
            "industry",
            _("国民经济行业须选到大类或更细，“%(industry)s”是门类") % {"industry": industry},
            "industry_level",
        )
    year = data.get("high_tech_year")
    if year is not None:
        if not data.get("is_high_tech"):
            raise _refuse("high_tech_year", _("填写了高企认定年度，但未标记为高新技术企业"), "high_tech_flag")
        this_year = timezone.localdate().year
        if not HIGH_TECH_FIRST_YEAR <= year <= this_year:
            raise _refuse(
                "high_tech_year",
                _("高企认定年度应在%(low)s至%(high)s年之间")
                % {"low": HIGH_TECH_FIRST_YEAR, "high": this_year},
                "high_tech_year",
            )
    if data.get("is_foreign") and not data.get("foreign_origin"):
        raise _refuse("foreign_origin", _("外资企业须填写外资来源国家/地区"), "foreign_origin_required")
    if data.get("foreign_origin") and not data.get("is_foreign"):
        raise _refuse("foreign_origin", _("填写了外资来源，但未标记为外资企业"), "foreign_flag")
    capital = data.get("registered_capital")
    if capital is not None and Decimal(capital) < 0:
        raise _refuse("registered_capital", _("注册资本不能为负数"), "capital_negative")
    founded = data.get("founded_on")
    if founded is not None and founded > timezone.localdate():
        raise _refuse("founded_on", _("成立日期不能晚于今天"), "founded_future")


def _profile_values(profile: EnterpriseProfile, data: dict[str, Any]) -> dict[str, Any]:
    """The profile's fields after applying `data` (fields not given keep their stored value)."""
    return {name: data[name] if name in data else getattr(profile, name) for name in PROFILE_FIELDS}


def _save_profile(profile: EnterpriseProfile, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply, check and save the profile's fields; the changes as {field: [old, new]}."""
    values = _profile_values(profile, data)
    profile_validate(values)
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        attname = EnterpriseProfile._meta.get_field(name).attname  # type: ignore[union-attr]
        old = getattr(profile, attname)
        new = value.pk if hasattr(value, "pk") else value
        if old != new:
            changes[name] = [str(old) if old is not None else None, str(new) if new is not None else None]
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return changes


def _sync_contacts(profile: EnterpriseProfile, *, actor: Any) -> None:
    """The Organisation's contact (used by direct reporting) follows the registry's."""
    org = profile.organisation
    wanted = {"contact_name": profile.contact_name, "contact_phone": profile.contact_phone}
    if any(getattr(org, k) != v for k, v in wanted.items()):
        account_services.organisation_update(obj=org, data=wanted, actor=actor)


def _move(org: Organisation, territory: Territory | None, *, actor: Any) -> None:
    if territory is not None and org.territory_id != territory.pk:
        account_services.organisation_update(obj=org, data={"territory": territory}, actor=actor)


# -- register, update, rename ----------------------------------------------------------------------


@transaction.atomic
def enterprise_register(
    *,
    model: type[EnterpriseProfile] = EnterpriseProfile,
    data: dict[str, Any],
    actor: Any,
    merge: bool = False,
) -> EnterpriseProfile:
    """Register an enterprise by its 统一社会信用代码. An Organisation of that code without a profile gets
    one; an enterprise already in the registry is refused (its page is where it changes) unless `merge`
    (the 企业名录 import), which merges the row into it. An actor (None for the system) may only touch an
    enterprise within its scope."""
    uscc = _uscc_field(data.get("uscc"))
    name = (data.get("name") or "").strip()
    territory = data.get("territory")
    org = Organisation.objects.select_for_update().filter(uscc=uscc).first()
    created = org is None
    if org is None:
        if not name:
            raise _refuse("name", _("新登记的企业须填写名称"), "name_required")
        if territory is None:
            raise _refuse("territory", _("新登记的企业须选择所属地区"), "territory_required")
        org = account_services.organisation_create(
            data={
                "name": name,
                "kind": OrganisationKind.ENTERPRISE,
                "territory": territory,
                "uscc": uscc,
                "contact_name": data.get("contact_name", ""),
                "contact_phone": data.get("contact_phone", ""),
            },
            actor=actor,
        )
        EnterpriseName.objects.create(organisation=org, name=org.name, valid_from=data.get("founded_on"))
    elif org.kind != OrganisationKind.ENTERPRISE:
        raise _refuse(
            "uscc",
            _("统一社会信用代码“%(uscc)s”已登记为%(kind)s“%(name)s”，不是企业，不能登记到企业库")
            % {"uscc": uscc, "kind": org.get_kind_display(), "name": org.name},
            "not_enterprise",
        )
    else:
        existing = EnterpriseProfile.objects.filter(organisation=org).first()
        if actor is not None and not allowed_via(
            actor, EnterpriseProfile, "change" if existing else "add", "organisation__", org
        ):
            raise _refuse("uscc", _("该统一社会信用代码已由其他地区登记，无权修改"), "out_of_scope")
        if existing is not None and not merge:
            raise _refuse(
                "uscc",
                _("该统一社会信用代码已登记为“%(name)s”，请在该企业页面修改") % {"name": org.name},
                "uscc_registered",
            )
        _move(org, territory, actor=actor)
        if name and name != org.name:
            enterprise_rename(enterprise=org, name=name, effective=timezone.localdate(), actor=actor)
            org.refresh_from_db()
    profile = EnterpriseProfile.objects.filter(organisation=org).first() or EnterpriseProfile(
        organisation=org
    )
    had_profile = profile.pk is not None
    changes = _save_profile(profile, data)
    _sync_contacts(profile, actor=actor)
    audit.record(
        "enterprises.enterprise.register",
        obj=profile,
        actor=actor,
        data={
            "uscc": uscc,
            "created": created,
            "merged": not created,
            "had_profile": had_profile,
            "changes": changes,
        },
    )
    return profile


@transaction.atomic
def enterprise_update(*, obj: EnterpriseProfile, data: dict[str, Any], actor: Any) -> EnterpriseProfile:
    """Change an enterprise's particulars; a new name is a rename from today, never its credit code."""
    org = Organisation.objects.select_for_update().get(pk=obj.organisation_id)
    if data.get("uscc") and _uscc_field(data["uscc"]) != org.uscc:
        raise _refuse(
            "uscc",
            _("统一社会信用代码不能修改（本企业为“%(uscc)s”）；代码不同即为另一家企业，请另行登记")
            % {"uscc": org.uscc},
            "uscc_immutable",
        )
    _move(org, data.get("territory"), actor=actor)
    name = (data.get("name") or "").strip()
    if name and name != org.name:
        enterprise_rename(enterprise=org, name=name, effective=timezone.localdate(), actor=actor)
    obj.organisation = Organisation.objects.get(pk=org.pk)
    changes = _save_profile(obj, data)
    _sync_contacts(obj, actor=actor)
    audit.record("enterprises.enterprise.update", obj=obj, actor=actor, data={"changes": changes})
    return obj


@transaction.atomic
def enterprise_rename(*, enterprise: Organisation, name: str, effective: date, actor: Any) -> EnterpriseName:
    """Rename an enterprise from a date: the old name is closed the day before, the new one opened."""
    org = Organisation.objects.select_for_update().get(pk=enterprise.pk)
    name = (name or "").strip()
    if org.kind != OrganisationKind.ENTERPRISE:
        raise _refuse(
            "name", _("“%(name)s”不是企业，不能在企业库中更名") % {"name": org.name}, "not_enterprise"
        )
    if not name:
        raise _refuse("name", _("新名称不能为空"), "name_required")
    if name == org.name:
        raise _refuse("name", _("新名称与现用名称相同"), "name_unchanged")
    if effective > timezone.localdate():
        raise _refuse("effective", _("更名日期不能晚于今天：到更名生效之日再登记"), "effective_future")
    clash = Organisation.objects.filter(territory=org.territory, kind=org.kind, name=name).exclude(pk=org.pk)
    if clash.exists():
        raise _refuse("name", _("本地区已有名为“%(name)s”的企业") % {"name": name}, "name_taken")
    current = EnterpriseName.objects.filter(organisation=org, valid_to__isnull=True).first()
    if current is None:
        current = EnterpriseName.objects.create(organisation=org, name=org.name, valid_from=None)
    if current.valid_from is not None and effective <= current.valid_from:
        raise _refuse(
            "effective",
            _("更名日期须晚于现用名称的启用日期（%(since)s）") % {"since": current.valid_from.isoformat()},
            "effective_order",
        )
    old = org.name
    current.valid_to = effective - timedelta(days=1)
    current.save(update_fields=["valid_to", "updated_at"])
    record = EnterpriseName.objects.create(organisation=org, name=name, valid_from=effective)
    account_services.organisation_update(obj=org, data={"name": name}, actor=actor)
    enterprise.name = name
    audit.record(
        "enterprises.enterprise.rename",
        obj=org,
        actor=actor,
        data={"from": old, "to": name, "effective": effective.isoformat()},
    )
    return record
