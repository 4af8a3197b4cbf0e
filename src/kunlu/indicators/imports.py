"""S1 datasets loaded from Excel/CSV: the indicator catalogue, facts as long or wide tables, annual targets.

- "indicators.indicator": the catalogue by code; unchanged rows write nothing.
- "indicators.observation_long": one value a row, of a territory (地区代码) or an enterprise (信用代码).
- "indicators.observation_wide": the statistics bureau's monthly table: territories as rows, indicators as
  columns (headed by the catalogue's name or code), the month in the leading columns 年 and 月.
- "indicators.target": annual targets per territory and indicator.

Facts are written through the services as new versions, with the import batch as their source; a value
equal to the current version writes nothing, so the same data twice changes nothing. A value about 10⁴
times off the same key's history (元 written for 万元) is an error in the preview unless the row's 确认
column says 是: the framework knows errors only, and a unit slip must not pass unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.imports import enterprise_for, enterprises_by_uscc
from kunlu.accounts.models import Organisation
from kunlu.core import crud
from kunlu.core.imports.datasets import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Dataset,
    Parser,
    choice_parser,
    decimal_parser,
    register,
)
from kunlu.core.models import ImportBatch, Period, Territory
from kunlu.core.permissions import has_model_permission, permitted_territories
from kunlu.core.services import period_for
from kunlu.indicators import services
from kunlu.indicators.choices import Additivity, Basis, Caliber, Currency, Frequency, PriceBasis, Unit
from kunlu.indicators.models import Indicator, Observation, Target, UnitObservation

YEAR_MIN, YEAR_MAX = 2000, 2100
# A value this many powers of ten off its history (about 10⁴: 元 for 万元, 亿元 for 万元) is flagged.
MAGNITUDE_POWERS = Decimal("3.5")
# Headers of the wide table's indicator columns become fields named by this prefix and the indicator code.
INDICATOR_FIELD = "indicator:"
CHUNK = 500

_YEAR = re.compile(r"^(\d{4})\s*年?$")
_MONTH = re.compile(r"^(\d{1,2})\s*月?$")
_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
_UNIT_SUFFIX = re.compile(r"^(.+?)\s*[（(]\s*([^（）()]+?)\s*[)）]$")
_PREFIX_POWER = {"": 0, "万": 4, "亿": 8}
_FRACTION = {3: "千", 4: "万", 5: "十万", 6: "百万", 7: "千万", 8: "亿"}
_MONEY_CURRENCY: dict[str, Currency] = {
    Unit.WAN_YUAN: Currency.CNY,
    Unit.YI_YUAN: Currency.CNY,
    Unit.WAN_USD: Currency.USD,
    Unit.YI_USD: Currency.USD,
}


# -- cell parsers -------------------------------------------------------------------------------------------


def year_parser(text: str) -> int:
    """A year written as 2025 or 2025年."""
    match = _YEAR.match(text.strip())
    if match and YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
        return int(match.group(1))
    raise ValidationError(
        _("“%(value)s”不是年份，应为%(low)s至%(high)s之间的四位数字，如2025")
        % {"value": text, "low": YEAR_MIN, "high": YEAR_MAX},
        code="year",
    )


def month_parser(text: str) -> int:
    """A month written as 9, 09 or 9月."""
    match = _MONTH.match(text.strip())
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(1))
    raise ValidationError(_("“%(value)s”不是月份，应为1至12的数字，如9") % {"value": text}, code="month")


def basis_parser(text: str) -> str:
    """当月 or 累计 (also the catalogue's labels and stored values)."""
    wanted = text.strip().replace("-", "–")
    accepted: dict[str, str] = {"当月": Basis.MONTH, "累计": Basis.YTD}
    accepted |= {str(label): value for value, label in Basis.choices}
    accepted |= {str(value): value for value in Basis.values}
    found = accepted.get(wanted) or accepted.get(wanted.lower())
    if found is None:
        raise ValidationError(
            _("“%(value)s”不是数值口径，应为“当月”或“累计”") % {"value": text}, code="basis"
        )
    return str(found)


def yes_no_parser(text: str) -> bool:
    """是 or 否 (also Y/N, true/false, 1/0)."""
    wanted = text.strip().lower()
    if wanted in {"是", str(_("是")).lower(), "y", "yes", "true", "1", "√"}:
        return True
    if wanted in {"否", str(_("否")).lower(), "n", "no", "false", "0"}:
        return False
    raise ValidationError(_("“%(value)s”应为“是”或“否”") % {"value": text}, code="yes_no")


def integer_parser(*, low: int, high: int) -> Parser:
    """Read a whole number between `low` and `high`."""

    def parse(text: str) -> int:
        """The whole number written in a cell."""
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value() or not low <= number <= high:
            raise ValidationError(
                _("“%(value)s”应为%(low)s至%(high)s之间的整数") % {"value": text, "low": low, "high": high},
                code="integer",
            )
        return int(number)

    return parse


def code_parser(text: str) -> str:
    """An indicator code: letters, digits, _ or -, at most 40 characters."""
    if not _CODE.match(text):
        raise ValidationError(
            _("“%(value)s”不是有效的指标代码：只能由字母、数字、下划线或连字符组成，最多40个字符")
            % {"value": text},
            code="code",
        )
    return text


_number = decimal_parser(places=4)  # the stored precision: a finer value would look changed every time


def value_parser(text: str) -> Decimal:
    """A fact's value: a number within the stored range, kept to four decimal places."""
    value: Decimal = _number(text)
    if abs(value) >= services.MAX_ABS_VALUE:
        raise ValidationError(_("数值超出允许范围（绝对值须小于10的15次方）"), code="value_range")
    return value


def _plain(value: Decimal) -> str:
    """A stored value as people write it: 1234.5, not 1234.5000."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _month_label(year: int, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": year, "month": month}


# -- the magnitude check -------------------------------------------------------------------------------------


def magnitude_off(value: Decimal, reference: Decimal) -> int | None:
    """The power of ten by which a value is off its reference, when it is about 10⁴ or more; else None."""
    if not value or not reference:
        return None
    powers = (abs(value) / abs(reference)).log10()
    if abs(powers) < MAGNITUDE_POWERS:
        return None
    return int(powers.to_integral_value())


def mistaken_unit(unit: str, powers: int) -> str:
    """The unit a value `powers` of ten off was probably written in (元 for 万元 at +4), or ""."""
    prefix = unit[:1] if unit[:1] in ("万", "亿") and len(unit) > 1 else ""
    wrong = _PREFIX_POWER[prefix] - powers
    for other, power in _PREFIX_POWER.items():
        if power == wrong:
            return other + unit[len(prefix) :]
    return ""


def magnitude_message(*, powers: int, reference: Decimal, when: str, unit: str) -> str:
    """Why a value is flagged: how far off its history it is, and the unit it was probably written in."""
    if powers > 0:
        factor = _("%(n)s倍") % {"n": 10**powers}
    else:
        factor = _("%(n)s分之一") % {"n": _FRACTION.get(-powers, f"10^{-powers}")}
    text = _("数值约为历史值的%(factor)s（%(when)s为%(reference)s）") % {
        "factor": factor,
        "when": when,
        "reference": _plain(reference),
    }
    wrong = mistaken_unit(unit, powers)
    if wrong:
        text += _("，是否误用“%(wrong)s”作单位（应为%(unit)s）？") % {"wrong": wrong, "unit": unit}
    else:
        text += _("，请核对单位。")
    return text + _("核对无误请在「%(column)s」列填“%(yes)s”后重新上传") % {
        "column": _("确认"),
        "yes": _("是"),
    }


def history_months(year: int, month: int) -> list[tuple[int, int]]:
    """The months a value is compared with: the previous month, then the same month last year."""
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    return [previous, (year - 1, month)]


# -- lookups in the uploader's scope ---------------------------------------------------------------------


def territories_for_adding(actor: Any, model: type[models.Model]) -> dict[str, Territory]:
    """Territories, by code, that the user sees and may add records of `model` in."""
    visible = Territory.objects.restrict(actor, "view")
    return {t.code: t for t in permitted_territories(actor, model, "add") & visible}


class _InScope(Dataset):
    """Indicators by code and the territories where the uploader may add `scope_model` records."""

    scope_model: ClassVar[type[models.Model]] = Observation

    def __init__(self) -> None:
        super().__init__()
        self._indicators: dict[str, Indicator] = {}
        self._territories: dict[str, Territory] = {}
        self._visible: set[str] = set()

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Facts and targets are added as new versions, never changed: upload rights and the add right do."""
        return has_model_permission(user, ImportBatch, "add") and has_model_permission(
            user, cls.scope_model, "add"
        )

    def catalogue(self) -> dict[str, Indicator]:
        """Every indicator by code, read once per file."""
        if not self._indicators:
            self._indicators = {i.code: i for i in Indicator.objects.all()}
        return self._indicators

    def prepare(self, *, actor: Any) -> None:
        """Load the catalogue and the territories the uploader may add records in, once per file."""
        self.catalogue()
        self._territories = territories_for_adding(actor, self.scope_model)
        self._visible = set(Territory.objects.restrict(actor, "view").values_list("code", flat=True))

    def indicator_by_code(self, text: str) -> Indicator:
        """An active indicator of the catalogue by its code."""
        indicators = self.catalogue()
        indicator = indicators.get(text) or indicators.get(text.lower())
        if indicator is None:
            raise ValidationError(
                _("指标代码“%(code)s”不在指标目录中") % {"code": text}, code="indicator_unknown"
            )
        if not indicator.is_active:
            raise ValidationError(
                _("指标“%(name)s”（%(code)s）已停用，不能导入数据")
                % {"name": indicator.name, "code": indicator.code},
                code="indicator_inactive",
            )
        return indicator

    def parse_indicator(self, text: str, *, actor: Any) -> Indicator:
        """An active indicator by its code."""
        return self.indicator_by_code(text)

    def parse_territory(self, text: str, *, actor: Any) -> Territory:
        """A territory code within the uploader's scope for adding records."""
        territory = self._territories.get(text) or self._territories.get(text.upper())
        if territory is not None:
            return territory
        if text in self._visible or text.upper() in self._visible:
            raise ValidationError(
                _("您无权为地区“%(code)s”导入数据") % {"code": text}, code="territory_scope"
            )
        raise ValidationError(
            _("地区代码“%(code)s”不存在，或不在您的管理范围内") % {"code": text}, code="territory_unknown"
        )


# -- facts: what the long and the wide table share ---------------------------------------------------------

Key = tuple[str, int, int, int, int, str]


class _FactDataset(_InScope):
    """Facts written as new versions through the services, checked against their history's magnitude.

    A record is a dict with indicator, territory or enterprise, year, month, basis, value, source, note,
    confirmed, and `field`: the column its value came from (where its messages are shown).
    """

    def __init__(self) -> None:
        super().__init__()
        self._stored: dict[Key, Decimal] = {}
        self._at: datetime | None = None
        self._periods: dict[tuple[int, int], Period] = {}

    @staticmethod
    def holder(values: dict[str, Any]) -> tuple[str, int]:
        """Whose fact it is: ("enterprise", pk) or ("territory", pk)."""
        if values.get("enterprise") is not None:
            return "enterprise", values["enterprise"].pk
        return "territory", values["territory"].pk

    def key(self, values: dict[str, Any], year: int, month: int) -> Key:
        """The fact's key for a month: whose, which indicator, the month, the basis."""
        kind, pk = self.holder(values)
        return kind, values["indicator"].pk, pk, year, month, values["basis"]

    def preload(self, rows: Iterable[dict[str, Any]], *, actor: Any = None) -> None:
        """Read the current values of the records' keys and of their history months, in a few queries."""
        records = list(rows)
        months = {
            month
            for r in records
            for month in [(r["year"], r["month"]), *history_months(r["year"], r["month"])]
        }
        periods = [
            pk
            for pk, year, month in Period.objects.filter(year__in={y for y, _m in months}).values_list(
                "pk", "year", "month"
            )
            if (year, month) in months
        ]
        for kind, model in (("territory", Observation), ("enterprise", UnitObservation)):
            mine = [r for r in records if self.holder(r)[0] == kind]
            holders = sorted({r[kind].pk for r in mine})
            indicators = sorted({r["indicator"].pk for r in mine})
            for start in range(0, len(holders), CHUNK):
                current = model.objects.filter(
                    superseded_at__isnull=True,
                    indicator_id__in=indicators,
                    period_id__in=periods,
                    **{f"{kind}_id__in": holders[start : start + CHUNK]},
                ).values_list("indicator_id", f"{kind}_id", "period__year", "period__month", "basis", "value")
                for indicator, holder, year, month, basis, value in current:
                    self._stored[(kind, indicator, holder, year, month, basis)] = value

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """Unchanged when the value equals the current version; else the magnitude check, then a version."""
        stored = self._stored.get(self.key(values, values["year"], values["month"]))
        if stored is not None and stored == values["value"]:
            return UNCHANGED
        try:
            services.check_sign(values["indicator"], values["value"])
        except ValidationError as exc:
            raise ValidationError({values.get("field", "value"): exc.error_dict["value"]}) from exc
        if not values.get("confirmed"):
            self.check_magnitude(values)
        return CREATED if stored is None else UPDATED

    def check_magnitude(self, values: dict[str, Any]) -> None:
        """Refuse a value about 10⁴ off every month of its history that has one (元 written for 万元)."""
        flagged = []
        for year, month in history_months(values["year"], values["month"]):
            reference = self._stored.get(self.key(values, year, month))
            if not reference:
                continue
            powers = magnitude_off(values["value"], reference)
            if powers is None:
                return  # in line with one month of its history: not a unit slip
            flagged.append((powers, reference, _month_label(year, month)))
        if flagged:
            powers, reference, when = flagged[0]
            message = magnitude_message(
                powers=powers, reference=reference, when=when, unit=values["indicator"].unit
            )
            raise ValidationError({values.get("field", "value"): ValidationError(message, code="magnitude")})

    def period(self, year: int, month: int) -> Period:
        """The month's Period, created when first written (never by a preview)."""
        if (year, month) not in self._periods:
            self._periods[(year, month)] = period_for(year, month)
        return self._periods[(year, month)]

    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Record the value through the services, the batch as its source (audited once, by the commit)."""
        if self._at is None:
            self._at = timezone.now()  # one moment for the whole batch: as-of reads see all of it or none
        common = {
            "indicator": values["indicator"],
            "period": self.period(values["year"], values["month"]),
            "basis": values["basis"],
            "value": values["value"],
            "actor": actor,
            "batch": self.batch,
            "source": values.get("source") or "",
            "note": values.get("note") or "",
            "at": self._at,
            "audited": False,
        }
        fact: Observation | UnitObservation
        try:
            if values.get("enterprise") is not None:
                fact, written = services.unit_observation_record(enterprise=values["enterprise"], **common)
            else:
                fact, written = services.observation_record(territory=values["territory"], **common)
        except ValidationError as exc:
            raise _on_value_column(exc, values.get("field", "value")) from exc
        if not written:
            return fact, UNCHANGED
        return fact, CREATED if fact.version == 1 else UPDATED


def _on_value_column(exc: ValidationError, field: str) -> ValidationError:
    """A service's refusal of a value or indicator, shown on the column the value came from."""
    if field == "value" or not hasattr(exc, "error_dict"):
        return exc
    moved: dict[str, Any] = {}
    for name, errors in exc.error_dict.items():
        moved.setdefault(field if name in ("value", "indicator") else name, []).extend(errors)
    return ValidationError(moved)


def _basis_column() -> Column:
    return Column(
        "basis",
        gettext_lazy("数值口径"),
        parse=basis_parser,
        help=gettext_lazy("当月或累计（1–N月累计）；留空按指标目录中该指标的报送方式"),
        example="累计",
        choices=[gettext_lazy("当月"), gettext_lazy("累计")],
    )


def _confirm_column() -> Column:
    return Column(
        "confirmed",
        gettext_lazy("确认"),
        parse=yes_no_parser,
        help=gettext_lazy(
            "数值与同一指标上月或上年同月的数值相差约一万倍时，检查会报错（常见于把“元”当作“万元”）；"
            "核对无误后在该行填“是”再上传"
        ),
        example="",
        choices=[gettext_lazy("是"), gettext_lazy("否")],
    )


def _source_column() -> Column:
    return Column(
        "source",
        gettext_lazy("来源"),
        help=gettext_lazy("数据来源，如统计局月报，最多100字"),
        example="统计局",
    )


def _year_column(header: Any = None) -> Column:
    return Column(
        "year",
        header or gettext_lazy("年"),
        required=True,
        parse=year_parser,
        help=gettext_lazy("四位数字，如2025"),
        example="2025",
    )


def _month_column() -> Column:
    return Column(
        "month",
        gettext_lazy("月"),
        required=True,
        parse=month_parser,
        help=gettext_lazy("1至12的数字；1–2月合并报送的数据填2"),
        example="9",
    )


def _indicator_code_column() -> Column:
    return Column(
        "indicator",
        gettext_lazy("指标代码"),
        required=True,
        help=gettext_lazy("指标目录中的代码（见“经济运行监测 → 指标目录”），如 ind_output"),
        example="ind_output",
    )


def _territory_code_column(required: bool = False) -> Column:
    return Column(
        "territory",
        gettext_lazy("地区代码"),
        required=required,
        help=gettext_lazy("地区代码（见“基础数据 → 地区”），须在您的管理范围内"),
        example="KS-GX",
    )


@register
class ObservationLongDataset(_FactDataset):
    """Facts one a row: a territory's (地区代码) or an enterprise's (信用代码) value of an indicator."""

    name = "indicators.observation_long"
    title = gettext_lazy("指标数据（长表）")
    description = gettext_lazy(
        "每行一个数值：地区的数据填地区代码，企业的数据填统一社会信用代码（二者填且只填一个）。"
        "数值与当前版本相同的行不会写入；数值改变时记为新版本，旧版本保留。"
        "数值与上月或上年同月相差约一万倍时须在「确认」列填“是”。"
    )
    model = Observation
    columns = (
        _territory_code_column(),
        Column(
            "enterprise",
            gettext_lazy("统一社会信用代码"),
            help=gettext_lazy("企业的18位统一社会信用代码；企业须已登记且在您的管理范围内"),
            example=demo_uscc(1),
        ),
        _indicator_code_column(),
        _year_column(),
        _month_column(),
        _basis_column(),
        Column(
            "value",
            gettext_lazy("数值"),
            required=True,
            parse=value_parser,
            help=gettext_lazy("按指标目录中该指标的单位填写（如万元），不要填公式"),
            example="12345.6",
        ),
        _source_column(),
        Column("note", gettext_lazy("备注"), help=gettext_lazy("最多255字"), example=""),
        _confirm_column(),
    )
    natural_key = ("indicator", "territory", "year", "month", "basis")
    fallback_keys = (("indicator", "enterprise", "year", "month", "basis"),)

    def __init__(self) -> None:
        super().__init__()
        self._enterprises: dict[str, Organisation] = {}
        self._unit_territories: set[int] = set()

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Upload rights and the right to add territory or enterprise facts somewhere."""
        return has_model_permission(user, ImportBatch, "add") and (
            has_model_permission(user, Observation, "add")
            or has_model_permission(user, UnitObservation, "add")
        )

    def prepare(self, *, actor: Any) -> None:
        """Also load the enterprises the uploader sees, and where enterprise facts may be added."""
        super().prepare(actor=actor)
        self._enterprises = enterprises_by_uscc(actor)
        self._unit_territories = set(
            permitted_territories(actor, UnitObservation, "add").values_list("pk", flat=True)
        )

    def parse_enterprise(self, text: str, *, actor: Any) -> Organisation:
        """An enterprise by its 统一社会信用代码, in a territory where the uploader may add its facts."""
        enterprise = enterprise_for(self._enterprises, text)
        if enterprise.territory_id not in self._unit_territories:
            raise ValidationError(
                _("您无权为企业“%(name)s”导入数据") % {"name": enterprise.name}, code="enterprise_scope"
            )
        return enterprise

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """Exactly one of territory and enterprise; an empty basis is the indicator's reporting basis."""
        if (values.get("territory") is None) == (values.get("enterprise") is None):
            raise ValidationError(
                {
                    "territory": _(
                        "地区代码和统一社会信用代码须填且只填一个：地区的数据填地区代码，企业的数据填统一社会信用代码"
                    )
                },
                code="holder",
            )
        if not values.get("basis"):
            values["basis"] = values["indicator"].reporting_basis

    @staticmethod
    def shown_field(key: tuple[str, ...]) -> str:
        """A repeated key is shown on whose fact it is (地区代码 or 统一社会信用代码)."""
        return key[1]


@register
class ObservationWideDataset(_FactDataset):
    """The statistics bureau's monthly table: a row per territory, a column per indicator, one month."""

    name = "indicators.observation_wide"
    title = gettext_lazy("地区指标数据（统计局宽表）")
    description = gettext_lazy(
        "一个文件是一个月的报表：每行一个地区（填地区代码或地区名称），年、月在每行重复填写；"
        "其余每列一个指标，表头写指标目录中的指标名称或代码，可在括号中注明单位，如“规上工业总产值（万元）”，"
        "单位须与指标目录一致。空白单元格表示没有数值（不是零）。数值口径留空时按各指标的报送方式。"
    )
    model = Observation
    columns = (
        _year_column(),
        _month_column(),
        _basis_column(),
        _territory_code_column(),
        Column(
            "territory_name",
            gettext_lazy("地区名称"),
            help=gettext_lazy("没有地区代码时填地区名称，须与“基础数据 → 地区”中的名称一致"),
            example="昆山高新区",
        ),
        _source_column(),
        _confirm_column(),
    )
    natural_key = ("territory",)

    def __init__(self) -> None:
        super().__init__()
        self._month: tuple[int, int, str] | None = None

    @classmethod
    def template_columns(cls) -> Sequence[Column]:
        """The fixed columns, then a column per active monthly or quarterly indicator (ratios are derived)."""
        indicators = list(
            Indicator.objects.filter(is_active=True)
            .exclude(frequency=Frequency.ANNUAL)
            .exclude(additivity=Additivity.RATIO)
        )
        names = [i.name for i in indicators]
        return [
            *cls.columns,
            *(
                Column(
                    f"{INDICATOR_FIELD}{i.code}",
                    i.name if names.count(i.name) == 1 else i.code,
                    help=_("指标代码%(code)s，单位%(unit)s，默认为%(basis)s数")
                    % {"code": i.code, "unit": i.unit, "basis": i.get_reporting_basis_display()},
                )
                for i in indicators
            ),
        ]

    def header_column(self, header: str) -> Column | None:
        """An indicator column, headed by the indicator's name or code (a unit in brackets must match)."""
        indicator = self._indicator_for_header(header)
        if not indicator.is_active:
            raise ValidationError(
                _("指标“%(name)s”已停用，不能导入数据") % {"name": indicator.name}, code="indicator_inactive"
            )
        field = f"{INDICATOR_FIELD}{indicator.code}"
        for other in self.named_columns:
            if other.field == field:
                raise ValidationError(
                    _("与「%(other)s」列是同一指标“%(name)s”，每个指标只能有一列")
                    % {"other": other.title, "name": indicator.name},
                    code="indicator_repeated",
                )
        return Column(field, header, parse=value_parser)

    def _indicator_for_header(self, header: str) -> Indicator:
        found = self._indicator_named(header)
        if found is not None:
            return found
        match = _UNIT_SUFFIX.match(header)
        if match:
            found = self._indicator_named(match.group(1))
            if found is not None:
                unit = match.group(2)
                if unit != found.unit:
                    raise ValidationError(
                        _(
                            "表头注明的单位“%(given)s”与指标目录中“%(name)s”的单位“%(unit)s”不一致，请换算后导入"
                        )
                        % {"given": unit, "name": found.name, "unit": found.unit},
                        code="unit_mismatch",
                    )
                return found
        fixed = "、".join(c.title for c in self.columns)
        raise ValidationError(
            _("不是指标目录中的指标名称或代码，也不是本表的固定列（%(fixed)s）") % {"fixed": fixed},
            code="indicator_unknown",
        )

    def _indicator_named(self, text: str) -> Indicator | None:
        """The indicator whose code or name is `text`; an ambiguous name is refused."""
        catalogue = self.catalogue()
        by_code = catalogue.get(text) or catalogue.get(text.lower())
        if by_code is not None:
            return by_code
        named = [i for i in catalogue.values() if i.name == text]
        if len(named) > 1:
            raise ValidationError(
                _("指标名称“%(name)s”对应多个指标（%(codes)s），请改用指标代码作表头")
                % {"name": text, "codes": "、".join(i.code for i in named)},
                code="indicator_ambiguous",
            )
        return named[0] if named else None

    def parse_territory_name(self, text: str, *, actor: Any) -> Territory:
        """A territory within the uploader's scope, by its name."""
        named = [t for t in self._territories.values() if t.name == text]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValidationError(
                _("地区名称“%(name)s”对应多个地区，请改填地区代码") % {"name": text},
                code="territory_ambiguous",
            )
        raise ValidationError(
            _("地区名称“%(name)s”不存在，或不在您的管理范围内") % {"name": text}, code="territory_unknown"
        )

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """The row's territory by code or name; every row of the file is of the same month and basis."""
        if not self.named_columns:
            raise ValidationError(
                _("表中没有指标列：表头在固定列之后应列出指标目录中的指标名称或代码"), code="no_indicators"
            )
        by_code, by_name = values.get("territory"), values.pop("territory_name", None)
        if by_code is None and by_name is None:
            raise ValidationError({"territory": _("须填写地区代码或地区名称")}, code="territory_required")
        if by_code is not None and by_name is not None and by_code != by_name:
            raise ValidationError(
                {
                    "territory_name": _("地区名称“%(name)s”与地区代码“%(code)s”不是同一地区")
                    % {"name": by_name.name, "code": by_code.code}
                },
                code="territory_mismatch",
            )
        values["territory"] = by_code or by_name
        month = (values["year"], values["month"], values.get("basis") or "")
        if self._month is None:
            self._month = month
        elif month != self._month:
            field = (
                "year" if month[0] != self._month[0] else "month" if month[1] != self._month[1] else "basis"
            )
            raise ValidationError(
                {
                    field: _("一个文件只能是一个月、一种口径的报表：前面的行为%(first)s，本行为%(this)s")
                    % {"first": self._month_text(self._month), "this": self._month_text(month)}
                },
                code="one_month",
            )

    @staticmethod
    def _month_text(month: tuple[int, int, str]) -> str:
        year, number, basis = month
        kind = dict(Basis.choices).get(basis, _("各指标的报送方式"))
        return _("%(month)s（%(basis)s）") % {"month": _month_label(year, number), "basis": kind}

    def records(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """A fact per filled indicator cell of the row; an empty cell is no value, not zero."""
        catalogue = self.catalogue()
        facts = []
        for column in self.named_columns:
            value = values.get(column.field)
            if value is None:
                continue
            indicator = catalogue[column.field.removeprefix(INDICATOR_FIELD)]
            facts.append(
                {
                    "indicator": indicator,
                    "territory": values["territory"],
                    "year": values["year"],
                    "month": values["month"],
                    "basis": values.get("basis") or indicator.reporting_basis,
                    "value": value,
                    "source": values.get("source") or "",
                    "confirmed": values.get("confirmed"),
                    "field": column.field,
                }
            )
        return facts


# -- targets ----------------------------------------------------------------------------------------------


@register
class TargetDataset(_InScope):
    """Annual targets by territory, indicator and year; a changed target becomes a new version."""

    name = "indicators.target"
    title = gettext_lazy("年度目标")
    description = gettext_lazy(
        "每行一个地区一个指标一个年度的目标值：与当前目标相同的行不会写入，目标值改变时记为新版本，旧版本保留。"
    )
    model = Target
    scope_model = Target
    columns = (
        _territory_code_column(required=True),
        _indicator_code_column(),
        _year_column(gettext_lazy("年度")),
        Column(
            "value",
            gettext_lazy("目标值"),
            required=True,
            parse=value_parser,
            help=gettext_lazy("全年目标，按指标目录中该指标的单位填写（如万元）"),
            example="1200000",
        ),
        Column("note", gettext_lazy("备注"), help=gettext_lazy("最多255字"), example=""),
    )
    natural_key = ("territory", "indicator", "year")

    def __init__(self) -> None:
        super().__init__()
        self._stored: dict[tuple[int, int, int], Decimal] = {}

    def preload(self, rows: Iterable[dict[str, Any]], *, actor: Any = None) -> None:
        """Read the current targets of the rows' keys, in a few queries."""
        records = list(rows)
        territories = sorted({r["territory"].pk for r in records})
        for start in range(0, len(territories), CHUNK):
            current = Target.objects.filter(
                superseded_at__isnull=True,
                territory_id__in=territories[start : start + CHUNK],
                indicator_id__in={r["indicator"].pk for r in records},
                year__in={r["year"] for r in records},
            ).values_list("indicator_id", "territory_id", "year", "value")
            for indicator, territory, year, value in current:
                self._stored[(indicator, territory, year)] = value

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """Unchanged when the target equals the current version, else a new version."""
        stored = self._stored.get((values["indicator"].pk, values["territory"].pk, values["year"]))
        if stored is None:
            return CREATED
        return UNCHANGED if stored == values["value"] else UPDATED

    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Set the target through services.target_set (which audits each changed target)."""
        target, written = services.target_set(
            indicator=values["indicator"],
            territory=values["territory"],
            year=values["year"],
            value=values["value"],
            note=values.get("note") or "",
            actor=actor,
        )
        if not written:
            return target, UNCHANGED
        return target, CREATED if target.version == 1 else UPDATED


# -- the catalogue ----------------------------------------------------------------------------------------

# Cells that may be left empty: a new indicator then takes the default, an existing one keeps its value.
DEFAULTED = (
    "caliber",
    "additivity",
    "reporting_basis",
    "frequency",
    "precision",
    "price_basis",
    "sort_order",
    "is_active",
)
REFERENCES = ("numerator", "denominator", "parent")


def _choices_help(labels: Sequence[Any]) -> Any:
    """「从下拉列表选择：…」, translated when shown (the labels are lazy too)."""
    return format_lazy("{}{}", gettext_lazy("从下拉列表选择："), lazy(_joined, str)(labels))


def _joined(labels: Sequence[Any]) -> str:
    return "、".join(str(label) for label in labels)


def _choice_column(field: str, header: Any, choices: type[models.Choices], example: str) -> Column:
    labels = [label for _value, label in choices.choices]
    return Column(
        field,
        header,
        parse=choice_parser(choices),
        help=_choices_help(labels),
        example=example,
        choices=labels,
    )


def _reference_column(field: str, header: Any) -> Column:
    return Column(
        field,
        header,
        help=gettext_lazy("另一指标的代码：须已在指标目录中，或在本文件前面的行中"),
        example="",
    )


@register
class IndicatorDataset(Dataset):
    """The indicator catalogue by code: new codes are added, known ones updated, equal rows left alone.

    The headers are those of the catalogue's export, so an exported file imports back unchanged.
    """

    name = "indicators.indicator"
    title = gettext_lazy("指标目录")
    description = gettext_lazy(
        "按指标代码识别：已有的指标更新，没有的新增，与现有内容相同的行不作任何更改。"
        "选项按中文名称填写；分子、分母和所属指标填指标代码。可以先在“指标目录”页面导出，修改后再导入。"
    )
    model = Indicator
    columns = (
        Column(
            "code",
            gettext_lazy("代码"),
            required=True,
            parse=code_parser,
            help=gettext_lazy("字母、数字、下划线或连字符，最多40个字符，如 ind_output"),
            example="ind_output",
        ),
        Column(
            "name",
            gettext_lazy("名称"),
            required=True,
            help=gettext_lazy("最多100字"),
            example="规上工业总产值",
        ),
        Column(
            "name_en",
            gettext_lazy("英文名称"),
            help=gettext_lazy("最多200个字符"),
            example="Industrial output",
        ),
        Column(
            "unit",
            gettext_lazy("单位"),
            required=True,
            parse=choice_parser(Unit),
            help=_choices_help(Unit.values),
            example="万元",
            choices=list(Unit.values),
        ),
        Column(
            "currency",
            gettext_lazy("币种"),
            parse=choice_parser(Currency),
            help=gettext_lazy(
                "人民币、美元或非货币；万元、亿元的指标为人民币，万美元、亿美元的为美元，留空时按单位确定"
            ),
            example="人民币",
            choices=[label for _value, label in Currency.choices],
        ),
        _choice_column("caliber", gettext_lazy("统计口径"), Caliber, "规上"),
        Column(
            "source_department",
            gettext_lazy("数据来源部门"),
            help=gettext_lazy("最多100字"),
            example="统计局",
        ),
        _choice_column("additivity", gettext_lazy("可加性"), Additivity, "可加总"),
        _reference_column("numerator", gettext_lazy("分子指标代码")),
        _reference_column("denominator", gettext_lazy("分母指标代码")),
        _reference_column("parent", gettext_lazy("所属指标（其中项）代码")),
        Column(
            "reporting_basis",
            gettext_lazy("报送方式"),
            parse=basis_parser,
            help=gettext_lazy("当月或1–N月累计"),
            example="1–N月累计",
            choices=[label for _value, label in Basis.choices],
        ),
        _choice_column("frequency", gettext_lazy("频率"), Frequency, "月度"),
        Column(
            "precision",
            gettext_lazy("显示小数位"),
            parse=integer_parser(low=0, high=6),
            help=gettext_lazy("0至6的整数"),
            example="1",
        ),
        _choice_column("price_basis", gettext_lazy("价格口径"), PriceBasis, "现价（名义）"),
        Column(
            "sort_order",
            gettext_lazy("排序"),
            parse=integer_parser(low=0, high=2_000_000_000),
            help=gettext_lazy("非负整数，小的在前"),
            example="10",
        ),
        Column(
            "is_active",
            gettext_lazy("启用"),
            parse=yes_no_parser,
            help=gettext_lazy("是或否；停用的指标不能再录入数据"),
            example="是",
            choices=[gettext_lazy("是"), gettext_lazy("否")],
        ),
        Column("description", gettext_lazy("说明"), help=gettext_lazy("口径、计算方法等"), example=""),
    )
    natural_key = ("code",)

    def __init__(self) -> None:
        super().__init__()
        self._by_code: dict[str, Indicator] = {}
        self._codes_above: set[str] = set()

    def prepare(self, *, actor: Any) -> None:
        """Load the catalogue, for the references between indicators, once per file."""
        self._by_code = {i.code: i for i in Indicator.objects.all()}
        self._codes_above = set()

    def _reference(self, text: str, *, actor: Any) -> Indicator | str:
        """An indicator of the catalogue, or the code of one a row above adds (checked in clean_row)."""
        return self._by_code.get(text) or code_parser(text)

    parse_numerator = parse_denominator = parse_parent = _reference

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """Empty defaulted cells keep the default; references point at known codes or at rows above."""
        for name in DEFAULTED:
            if values.get(name) in (None, ""):
                values.pop(name, None)
        for name in REFERENCES:
            target = values.get(name)
            if isinstance(target, str) and target not in self._codes_above:
                column = self.column_of(name)
                raise ValidationError(
                    {
                        name: _("指标代码“%(code)s”不在指标目录中，也不在本文件前面的行中（%(column)s）")
                        % {"code": target, "column": column.title if column else name}
                    },
                    code="indicator_unknown",
                )
        unit, currency = values.get("unit"), values.get("currency")
        expected = _MONEY_CURRENCY.get(unit) if unit else None
        if expected is not None and not currency:
            values["currency"] = str(expected)  # 万元 is 人民币, 万美元 is 美元: no need to say it twice
        self._codes_above.add(values["code"])

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """What the row would do, refusing in the preview what saving would refuse."""
        action = super().plan_row(values, actor=actor)
        if action != UNCHANGED:
            self._validate(values, self.find(values))
        return action

    def _validate(self, values: dict[str, Any], stored: models.Model | None) -> None:
        """The catalogue's rules on the indicator as the row would leave it."""
        fields = Indicator._meta.concrete_fields
        indicator = (
            Indicator(**{f.attname: getattr(stored, f.attname) for f in fields}) if stored else Indicator()
        )
        pending = [n for n in REFERENCES if isinstance(values.get(n), str)]  # added by a row above
        for name, value in values.items():
            if name not in pending:
                setattr(indicator, name, value)
        if indicator.additivity == Additivity.RATIO:
            for name in ("numerator", "denominator"):
                if getattr(indicator, f"{name}_id") is None and name not in pending:
                    raise ValidationError(
                        {name: _("可加性为“两指标之比”时，须填写分子指标代码和分母指标代码")},
                        code="ratio_terms",
                    )
        expected = _MONEY_CURRENCY.get(indicator.unit)
        if expected is not None and indicator.currency != expected:
            raise ValidationError(
                {
                    "currency": _("单位为“%(unit)s”的指标，币种应为%(currency)s")
                    % {"unit": indicator.unit, "currency": expected.label}
                },
                code="currency_unit",
            )
        indicator.full_clean(exclude=pending, validate_unique=False)

    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Resolve references to indicators added by rows above, then create or update."""
        resolved = dict(values)
        for name in REFERENCES:
            if isinstance(resolved.get(name), str):
                resolved[name] = Indicator.objects.get(code=resolved[name])
        return super().save_row(resolved, actor=actor)

    def create(self, values: dict[str, Any], *, actor: Any) -> Indicator:
        """Add the indicator as the catalogue page does (validated, audited)."""
        return crud.record_create(model=Indicator, data=values, actor=actor)

    def update(self, obj: Any, values: dict[str, Any], *, actor: Any) -> Indicator:
        """Change the indicator as the catalogue page does (validated, audited, field history kept)."""
        indicator: Indicator = crud.record_update(obj=obj, data=values, actor=actor)
        return indicator
