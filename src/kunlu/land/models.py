"""标准地 and 数据得地: parcels with their control indicators, scorecards as data, applications and the
allocation decision, the holder's commitments (承诺书), verification reviews at 竣工 and 达产, and the remedy
rules and the actions they produce.

Amounts are in 万元 (人民币), per-mu figures in 万元/亩 and areas in 亩, as the trade quotes them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core.models import Territory, TimeStamped
from kunlu.core.permissions import Scope, ScopedManager
from kunlu.land.choices import (
    ActionStatus,
    ApplicationField,
    Band,
    ChainFit,
    Direction,
    LandUse,
    MeasuredSource,
    Method,
    ParcelStatus,
    RemedyKind,
    SourceField,
    Stage,
)

ENTERPRISE = {"kind": OrganisationKind.ENTERPRISE}


class IndicatorDefinition(TimeStamped):
    """A 标准地 control indicator (投资强度, 容积率, 亩均税收 …): its unit, which way it binds, and when the
    holder's commitment to it is checked."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices, default=Direction.GTE)
    due_stage = models.CharField(
        _("核验阶段"), max_length=12, choices=Stage.choices, default=Stage.PRODUCTION
    )
    application_field = models.CharField(
        _("对应申报数据"),
        max_length=24,
        choices=ApplicationField.choices,
        blank=True,
        help_text=_("中标人申报值优于控制值时，承诺值取申报值"),
    )
    required = models.BooleanField(_("挂牌必备"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("控制指标")
        verbose_name_plural = _("控制指标")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Scorecard(TimeStamped):
    """A 数据得地 scorecard: criteria whose weights sum to 100."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Criterion(TimeStamped):
    """One line of a scorecard: what it scores, its weight (full points) and how points are given."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("数据来源"), max_length=24, choices=SourceField.choices)
    weight = models.DecimalField(_("权重（分）"), max_digits=6, decimal_places=2)
    method = models.CharField(_("计分方法"), max_length=12, choices=Method.choices)
    floor = models.DecimalField(
        _("下限"), null=True, blank=True, help_text=_("线性：达到下限得0分"), max_digits=20, decimal_places=4
    )
    target = models.DecimalField(
        _("目标值"),
        null=True,
        blank=True,
        help_text=_("线性：达到目标值得满分"),
        max_digits=20,
        decimal_places=4,
    )
    bands = models.JSONField(
        _("分档"),
        default=list,
        blank=True,
        help_text=_('分档：[{"min": 100, "points": 10}, …]；按类别：[{"label": "A", "points": 10}, …]'),
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["scorecard", "order", "id"]

    def __str__(self) -> str:
        return f"{self.scorecard} · {self.name}"


class Parcel(TimeStamped):
    """A parcel of land (地块) in a park, from the reserve through listing and sale to production."""

    code = models.CharField(_("地块编号"), max_length=40, unique=True)
    name = models.CharField(_("地块名称"), max_length=200)
    location = models.CharField(_("坐落"), max_length=200, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="+"
    )
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=4)
    land_use = models.CharField(_("用途"), max_length=12, choices=LandUse.choices, default=LandUse.INDUSTRIAL)
    status = models.CharField(
        _("状态"), max_length=12, choices=ParcelStatus.choices, default=ParcelStatus.RESERVE, db_index=True
    )
    scorecard = models.ForeignKey(
        Scorecard,
        verbose_name=_("评分表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parcels",
    )
    listed_on = models.DateField(_("挂牌日期"), null=True, blank=True)
    holder = models.ForeignKey(
        Organisation,
        verbose_name=_("受让企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="land_parcels",
        limit_choices_to=ENTERPRISE,
    )
    price_wan = models.DecimalField(
        _("出让价款（万元）"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    contract_date = models.DateField(_("合同签订日期"), null=True, blank=True)
    agreed_start_date = models.DateField(_("约定开工日期"), null=True, blank=True)
    actual_start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    agreed_completion_date = models.DateField(_("约定竣工日期"), null=True, blank=True)
    agreed_production_date = models.DateField(_("约定达产日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    scope = Scope(territory="territory", organisation="holder")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地块")
        verbose_name_plural = _("地块")
        ordering = ["territory__path", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_mu__gt=0),
                name="parcel_area_positive",
                violation_error_code="area_not_positive",
                violation_error_message=_("面积（亩）必须大于0"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ParcelIndicator(TimeStamped):
    """The value of one control indicator set for a parcel at listing (the parcel's "standard")."""

    parcel = models.ForeignKey(
        Parcel, verbose_name=_("地块"), on_delete=models.CASCADE, related_name="control_values"
    )
    indicator = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("控制指标"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("控制值"), max_digits=20, decimal_places=4)

    scope = Scope(territory="parcel__territory", organisation="parcel__holder")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地块控制指标")
        verbose_name_plural = _("地块控制指标")
        ordering = ["parcel", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["parcel", "indicator"], name="parcelindicator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.indicator.get_direction_display()} {self.value.normalize():f}"


class Application(TimeStamped):
    """An application for a listed parcel (用地申请): who applies, what it declares, and its score and rank
    with the per-criterion trace once scored."""

    parcel = models.ForeignKey(
        Parcel, verbose_name=_("地块"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        Organisation,
        verbose_name=_("申请企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="land_applications",
        limit_choices_to=ENTERPRISE,
    )
    investor_name = models.CharField(
        _("新投资方名称"), max_length=200, blank=True, help_text=_("尚未登记为企业的投资方")
    )
    total_investment_wan = models.DecimalField(_("计划总投资（万元）"), max_digits=20, decimal_places=4)
    expected_output_wan = models.DecimalField(_("达产年产值（万元）"), max_digits=20, decimal_places=4)
    expected_tax_wan = models.DecimalField(_("达产年税收（万元）"), max_digits=20, decimal_places=4)
    rd_intensity_pct = models.DecimalField(
        _("研发经费占营收比（%）"), default=Decimal(0), max_digits=20, decimal_places=4
    )
    chain_fit = models.CharField(
        _("产业链契合度"), max_length=8, choices=ChainFit.choices, default=ChainFit.NONE
    )
    existing_band = models.CharField(
        _("现有亩均评价等级"), max_length=4, choices=Band.choices, default=Band.NONE
    )
    note = models.TextField(_("备注"), blank=True)
    total_score = models.DecimalField(_("总分"), null=True, blank=True, max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    trace = models.JSONField(_("评分明细"), default=list, blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    is_current = models.BooleanField(
        _("本轮申请"), default=True, help_text=_("地块收回后，此前各轮的申请不再参与评分和出让")
    )

    scope = Scope(territory="parcel__territory", organisation="applicant")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用地申请")
        verbose_name_plural = _("用地申请")
        ordering = ["parcel", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.parcel.code} · {self.applicant_label}"

    @property
    def applicant_label(self) -> str:
        return self.applicant.name if self.applicant_id and self.applicant else self.investor_name

    def per_mu(self, amount: Decimal) -> Decimal:
        return amount / self.parcel.area_mu

    def declared(self, field: str) -> Decimal | str:
        """A declared figure by its source name, per mu of the parcel where the trade quotes it so."""
        values: dict[str, Decimal | str] = {
            SourceField.TAX_PER_MU: self.per_mu(self.expected_tax_wan),
            SourceField.INVESTMENT_INTENSITY: self.per_mu(self.total_investment_wan),
            SourceField.OUTPUT_PER_MU: self.per_mu(self.expected_output_wan),
            SourceField.RD_INTENSITY: self.rd_intensity_pct,
            SourceField.CHAIN_FIT: self.chain_fit,
            SourceField.EXISTING_BAND: self.existing_band,
        }
        return values[field]


class Allocation(TimeStamped):
    """The allocation decision (出让决定) for a parcel: the winning application and the reasons. A parcel has
    at most one current decision; one recovered (收回) is kept as history, and the parcel may be allocated
    again."""

    parcel = models.ForeignKey(
        Parcel, verbose_name=_("地块"), on_delete=models.PROTECT, related_name="allocations"
    )
    winner = models.ForeignKey(
        Application, verbose_name=_("中选申请"), on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("决定理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("决定时间"))
    is_current = models.BooleanField(_("现行"), default=True, help_text=_("地块收回后，原出让决定不再现行"))

    # The enterprise sees the decisions it won (a later holder of the parcel does not see an earlier one).
    scope = Scope(territory="parcel__territory", organisation="winner__applicant")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出让决定")
        verbose_name_plural = _("出让决定")
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcel"], condition=Q(is_current=True), name="allocation_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcel.code} → {self.winner.applicant_label}"


class Commitment(TimeStamped):
    """The holder's commitment (承诺书) to one control indicator, checked at its stage."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("出让决定"), on_delete=models.PROTECT, related_name="commitments"
    )
    parcel = models.ForeignKey(
        Parcel, verbose_name=_("地块"), on_delete=models.PROTECT, related_name="commitments"
    )
    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("承诺企业"), on_delete=models.PROTECT, related_name="land_commitments"
    )
    indicator = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("控制指标"), on_delete=models.PROTECT, related_name="+"
    )
    control_value = models.DecimalField(_("控制值"), max_digits=20, decimal_places=4)
    value = models.DecimalField(_("承诺值"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    due_stage = models.CharField(_("核验阶段"), max_length=12, choices=Stage.choices)
    due_date = models.DateField(_("约定日期"), null=True, blank=True)

    scope = Scope(territory="parcel__territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承诺指标")
        verbose_name_plural = _("承诺指标")
        ordering = ["parcel", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "indicator"], name="commitment_unique"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.parcel.code} · {self.indicator} {self.get_direction_display()} {self.value.normalize():f}"
        )


class Review(TimeStamped):
    """A verification review (竣工/达产核验) of a parcel's commitments; a re-review is a new record."""

    parcel = models.ForeignKey(
        Parcel, verbose_name=_("地块"), on_delete=models.PROTECT, related_name="reviews"
    )
    stage = models.CharField(_("核验阶段"), max_length=12, choices=Stage.choices)
    sequence = models.PositiveIntegerField(_("核验次数"))
    reviewed_on = models.DateField(_("核验日期"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True, on_delete=models.PROTECT
    )
    note = models.TextField(_("核验意见"), blank=True)
    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("受核验企业"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("核验时的承诺企业；地块收回再出让后，新受让企业看不到此前的核验"),
    )

    # The enterprise reviewed, not the parcel's holder of the day: after 收回 and a new grant, a later holder
    # does not see an earlier holder's reviews.
    scope = Scope(territory="parcel__territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("履约核验")
        verbose_name_plural = _("履约核验")
        ordering = ["parcel", "stage", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["parcel", "stage", "sequence"], name="review_unique_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.parcel.code} · {self.get_stage_display()}第{self.sequence}次核验"


class ReviewResult(TimeStamped):
    """One commitment checked in a review: measured value (taken from reported data or typed), met or not,
    and the shortfall."""

    review = models.ForeignKey(
        Review, verbose_name=_("履约核验"), on_delete=models.CASCADE, related_name="results"
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("承诺指标"), on_delete=models.PROTECT, related_name="results"
    )
    measured = models.DecimalField(_("实测值"), max_digits=20, decimal_places=4)
    met = models.BooleanField(_("达标"))
    shortfall = models.DecimalField(
        _("差额比例"), max_digits=10, decimal_places=6, help_text=_("未达承诺值的比例，0.15 即 15%")
    )
    failures = models.PositiveIntegerField(_("累计未达标次数"), default=0)
    source = models.CharField(
        _("实测值来源"), max_length=10, choices=MeasuredSource.choices, default=MeasuredSource.TYPED
    )
    source_text = models.CharField(
        _("来源说明"), max_length=300, blank=True, help_text=_("取自申报数据时的计算过程，或改填前的申报值")
    )

    scope = Scope(territory="review__parcel__territory", organisation="commitment__enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("核验结果")
        verbose_name_plural = _("核验结果")
        ordering = ["review", "commitment__indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "commitment"], name="reviewresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.commitment.indicator}"


class RemedyRule(TimeStamped):
    """A remedy rule (处置规则) as data: for a shortfall range, or after repeated failures, what to do."""

    name = models.CharField(_("名称"), max_length=100)
    stage = models.CharField(
        _("适用阶段"),
        max_length=12,
        choices=Stage.choices,
        blank=True,
        help_text=_("留空表示竣工、达产均适用"),
    )
    min_shortfall_pct = models.DecimalField(
        _("差额下限（%）"), max_digits=8, decimal_places=2, default=Decimal(0), help_text=_("含")
    )
    max_shortfall_pct = models.DecimalField(
        _("差额上限（%）"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("不含；留空表示无上限"),
    )
    min_failures = models.PositiveIntegerField(
        _("累计未达标次数"),
        null=True,
        blank=True,
        help_text=_("填写时，同一承诺累计未达标达到该次数即适用，不论差额"),
    )
    kind = models.CharField(_("处置方式"), max_length=12, choices=RemedyKind.choices)
    rectify_months = models.PositiveIntegerField(_("整改期（月）"), null=True, blank=True)
    penalty_rate = models.DecimalField(
        _("违约金系数"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("违约金 = 出让价款 × 差额比例 × 系数（合同约定）"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    scope = Scope()
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处置规则")
        verbose_name_plural = _("处置规则")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class RemedyAction(TimeStamped):
    """An action to take on a commitment not met (整改, 违约金, 回购/收回), with its status."""

    result = models.ForeignKey(
        ReviewResult, verbose_name=_("核验结果"), on_delete=models.PROTECT, related_name="actions"
    )
    rule = models.ForeignKey(
        RemedyRule, verbose_name=_("处置规则"), on_delete=models.PROTECT, related_name="+"
    )
    parcel = models.ForeignKey(Parcel, verbose_name=_("地块"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="land_remedies"
    )
    kind = models.CharField(_("处置方式"), max_length=12, choices=RemedyKind.choices)
    description = models.CharField(_("处置内容"), max_length=300)
    amount_wan = models.DecimalField(
        _("违约金（万元）"), null=True, blank=True, max_digits=20, decimal_places=4
    )
    due_date = models.DateField(_("期限"), null=True, blank=True)
    status = models.CharField(
        _("办理状态"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    status_note = models.CharField(_("办理说明"), max_length=300, blank=True)

    scope = Scope(territory="parcel__territory", organisation="enterprise")
    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处置事项")
        verbose_name_plural = _("处置事项")
        ordering = ["status", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.parcel.code} · {self.get_kind_display()}"
