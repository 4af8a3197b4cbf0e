"""S2 datasets loaded from Excel/CSV: the major-project list of a year and the monthly progress reports.

- "projects.project_list" (重大项目清单): one row per project on a tier's list for a year. A project is
  found by its 项目编号, else by its name in its territory; it is created or updated through
  project_create / project_update (tracked changes carry the reason “导入《重大项目清单》”), with its
  listing, its annual plan (plan_set) and its planned stage dates (stage_set).
- "projects.progress" (项目月度进展): one row per project and month, written through actual_record (the
  batch as its lineage) and, for actual stage dates, stage_set. Rows of one project are applied in month
  order, whatever their order in the file.

The services decide what is refused. So that every refusal shows on its row and column before anything is
written, the preview applies the whole file inside a savepoint that is rolled back; the commit applies it
for real, every row or none. A row equal to what is stored calls no service at all: the same data twice
changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
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
    choice_parser,
    decimal_parser,
    register,
)
from kunlu.core.models import ImportBatch, Territory
from kunlu.core.permissions import (
    allowed_via,
    has_model_permission,
    permitted_territories,
    relative_q,
    scope_q,
)
from kunlu.core.services import period_for
from kunlu.enterprises.imports import date_parser
from kunlu.indicators.imports import month_parser, year_parser
from kunlu.projects import services
from kunlu.projects.choices import STAGES, ActualSource, ConstructionKind, Currency, ProjectType, Stage
from kunlu.projects.models import (
    InvestmentActual,
    InvestmentPlan,
    Project,
    ProjectCategory,
    ProjectListing,
    ProjectStage,
    ProjectTier,
)

LIST_REASON = gettext_lazy("导入《重大项目清单》")
PROGRESS_REASON = gettext_lazy("导入《项目月度进展》")

# The stages whose dates the files carry, with the suffix of their columns' fields.
DATED_STAGES = ((Stage.STARTED, "started"), (Stage.COMPLETED, "completed"), (Stage.PRODUCING, "producing"))
# The project's own fields a list row fills (an empty cell leaves the stored value alone).
PROJECT_FIELDS = (
    "code",
    "name",
    "territory",
    "enterprise",
    "investor",
    "category",
    "project_type",
    "total_investment",
    "currency",
    "content",
)
RESPONSIBLE_UNIT_MAX = 100

_money = decimal_parser(places=2)  # the stored precision: a finer value would look changed every time


def amount_parser(text: str) -> Decimal:
    """An amount in 万 (of the project's currency), not negative, kept to two decimal places."""
    value: Decimal = _money(text)
    if value < 0:
        raise ValidationError(_("金额不能为负数（现为%(value)s）") % {"value": text}, code="amount_negative")
    if abs(value) >= Decimal(10) ** 14:
        raise ValidationError(_("金额超出允许范围，请核对单位（万元或万美元）"), code="amount_range")
    return value


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _on_columns(exc: ValidationError, fields: Mapping[str, str]) -> ValidationError:
    """A service's refusal shown on the columns its fields came from (others on the row as a whole)."""
    if not hasattr(exc, "error_dict"):
        return exc
    moved: dict[str, list[ValidationError]] = {}
    for name, errors in exc.error_dict.items():
        moved.setdefault(fields.get(name, name), []).extend(errors)
    return ValidationError(moved)


StageChange = tuple[Stage, date | None, date]


def safe_order(changes: Sequence[StageChange], *, actual: bool) -> list[StageChange]:
    """The order to set several stage dates in so that no intermediate state breaks the stage order.

    Dates moving earlier go first, from the first stage on; dates moving later go last, from the last
    stage back. A first planned date may fall anywhere between its neighbours' dates, so it goes with the
    later ones; a first actual date needs the earlier stages' actual dates, so it goes forward.
    """
    index = {stage: i for i, stage in enumerate(STAGES)}
    ordered = sorted(changes, key=lambda c: index[c[0]])
    earlier = [c for c in ordered if c[1] is not None and c[2] < c[1]]
    first = [c for c in ordered if c[1] is None]
    later = [c for c in ordered if c[1] is not None and c[2] > c[1]]
    if actual:
        return [*earlier, *first, *reversed(later)]
    return [*earlier, *sorted([*first, *later], key=lambda c: index[c[0]], reverse=True)]


class _RolledBack(Exception):
    """Leaves the savepoint of a preview's trial run, undoing everything it wrote."""


class _Applied(Dataset):
    """A dataset whose rows are applied through the services, in groups (a project's months in order).

    The preview tries the whole file in a savepoint that is rolled back and keeps each row's outcome (its
    action, or the service's refusal on its columns); the commit applies each group when its first row is
    saved. Subclasses say how a row is applied (`apply`), which rows go together (`group`) and in what
    order (`order`).
    """

    def __init__(self) -> None:
        super().__init__()
        self._groups: dict[Hashable, list[dict[str, Any]]] = {}
        self._outcomes: dict[int, tuple[models.Model, str] | ValidationError] = {}
        self._applied: set[Hashable] = set()
        self._tried = False

    def group(self, values: dict[str, Any]) -> Hashable:
        """The rows applied together, in `order`: each row on its own unless told otherwise."""
        return id(values)

    def order(self, values: dict[str, Any]) -> Any:
        """Where a row comes in its group."""
        return 0

    def apply(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Write one row through the services: (record, created | updated | unchanged)."""
        raise NotImplementedError

    def index_existing(self, records: list[dict[str, Any]], *, actor: Any) -> None:
        """Fetch what the rows point at before they are tried or written."""

    def preload(self, rows: Iterable[dict[str, Any]], *, actor: Any = None) -> None:
        """Group the rows (a new check or a new write starts afresh) and fetch what they point at."""
        records = list(rows)
        self._groups = {}
        for values in records:
            self._groups.setdefault(self.group(values), []).append(values)
        for members in self._groups.values():
            members.sort(key=self.order)
        self._outcomes, self._applied, self._tried = {}, set(), False
        self.index_existing(records, actor=actor)

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """What the row does when the file is applied, or the refusal it meets; nothing is kept."""
        if not self._tried:
            self._try_all(actor=actor)
        outcome = self._outcomes[id(values)]
        if isinstance(outcome, ValidationError):
            raise outcome
        return outcome[1]

    def _try_all(self, *, actor: Any) -> None:
        index = {key: dict(found) for key, found in self._index.items()}
        changeable = dict(self._changeable)
        try:
            with transaction.atomic():
                for members in self._groups.values():
                    for values in members:
                        try:
                            with transaction.atomic():
                                self._outcomes[id(values)] = self.apply(values, actor=actor)
                        except ValidationError as exc:
                            self._outcomes[id(values)] = exc
                raise _RolledBack
        except _RolledBack:
            pass
        # Records created by the trial are gone again: forget them.
        self._index, self._changeable, self._tried = index, changeable, True

    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Apply the row's group (once), then give this row's record and action.

        A refusal aborts the whole import. It can only come from data changed since the check, which runs
        in the same transaction just before, so it is reported on the row being saved.
        """
        key = self.group(values)
        if key not in self._applied:
            self._applied.add(key)
            for member in self._groups[key]:
                self._outcomes[id(member)] = self.apply(member, actor=actor)
        outcome = self._outcomes[id(values)]
        assert not isinstance(outcome, ValidationError)
        return outcome


_Named = TypeVar("_Named", ProjectTier, ProjectCategory)


def _lookup(items: Iterable[_Named], text: str) -> _Named | None:
    """An item (tier, category) by its code or its name."""
    wanted = text.strip()
    return next((i for i in items if wanted in (i.code, i.name)), None)


# -- 重大项目清单 ------------------------------------------------------------------------------------------


@dataclass
class _Pending:
    """What a list row changes beyond the project's own fields: its listing, its plan, its stage dates."""

    listing: ProjectListing | None = None
    listing_data: dict[str, Any] = field(default_factory=dict)
    plan: Decimal | None = None
    stages: list[StageChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.listing_data or self.plan is not None or self.stages)


def _planned_column(suffix: str, header: Any, example: str) -> Column:
    return Column(
        f"planned_{suffix}",
        header,
        parse=date_parser,
        help=gettext_lazy("写作 2025-03-01；留空不修改已有的计划日期"),
        example=example,
    )


@register
class ProjectListDataset(_Applied):
    """A year's list of major projects of a tier: projects, their listing, annual plan and planned dates."""

    name = "projects.project_list"
    title = gettext_lazy("重大项目清单")
    description = gettext_lazy(
        "每行一个项目在一个层级一个年度的清单中。填写项目编号且已登记的，更新该项目；不填编号的，"
        "按项目名称和所属地区识别，已有的更新，没有的新增并自动编号。同一项目在一个文件中只能出现一次。"
        "计划总投资、年度计划投资按币种填写（人民币为万元，美元为万美元）。留空的选填列不修改已有内容；"
        "计划投资、建设内容等的变更记入项目变更记录，原因为“导入《重大项目清单》”。"
    )
    model = Project
    columns = (
        Column(
            "code",
            gettext_lazy("项目编号"),
            help=gettext_lazy(
                "已登记项目的编号（见“重大项目 → 项目”）；留空时按项目名称和所属地区识别，新项目自动编号"
            ),
            example="",
        ),
        Column(
            "name",
            gettext_lazy("项目名称"),
            required=True,
            help=gettext_lazy("最多200字"),
            example="示例新能源电池项目",
        ),
        Column(
            "territory",
            gettext_lazy("所属地区代码"),
            required=True,
            help=gettext_lazy("地区代码（见“基础数据 → 地区”），须在您的管理范围内"),
            example="KS-GX",
        ),
        Column(
            "enterprise",
            gettext_lazy("项目单位统一社会信用代码"),
            help=gettext_lazy("项目单位已登记时填写其18位统一社会信用代码；企业须已登记在“机构”中"),
            example=demo_uscc(1),
        ),
        Column("investor", gettext_lazy("投资方"), help=gettext_lazy("最多200字"), example="示例投资集团"),
        Column(
            "tier",
            gettext_lazy("项目层级"),
            required=True,
            help=gettext_lazy("项目层级的名称或代码（见“重大项目 → 项目层级”），如 昆山市重大项目"),
            example="昆山市重大项目",
        ),
        Column(
            "year",
            gettext_lazy("年度"),
            required=True,
            parse=year_parser,
            help=gettext_lazy("列入清单的年度，四位数字，如2025"),
            example="2025",
        ),
        Column(
            "construction",
            gettext_lazy("建设类型"),
            parse=choice_parser(ConstructionKind),
            help=gettext_lazy("新开工或续建；新列入清单时留空为新开工"),
            example="新开工",
            choices=[label for _value, label in ConstructionKind.choices],
        ),
        Column(
            "category",
            gettext_lazy("项目类别"),
            help=gettext_lazy("项目类别的名称或代码，如 产业类、基础设施和民生类"),
            example="产业类",
        ),
        Column(
            "project_type",
            gettext_lazy("建设性质"),
            parse=choice_parser(ProjectType),
            help=gettext_lazy("新建、扩建、增资或搬迁；新项目留空为新建"),
            example="新建",
            choices=[label for _value, label in ProjectType.choices],
        ),
        Column(
            "total_investment",
            gettext_lazy("计划总投资（万）"),
            required=True,
            parse=amount_parser,
            help=gettext_lazy("人民币项目填万元，美元项目填万美元，不要填公式"),
            example="150000",
        ),
        Column(
            "currency",
            gettext_lazy("币种"),
            parse=choice_parser(Currency),
            help=gettext_lazy("人民币或美元；新项目留空为人民币，已有项目留空不修改"),
            example="人民币",
            choices=[label for _value, label in Currency.choices],
        ),
        Column(
            "annual_plan",
            gettext_lazy("年度计划投资（万）"),
            parse=amount_parser,
            help=gettext_lazy("该年度的计划投资，与计划总投资同一币种；留空不修改"),
            example="30000",
        ),
        _planned_column("started", gettext_lazy("计划开工日期"), "2025-03-01"),
        _planned_column("completed", gettext_lazy("计划竣工日期"), "2026-06-30"),
        _planned_column("producing", gettext_lazy("计划投产日期"), "2026-09-30"),
        Column(
            "responsible_unit",
            gettext_lazy("责任单位"),
            help=gettext_lazy("推进该项目的责任单位，最多100字"),
            example="高新区经发局",
        ),
        Column("content", gettext_lazy("建设内容"), help=gettext_lazy("主要建设内容和规模"), example=""),
    )
    natural_key = ("code",)
    fallback_keys = (("territory", "name"),)

    def __init__(self) -> None:
        super().__init__()
        self._territories: dict[str, Territory] = {}
        self._visible: set[str] = set()
        self._enterprises: dict[str, Organisation] = {}
        self._tiers: list[ProjectTier] = []
        self._categories: list[ProjectCategory] = []

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Upload rights, add and change rights on projects, and the rights to list them and plan them."""
        return (
            super().allowed(user)
            and has_model_permission(user, ProjectListing, "add")
            and has_model_permission(user, InvestmentPlan, "add")
        )

    @classmethod
    def template_columns(cls) -> list[Column]:
        """The columns, with the active tiers and the categories offered as drop-down lists."""
        tiers = list(ProjectTier.objects.filter(is_active=True).values_list("name", flat=True))
        categories = list(ProjectCategory.objects.values_list("name", flat=True))
        offered = {"tier": tiers, "category": categories}
        return [replace(c, choices=offered[c.field]) if offered.get(c.field) else c for c in cls.columns]

    def prepare(self, *, actor: Any) -> None:
        """Load the territories, enterprises, tiers and categories the cells name, once per file."""
        visible = Territory.objects.restrict(actor, "view")
        self._territories = {t.code: t for t in permitted_territories(actor, Project, "add") & visible}
        self._visible = set(visible.values_list("code", flat=True))
        self._enterprises = enterprises_by_uscc(actor)
        self._tiers = list(ProjectTier.objects.filter(is_active=True))
        self._categories = list(ProjectCategory.objects.all())

    # -- cells -----------------------------------------------------------------------------------------
    def parse_territory(self, text: str, *, actor: Any) -> Territory:
        """A territory where the uploader may register projects, by its code."""
        territory = self._territories.get(text) or self._territories.get(text.upper())
        if territory is not None:
            return territory
        if text in self._visible or text.upper() in self._visible:
            raise ValidationError(
                _("您无权在地区“%(code)s”登记或修改项目") % {"code": text}, code="territory_scope"
            )
        raise ValidationError(
            _("地区代码“%(code)s”不存在，或不在您的管理范围内") % {"code": text}, code="territory_unknown"
        )

    def parse_enterprise(self, text: str, *, actor: Any) -> Organisation:
        """The project's enterprise, by its 统一社会信用代码."""
        return enterprise_for(self._enterprises, text)

    def parse_tier(self, text: str, *, actor: Any) -> ProjectTier:
        """An active tier, by its name or code."""
        tier = _lookup(self._tiers, text)
        if tier is None:
            known = "、".join(t.name for t in self._tiers) or "—"
            raise ValidationError(
                _("项目层级“%(value)s”不存在或已停用，可用的有：%(known)s") % {"value": text, "known": known},
                code="tier_unknown",
            )
        return tier

    def parse_category(self, text: str, *, actor: Any) -> ProjectCategory:
        """A project category, by its name or code."""
        category = _lookup(self._categories, text)
        if category is None:
            known = "、".join(c.name for c in self._categories) or "—"
            raise ValidationError(
                _("项目类别“%(value)s”不存在，可用的有：%(known)s") % {"value": text, "known": known},
                code="category_unknown",
            )
        return category

    def parse_responsible_unit(self, text: str, *, actor: Any) -> str:
        """The responsible unit, at most 100 characters."""
        if len(text) > RESPONSIBLE_UNIT_MAX:
            raise ValidationError(
                _("超过%(max)s个字符（现为%(n)s个）") % {"max": RESPONSIBLE_UNIT_MAX, "n": len(text)},
                code="max_length",
            )
        return text

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """The row's own planned dates keep the stage order (开工 ≤ 竣工 ≤ 投产)."""
        previous: tuple[str, date] | None = None
        for _stage, suffix in DATED_STAGES:
            name = f"planned_{suffix}"
            on = values.get(name)
            if on is None:
                continue
            if previous is not None and on < previous[1]:
                before = self.column_of(previous[0])
                raise ValidationError(
                    {
                        name: _("%(date)s早于本行的「%(column)s」（%(before)s）")
                        % {"date": on, "column": before.title if before else "", "before": previous[1]}
                    },
                    code="planned_order",
                )
            previous = (name, on)

    # -- applying a row --------------------------------------------------------------------------------
    def index_existing(self, records: list[dict[str, Any]], *, actor: Any) -> None:
        """Find the projects the rows name by code or by name and territory (a fresh index each time)."""
        self._index, self._changeable = {}, {}
        Dataset.preload(self, records, actor=actor)

    @staticmethod
    def shown_field(key: tuple[str, ...]) -> str:
        """A repeated project is shown on its 项目编号, or on its name when the row has no code."""
        return "code" if key == ("code",) else "name"

    def apply(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Create or update the project and what the row says of its listing, plan and stage dates."""
        return Dataset.save_row(self, values, actor=actor)

    @staticmethod
    def _project_data(values: dict[str, Any]) -> dict[str, Any]:
        return {name: values[name] for name in PROJECT_FIELDS if not _blank(values.get(name))}

    def changes(self, obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        """The project's fields that differ, and whether its listing, plan or stage dates do."""
        assert isinstance(obj, Project)
        changed = super().changes(obj, self._project_data(values))
        if self._pending(obj, values):
            changed["listing, plan or stages"] = True
        return changed

    def _pending(self, project: Project, values: dict[str, Any]) -> _Pending:
        """What the row changes in the project's listing, plan and planned stage dates."""
        pending = _Pending()
        listing = ProjectListing.objects.filter(
            project=project, tier=values["tier"], year=values["year"]
        ).first()
        wanted = {
            name: values[name]
            for name in ("construction", "responsible_unit")
            if not _blank(values.get(name))
        }
        if listing is None:
            pending.listing_data = {"project": project, "tier": values["tier"], "year": values["year"]}
            pending.listing_data.update(wanted)
        else:
            pending.listing = listing
            pending.listing_data = {n: v for n, v in wanted.items() if getattr(listing, n) != v}
        plan = values.get("annual_plan")
        if plan is not None:
            stored = (
                InvestmentPlan.objects.filter(project=project, year=values["year"])
                .values_list("amount", flat=True)
                .first()
            )
            if stored is None or stored != plan:
                pending.plan = plan
        planned = dict(ProjectStage.objects.filter(project=project).values_list("stage", "planned_on"))
        for stage, suffix in DATED_STAGES:
            on = values.get(f"planned_{suffix}")
            if on is not None and planned.get(stage) != on:
                pending.stages.append((stage, planned.get(stage), on))
        pending.stages = safe_order(pending.stages, actual=False)
        return pending

    def create(self, values: dict[str, Any], *, actor: Any) -> Project:
        """Register the project through services.project_create, then its listing, plan and dates."""
        data = self._project_data(values)
        data.setdefault("currency", Currency.CNY)
        project = services.project_create(data=data, actor=actor)
        self._write_pending(project, values, actor=actor)
        return project

    def update(self, obj: models.Model, values: dict[str, Any], *, actor: Any) -> Project:
        """Change the project through services.project_update (with the import as the reason), then the
        rest."""
        assert isinstance(obj, Project)
        data = super().changes(obj, self._project_data(values))
        project = obj
        if data:
            data[services.REASON_FIELD] = str(LIST_REASON)
            project = services.project_update(obj=obj, data=data, actor=actor)
        self._write_pending(project, values, actor=actor)
        return project

    def _write_pending(self, project: Project, values: dict[str, Any], *, actor: Any) -> None:
        pending = self._pending(project, values)
        if pending.listing is None:
            crud.record_create(model=ProjectListing, data=pending.listing_data, actor=actor)
        elif pending.listing_data:
            crud.record_update(obj=pending.listing, data=pending.listing_data, actor=actor)
        if pending.plan is not None:
            try:
                services.plan_set(
                    project=project,
                    year=values["year"],
                    amount=pending.plan,
                    reason=str(LIST_REASON),
                    actor=actor,
                )
            except ValidationError as exc:
                raise _on_columns(exc, {"amount": "annual_plan"}) from exc
        columns = {stage: f"planned_{suffix}" for stage, suffix in DATED_STAGES}
        for stage, _old, on in pending.stages:
            try:
                services.stage_set(
                    project=project, stage=stage, planned_on=on, reason=str(LIST_REASON), actor=actor
                )
            except ValidationError as exc:
                raise _on_columns(exc, {"planned_on": columns[stage], "stage": columns[stage]}) from exc


# -- 项目月度进展 ------------------------------------------------------------------------------------------

CUMULATIVE_HEADER = gettext_lazy("1–M月累计完成投资（万）")
MONTHLY_HEADER = gettext_lazy("当月完成投资（万）")


def _normalised_header(text: str) -> str:
    """A header as the declaration writes it: en dash between months, full-width brackets."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d)[-－~～—―‐]+(?=[MmNn\d])", "–", text)
    return text.replace("(", "（").replace(")", "）").replace("1–m月", "1–M月").replace("1–N月", "1–M月")


def _actual_column(suffix: str, header: Any, example: str = "") -> Column:
    return Column(
        f"actual_{suffix}",
        header,
        parse=date_parser,
        help=gettext_lazy("写作 2025-03-01；前面的节点须已有实际日期，且不早于上一节点的计划和实际日期"),
        example=example,
    )


@register
class ProgressDataset(_Applied):
    """Monthly progress of projects: investment to date (or in the month) and actual stage dates."""

    name = "projects.progress"
    title = gettext_lazy("项目月度进展")
    description = gettext_lazy(
        "每行一个项目一个月份：填写1–M月累计完成投资或当月完成投资（二者填且只填一个），金额的币种须与"
        "项目一致（人民币为万元，美元为万美元，币种留空视为人民币）。累计数不能低于前面月份、不能高于已报的"
        "后面月份；数值与已报相同的行不会写入，改变时记为新版本，旧版本保留。实际开工、竣工、投产日期"
        "按节点顺序填写。同一项目的各行按月份先后写入。"
    )
    model = InvestmentActual
    columns = (
        Column(
            "project",
            gettext_lazy("项目编号"),
            required=True,
            help=gettext_lazy("项目的编号（见“重大项目 → 项目”），须是您可以填报的项目"),
            example="KS-GX-2025-001",
        ),
        Column(
            "year",
            gettext_lazy("年度"),
            required=True,
            parse=year_parser,
            help=gettext_lazy("四位数字，如2025"),
            example="2025",
        ),
        Column(
            "month",
            gettext_lazy("月份"),
            required=True,
            parse=month_parser,
            help=gettext_lazy("1至12的数字，如9"),
            example="9",
        ),
        Column(
            "cumulative",
            CUMULATIVE_HEADER,
            parse=amount_parser,
            help=gettext_lazy("当年1月至该月累计完成投资（万元或万美元）；与当月完成投资二选一"),
            example="36000",
        ),
        Column(
            "monthly",
            MONTHLY_HEADER,
            parse=amount_parser,
            help=gettext_lazy("该月完成投资，与上月累计相加得累计数；与累计完成投资二选一"),
            example="",
        ),
        Column(
            "currency",
            gettext_lazy("币种"),
            parse=choice_parser(Currency),
            help=gettext_lazy("人民币或美元，须与项目的币种一致；留空视为人民币"),
            example="人民币",
            choices=[label for _value, label in Currency.choices],
        ),
        _actual_column("started", gettext_lazy("实际开工日期")),
        _actual_column("completed", gettext_lazy("实际竣工日期")),
        _actual_column("producing", gettext_lazy("实际投产日期")),
        Column(
            "note",
            gettext_lazy("情况说明"),
            help=gettext_lazy("本月进展、存在问题等，最多300字"),
            example="主体结构施工中",
        ),
    )
    natural_key = ("project", "year", "month")
    amount_fields: ClassVar[tuple[str, str]] = ("cumulative", "monthly")

    def __init__(self) -> None:
        super().__init__()
        self._projects: dict[str, Project] = {}
        self._visible: set[str] = set()

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Actuals are added as new versions, never changed: upload rights, the add right on actuals and
        the right to set stage dates (the file carries actual dates too). Enterprises report on the project
        page."""
        return (
            has_model_permission(user, ImportBatch, "add")
            and has_model_permission(user, InvestmentActual, "add")
            and has_model_permission(user, ProjectStage, "change")
        )

    def header_column(self, header: str) -> Column | None:
        """The amount columns also under 1-M月 or half-width brackets."""
        wanted = _normalised_header(header)
        return next((c for c in self.columns if _normalised_header(c.title) == wanted), None)

    def prepare(self, *, actor: Any) -> None:
        """Load the projects the uploader may report on, by code, once per file."""
        q = scope_q(actor, InvestmentActual, "add")
        reportable = (
            Project.objects.none() if q is None else Project.objects.filter(relative_q(q, "project__"))
        )
        self._projects = {p.code: p for p in reportable.distinct()}
        self._visible = set(Project.objects.restrict(actor, "view").values_list("code", flat=True))

    def parse_project(self, text: str, *, actor: Any) -> Project:
        """A project the uploader may report investment on, by its code."""
        project = self._projects.get(text) or self._projects.get(text.upper())
        if project is not None:
            return project
        if text in self._visible or text.upper() in self._visible:
            raise ValidationError(
                _("您无权填报项目“%(code)s”的月度投资") % {"code": text}, code="project_scope"
            )
        raise ValidationError(
            _("项目编号“%(code)s”不存在，或不在您的管理范围内") % {"code": text}, code="project_unknown"
        )

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """One amount of the two; an empty currency is 人民币."""
        given = [name for name in self.amount_fields if values.get(name) is not None]
        if len(given) != 1:
            headers = {"cumulative": CUMULATIVE_HEADER, "monthly": MONTHLY_HEADER}
            raise ValidationError(
                {
                    "cumulative": _("「%(cumulative)s」和「%(monthly)s」须填且只填一个")
                    % {"cumulative": headers["cumulative"], "monthly": headers["monthly"]}
                },
                code="amount_required" if not given else "amount_both",
            )
        values["currency"] = values.get("currency") or Currency.CNY

    @staticmethod
    def shown_field(key: tuple[str, ...]) -> str:
        """A repeated project and month is shown on the 项目编号."""
        return "project"

    def group(self, values: dict[str, Any]) -> Hashable:
        """A project's rows go together."""
        return int(values["project"].pk)

    def order(self, values: dict[str, Any]) -> Any:
        """In month order."""
        return values["year"], values["month"]

    def apply(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """The stage dates through stage_set, then the month's investment through actual_record."""
        project: Project = values["project"]
        dated = self._set_actual_dates(project, values, actor=actor)
        amount = "cumulative" if values.get("cumulative") is not None else "monthly"
        try:
            actual, written = services.actual_record(
                project=project,
                period=period_for(values["year"], values["month"]),
                currency=values["currency"],
                cumulative=values.get("cumulative"),
                monthly=values.get("monthly"),
                source=ActualSource.IMPORT,
                note=values.get("note") or "",
                batch=self.batch,
                actor=actor,
            )
        except ValidationError as exc:
            raise _on_columns(exc, {"cumulative": amount, "period": "month"}) from exc
        if written:
            return actual, CREATED if actual.version == 1 else UPDATED
        return actual, UPDATED if dated else UNCHANGED

    def _set_actual_dates(self, project: Project, values: dict[str, Any], *, actor: Any) -> bool:
        """Set the row's actual stage dates that differ from those stored; whether any did."""
        stored = dict(ProjectStage.objects.filter(project=project).values_list("stage", "actual_on"))
        columns = {stage: f"actual_{suffix}" for stage, suffix in DATED_STAGES}
        changes: list[StageChange] = [
            (stage, stored.get(stage), on)
            for stage, suffix in DATED_STAGES
            if (on := values.get(f"actual_{suffix}")) is not None and stored.get(stage) != on
        ]
        if changes and not allowed_via(actor, ProjectStage, "change", "project__", project):
            raise ValidationError(
                {columns[changes[0][0]]: _("您无权修改该项目的节点日期")}, code="stage_scope"
            )
        for stage, _old, on in safe_order(changes, actual=True):
            try:
                services.stage_set(
                    project=project, stage=stage, actual_on=on, reason=str(PROGRESS_REASON), actor=actor
                )
            except ValidationError as exc:
                raise _on_columns(exc, {"actual_on": columns[stage], "stage": columns[stage]}) from exc
        return bool(changes)
