"""The 「亩均评价基础数据」 dataset: one row per enterprise and year, a column per evaluation input.

Rows name the enterprise by its 统一社会信用代码 and the year; every other column is an input of the
formula library (税收, 用地面积 …), headed by its Chinese name with the unit in brackets, or an input
or flag a stored rule set declares (headed by its name or code). Each filled cell is written through
`figure_record` as a new version of that figure; a value equal to the current version writes nothing, so the
same file twice changes nothing. An empty cell is no value, not zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.accounts.demo import demo_uscc
from kunlu.accounts.imports import enterprise_for, enterprises_by_uscc
from kunlu.accounts.models import Organisation
from kunlu.core.imports.datasets import CREATED, UNCHANGED, UPDATED, Column, Dataset, decimal_parser, register
from kunlu.core.models import ImportBatch
from kunlu.core.permissions import has_model_permission, permitted_territories
from kunlu.evaluation import services
from kunlu.evaluation.models import EnterpriseFigure

INPUT_FIELD = "input:"
_UNIT_SUFFIX = re.compile(r"^(.+?)\s*[（(]\s*([^（）()]+?)\s*[)）]$")
_number = decimal_parser(places=4)


def year_parser(text: str) -> int:
    """A year written as 2024 or 2024年."""
    match = re.match(r"^(\d{4})\s*年?$", text.strip())
    if match and services.YEAR_MIN <= int(match.group(1)) <= services.YEAR_MAX:
        return int(match.group(1))
    raise ValidationError(_("“%(value)s”不是年份，应为四位数字，如2024") % {"value": text}, code="year")


def _header(name: str, unit: str) -> str:
    return f"{name}（{unit}）" if unit else name


@register
class EvaluationFigureDataset(Dataset):
    """亩均评价基础数据: a row per enterprise and year, a column per input."""

    name = "evaluation.figures"
    title = gettext_lazy("亩均评价基础数据")
    description = gettext_lazy(
        "每行一家企业一个年度：填统一社会信用代码和年度，其余每列一个数据项，表头为数据项名称并在括号中注明单位，"
        "如“评价税收（万元）”，单位须一致。空白单元格表示没有数据（不是零）。"
        "数值与当前版本相同的不写入；数值改变时记为新版本，旧版本保留。"
        "评价用地面积未填写时，按企业库登记的用地面积计算。"
    )
    model = EnterpriseFigure
    columns = (
        Column(
            "enterprise",
            gettext_lazy("统一社会信用代码"),
            required=True,
            help=gettext_lazy("企业的18位统一社会信用代码；企业须已登记且在您的管理范围内"),
            example=demo_uscc(1),
        ),
        Column(
            "year",
            gettext_lazy("年度"),
            required=True,
            parse=year_parser,
            help=gettext_lazy("四位数字，如2024"),
            example="2024",
        ),
        Column(
            "source",
            gettext_lazy("来源"),
            help=gettext_lazy("数据来源，如税务、电力部门，最多100字"),
            example="税务",
        ),
    )
    natural_key = ("enterprise", "year")

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[str, tuple[str, str, bool]] = {}
        self._enterprises: dict[str, Organisation] = {}
        self._territories: set[int] = set()
        self._stored: dict[tuple[int, int, str], Any] = {}
        self._at: datetime | None = None

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Figures are added as new versions, never changed: upload rights and the add right do."""
        return has_model_permission(user, ImportBatch, "add") and has_model_permission(
            user, EnterpriseFigure, "add"
        )

    @classmethod
    def template_columns(cls) -> Sequence[Column]:
        """The fixed columns, then a column per known input (its Chinese name and unit)."""
        return [
            *cls.columns,
            *(
                Column(
                    f"{INPUT_FIELD}{code}", _header(name, unit), help=_("数据项代码%(code)s") % {"code": code}
                )
                for code, (name, unit, _flag) in services.known_inputs().items()
            ),
        ]

    def known(self) -> dict[str, tuple[str, str, bool]]:
        if not self._known:
            self._known = services.known_inputs()
        return self._known

    def prepare(self, *, actor: Any) -> None:
        """The inputs, the enterprises the uploader sees and where figures may be added, once per file."""
        self.known()
        self._enterprises = enterprises_by_uscc(actor)
        self._territories = set(
            permitted_territories(actor, EnterpriseFigure, "add").values_list("pk", flat=True)
        )

    def header_column(self, header: str) -> Column | None:
        """An input column, headed by its name (unit in brackets, which must match) or its code."""
        code = self._input_for(header.strip())
        field = f"{INPUT_FIELD}{code}"
        for other in self.named_columns:
            if other.field == field:
                raise ValidationError(
                    _("与「%(other)s」列是同一数据项，每个数据项只能有一列") % {"other": other.title},
                    code="input_repeated",
                )
        return Column(field, header, parse=_number)

    def _input_for(self, header: str) -> str:
        known = self.known()
        if header in known:
            return header
        by_name = {name: code for code, (name, _u, _f) in known.items()}
        if header in by_name:
            return by_name[header]
        match = _UNIT_SUFFIX.match(header)
        if match and match.group(1) in by_name:
            code = by_name[match.group(1)]
            unit = known[code][1]
            if match.group(2) != unit:
                raise ValidationError(
                    _("表头注明的单位“%(given)s”与数据项“%(name)s”的单位“%(unit)s”不一致，请换算后导入")
                    % {"given": match.group(2), "name": known[code][0], "unit": unit},
                    code="unit_mismatch",
                )
            return code
        raise ValidationError(
            _("不是亩均评价的数据项（如“评价税收（万元）”），也不是本表的固定列"), code="input_unknown"
        )

    def parse_enterprise(self, text: str, *, actor: Any) -> Organisation:
        """An enterprise by its 统一社会信用代码, in a territory where the uploader may add its figures."""
        enterprise = enterprise_for(self._enterprises, text)
        if enterprise.territory_id not in self._territories:
            raise ValidationError(
                _("您无权为企业“%(name)s”导入数据") % {"name": enterprise.name}, code="enterprise_scope"
            )
        return enterprise

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """At least one input column; each value checked for its input (non-negative, land above 0)."""
        if not self.named_columns:
            raise ValidationError(
                _("表中没有数据项列：固定列之后应列出数据项，如“评价税收（万元）”"), code="no_inputs"
            )
        for column in self.named_columns:
            value = values.get(column.field)
            if value is None:
                continue
            try:
                services.check_figure(column.field.removeprefix(INPUT_FIELD), value, self.known())
            except ValidationError as exc:
                raise ValidationError({column.field: exc.error_dict["value"]}) from exc

    def records(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """A figure per filled input cell of the row."""
        return [
            {
                "enterprise": values["enterprise"],
                "year": values["year"],
                "input": column.field.removeprefix(INPUT_FIELD),
                "value": values[column.field],
                "source": values.get("source") or "",
                "field": column.field,
            }
            for column in self.named_columns
            if values.get(column.field) is not None
        ]

    def preload(self, rows: Any, *, actor: Any = None) -> None:
        """The current values of the rows' enterprises and years, in a few queries."""
        records = list(rows)
        enterprises = sorted({r["enterprise"].pk for r in records})
        years = sorted({r["year"] for r in records})
        for start in range(0, len(enterprises), 500):
            current = EnterpriseFigure.objects.filter(
                superseded_at__isnull=True, year__in=years, enterprise_id__in=enterprises[start : start + 500]
            ).values_list("enterprise_id", "year", "input", "value")
            for enterprise, year, code, value in current:
                self._stored[(enterprise, year, code)] = value

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        stored = self._stored.get((values["enterprise"].pk, values["year"], values["input"]))
        if stored is not None and stored == values["value"]:
            return UNCHANGED
        return CREATED if stored is None else UPDATED

    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Record the figure through the service, the batch as its source (audited once, by the commit)."""
        if self._at is None:
            self._at = timezone.now()  # one moment for the whole batch: a run sees all of it or none
        try:
            figure, written = services.figure_record(
                enterprise=values["enterprise"],
                year=values["year"],
                input=values["input"],
                value=values["value"],
                actor=actor,
                batch=self.batch,
                source=values.get("source") or "",
                at=self._at,
                audited=False,
                known=self.known(),
            )
        except ValidationError as exc:
            raise ValidationError({values["field"]: exc.messages}) from exc
        if not written:
            return figure, UNCHANGED
        self._stored[(values["enterprise"].pk, values["year"], values["input"])] = values["value"]
        return figure, CREATED if figure.version == 1 else UPDATED
