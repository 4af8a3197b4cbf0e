"""亩均效益评价 services: rule-set versions, evaluation figures as versions, runs computed by the engine,
publicity, objections with evidence and their review, and the move to the final, locked result."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit, jobs, versions
from kunlu.core.audit import acting_user as _recorder
from kunlu.core.models import ImportBatch, Job, Territory, TerritoryKind
from kunlu.core.services import refusal as _refuse
from kunlu.engine.evaluation import (
    INPUTS,
    EnterpriseResult,
    EnterpriseRow,
    EvaluationError,
    Exclusion,
    RuleSetError,
    evaluate,
    explain,
    load_ruleset,
    shipped_rulesets,
)
from kunlu.engine.evaluation import (
    RuleSet as EngineRuleSet,
)
from kunlu.enterprises.choices import SpecialisedLevel
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.evaluation.choices import ObjectionStatus, RunStatus
from kunlu.evaluation.models import (
    EnterpriseFigure,
    EvaluationResult,
    EvaluationRun,
    Objection,
    ObjectionEvidence,
    RuleSet,
    RuleSetVersion,
)

MAX_YAML_BYTES = 256 * 1024
MAX_ABS_VALUE = Decimal("1e15")
YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Evidence files by extension and the bytes they start with (OFD, DOCX and XLSX are zip containers).
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "ofd": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
LAND, EMPLOYEES = "land_mu", "employees"
_QUANTUM = Decimal(1).scaleb(-10)


class ProgressCallback(Protocol):
    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


# -- rule sets ---------------------------------------------------------------------------------------------


def ruleset_parse(text: str) -> EngineRuleSet:
    """The engine's rule set from YAML text, or every problem found, each naming its field path."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise _refuse(
            "yaml_text",
            _("规则集文本超过%(kb)sKB，请精简后再提交") % {"kb": MAX_YAML_BYTES // 1024},
            "too_large",
        )
    try:
        return load_ruleset(text)
    except RuleSetError as exc:
        raise ValidationError(
            {"yaml_text": [ValidationError(str(issue), code=issue.code) for issue in exc.issues]}
        ) from None


def ruleset_text_from_upload(content: bytes) -> str:
    """The text of an uploaded .yaml file: bounded in size, UTF-8."""
    if len(content) > MAX_YAML_BYTES:
        raise _refuse(
            "yaml_file",
            _("上传的文件超过%(kb)sKB") % {"kb": MAX_YAML_BYTES // 1024},
            "too_large",
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("yaml_file", _("文件不是UTF-8编码的文本"), "encoding") from None


@transaction.atomic
def ruleset_create(*, yaml_text: str, scope_text: str = "", note: str = "", actor: Any) -> RuleSetVersion:
    """Enter a new rule set (评价办法) from its YAML: the rule set and its first version."""
    parsed = ruleset_parse(yaml_text)
    if RuleSet.objects.filter(code=parsed.code).exists():
        raise _refuse(
            "yaml_text",
            _("code：规则集“%(code)s”已存在，请在该规则集中新增版本") % {"code": parsed.code},
            "code_taken",
        )
    ruleset = RuleSet.objects.create(
        code=parsed.code, name=parsed.name, jurisdiction=parsed.jurisdiction, scope_text=scope_text
    )
    version = _add_version(ruleset, parsed, yaml_text, note, actor)
    audit.record(
        "evaluation.ruleset.create",
        obj=ruleset,
        actor=actor,
        data={"code": ruleset.code, "version": version.number},
    )
    return version


@transaction.atomic
def ruleset_version_add(*, ruleset: RuleSet, yaml_text: str, note: str = "", actor: Any) -> RuleSetVersion:
    """Edit a rule set: the edited YAML becomes its next version; earlier versions stay as they were."""
    parsed = ruleset_parse(yaml_text)
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if parsed.code != ruleset.code:
        raise _refuse(
            "yaml_text",
            _("code：代码“%(given)s”与规则集代码“%(code)s”不一致")
            % {"given": parsed.code, "code": ruleset.code},
            "code_mismatch",
        )
    latest = ruleset.latest()
    if latest is not None and latest.yaml_text.strip() == yaml_text.strip():
        raise _refuse("yaml_text", _("内容与最新版本相同，未生成新版本"), "unchanged")
    changed = {
        name: value
        for name, value in (("name", parsed.name), ("jurisdiction", parsed.jurisdiction))
        if getattr(ruleset, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(ruleset, name, value)
        ruleset.save(update_fields=[*changed, "updated_at"])
    version = _add_version(ruleset, parsed, yaml_text, note, actor)
    audit.record(
        "evaluation.ruleset.revise", obj=ruleset, actor=actor, data={"version": version.number, "note": note}
    )
    return version


def _add_version(ruleset: RuleSet, parsed: EngineRuleSet, text: str, note: str, actor: Any) -> RuleSetVersion:
    latest = ruleset.latest()
    if latest is not None and parsed.version <= latest.number:
        raise _refuse(
            "yaml_text",
            _("version：版本号应大于现有最新版本%(n)s") % {"n": latest.number},
            "version_order",
        )
    return RuleSetVersion.objects.create(
        ruleset=ruleset,
        number=parsed.version,
        year=parsed.year,
        yaml_text=text,
        note=note,
        created_by=_recorder(actor),
    )


@transaction.atomic
def ruleset_install_shipped(*, actor: Any) -> list[str]:
    """Install the rule sets shipped with Kunlu; one already installed at its version is left alone."""
    added = []
    for path in shipped_rulesets():
        text = path.read_text(encoding="utf-8")
        parsed = ruleset_parse(text)
        ruleset = RuleSet.objects.filter(code=parsed.code).first()
        if ruleset is None:
            ruleset = RuleSet.objects.create(
                code=parsed.code,
                name=parsed.name,
                jurisdiction=parsed.jurisdiction,
                scope_text=parsed.notes,
                is_shipped=True,
            )
        elif ruleset.versions.filter(number__gte=parsed.version).exists():
            continue
        _add_version(ruleset, parsed, text, _("内置规则集（%(file)s）") % {"file": path.name}, actor)
        added.append(f"{parsed.code} v{parsed.version}")
    if added:
        audit.record("evaluation.ruleset.install", actor=actor, data={"added": added})
    return added


def engine_ruleset(version: RuleSetVersion) -> EngineRuleSet:
    """The engine's rule set of a stored version."""
    return load_ruleset(version.yaml_text)


# -- figures -----------------------------------------------------------------------------------------------


def known_inputs() -> dict[str, tuple[str, str, bool]]:
    """Input codes figures may carry: the formula library's inputs, then the inputs and flags declared by
    the latest version of each rule set — code → (name, unit, is_flag)."""
    known = {item.code: (item.name, item.unit, False) for item in INPUTS}
    seen: set[int] = set()
    for version in RuleSetVersion.objects.order_by("ruleset_id", "-number").only("ruleset_id", "yaml_text"):
        if version.ruleset_id in seen:
            continue
        seen.add(version.ruleset_id)
        try:
            parsed = load_ruleset(version.yaml_text)
        except RuleSetError:  # stored versions were valid when saved; a later engine may disagree
            continue
        for item in parsed.inputs:
            known.setdefault(item.code, (item.name, item.unit, False))
        for flag in parsed.flags:
            known.setdefault(flag.code, (flag.name, _("是=1，否=0"), True))
    return known


def check_figure(input_code: str, value: Any, known: Mapping[str, tuple[str, str, bool]]) -> Decimal:
    """A figure's value checked for its input: a known input, a finite non-negative number, land above 0."""
    if input_code not in known:
        raise _refuse("input", _("未知的数据项“%(code)s”") % {"code": input_code}, "unknown_input")
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        raise _refuse("value", _("数值超出允许范围"), "value_range")
    name = known[input_code][0]
    if value < 0:
        raise _refuse(
            "value", _("“%(name)s”不能为负数（%(value)s）") % {"name": name, "value": value}, "negative"
        )
    if input_code == LAND and value <= 0:
        raise _refuse("value", _("评价用地面积须大于0亩"), "land_area")
    return value


@transaction.atomic
def figure_record(
    *,
    enterprise: Organisation,
    year: int,
    input: str,
    value: Decimal,
    actor: Any,
    batch: ImportBatch | None = None,
    source: str = "",
    note: str = "",
    at: datetime | None = None,
    audited: bool = True,
    known: Mapping[str, tuple[str, str, bool]] | None = None,
) -> tuple[EnterpriseFigure, bool]:
    """Record an enterprise's evaluation figure for a year; a changed value becomes a new version.

    Returns the current figure and whether anything was written (the same value again writes nothing).
    """
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise _refuse("enterprise", _("“%(name)s”不是企业") % {"name": enterprise.name}, "not_enterprise")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _refuse("year", _("年度应在%(a)s至%(b)s之间") % {"a": YEAR_MIN, "b": YEAR_MAX}, "year")
    value = check_figure(input, value, known if known is not None else known_inputs())
    moment = at or timezone.now()
    key = {"enterprise": enterprise, "year": year, "input": input}
    current = EnterpriseFigure.objects.select_for_update().filter(**key, superseded_at__isnull=True).first()
    if current is not None and current.value == value:
        return current, False
    if current is not None:
        current.superseded_at = moment
        current.save(update_fields=["superseded_at", "updated_at"])
    figure = EnterpriseFigure.objects.create(
        **key,
        territory=enterprise.territory,
        value=value,
        version=current.version + 1 if current else 1,
        recorded_at=moment,
        recorded_by=_recorder(actor),
        source=source,
        note=note,
        batch=batch,
    )
    if audited:
        audit.record(
            f"evaluation.figure.{'revise' if current else 'record'}",
            obj=figure,
            actor=actor,
            data={"value": value, "previous": current.value if current else None, "version": figure.version},
        )
    return figure, True


def figure_create(
    *, model: type[EnterpriseFigure] = EnterpriseFigure, data: dict[str, Any], actor: Any
) -> EnterpriseFigure:
    """A figure entered by hand on the figures page (the declared CRUD's create)."""
    figure, _written = figure_record(
        enterprise=data["enterprise"],
        year=data["year"],
        input=data["input"],
        value=data["value"],
        source=data.get("source") or "",
        note=data.get("note") or "",
        actor=actor,
    )
    return figure


# -- building the engine's rows ------------------------------------------------------------------------------


def figures_as_of(*, territory: Territory, year: int, moment: datetime) -> dict[int, dict[str, Decimal]]:
    """Every enterprise's figures of a year in a territory subtree, as they stood at a moment."""
    rows = (
        versions.as_of(EnterpriseFigure.objects.filter(year=year), moment)
        .filter(enterprise__territory__path__startswith=territory.path)
        .values_list("enterprise_id", "input", "value")
    )
    out: dict[int, dict[str, Decimal]] = {}
    for enterprise, code, value in rows:
        out.setdefault(enterprise, {})[code] = value
    return out


def _places() -> Callable[[int], tuple[str, str]]:
    """(park, region) of a territory: its nearest 园区 (else 开发区) and its nearest 县级市 (else the top)."""
    territories = {t.pk: t for t in Territory.objects.only("pk", "name", "kind", "parent_id")}

    def chain(pk: int) -> list[Territory]:
        out = []
        node = territories.get(pk)
        while node is not None:
            out.append(node)
            node = territories.get(node.parent_id) if node.parent_id else None
        return out

    def places(pk: int) -> tuple[str, str]:
        nodes = chain(pk)
        if not nodes:
            return "", ""
        park = next((t for t in nodes if t.kind == TerritoryKind.PARK), None)
        park = park or next((t for t in nodes if t.kind == TerritoryKind.ZONE), nodes[0])
        region = next((t for t in nodes if t.kind == TerritoryKind.CITY), nodes[-1])
        return park.name, region.name

    return places


def _profile_flags(profile: Any) -> set[str]:
    flags = set()
    if profile.is_high_tech:
        flags.add("high_tech")
    if profile.specialised_level != SpecialisedLevel.NONE:
        flags.add("specialised")
    if profile.specialised_level == SpecialisedLevel.LITTLE_GIANT:
        flags.add("little_giant")
    if profile.is_foreign:
        flags.add("foreign_invested")
    if profile.is_headquarters:
        flags.add("headquarters")
    return flags


def enterprise_rows(
    *,
    territory: Territory,
    year: int,
    moment: datetime,
    adjustments: Mapping[int, Mapping[str, Decimal]] | None = None,
) -> list[EnterpriseRow]:
    """The engine's rows for a year: figures as of the moment, with the registry's industry, 规上 and flags
    as of the same moment. Land (评价用地面积) comes from the figures when given, else from the registry's
    registered land area; so does the number of employees. `adjustments` ({enterprise: {input: value}},
    the accepted objections of a run) are laid over the figures of the enterprises they concern."""
    figures = figures_as_of(territory=territory, year=year, moment=moment)
    if not figures:
        return []
    for pk, values in (adjustments or {}).items():
        if pk in figures:
            figures[pk].update(values)
    declared_flags = {code for code, (_n, _u, is_flag) in known_inputs().items() if is_flag}
    ids = sorted(figures)
    organisations = {
        o.pk: o for o in Organisation.objects.filter(pk__in=ids).only("pk", "name", "territory_id")
    }
    profiles = {
        p.organisation_id: p for p in EnterpriseProfile.history.as_of(moment).filter(organisation_id__in=ids)
    }
    industries = dict(
        Industry.objects.filter(
            pk__in={p.industry_id for p in profiles.values() if p.industry_id}
        ).values_list("pk", "code")
    )
    places = _places()
    rows = []
    for pk in ids:
        org = organisations[pk]
        profile = profiles.get(pk)
        inputs: dict[str, Decimal | None] = {}
        flags: set[str] = set()
        for code, value in figures[pk].items():
            if code in declared_flags:
                if value:
                    flags.add(code)
            else:
                inputs[code] = value
        if profile is not None:
            flags |= _profile_flags(profile)
            if LAND not in inputs and profile.land_area_mu is not None:
                inputs[LAND] = profile.land_area_mu
            if EMPLOYEES not in inputs and profile.employees is not None:
                inputs[EMPLOYEES] = Decimal(profile.employees)
        park, region = places(org.territory_id)
        rows.append(
            EnterpriseRow(
                id=pk,
                name=org.name,
                industry=industries.get(profile.industry_id, "") if profile is not None else "",
                park=park,
                region=region,
                above_scale=bool(profile is not None and profile.is_above_scale),
                flags=frozenset(flags),
                inputs=inputs,
            )
        )
    return rows


def accepted_adjustments(run: EvaluationRun) -> dict[int, dict[str, Decimal]]:
    """The figures changed by the run's accepted objections ({enterprise: {input: value}}), the later
    decision winning: a recomputation counts them over the data as of the run's moment, and nothing else
    recorded since."""
    out: dict[int, dict[str, Decimal]] = {}
    accepted = Objection.objects.filter(run=run, status=ObjectionStatus.ACCEPTED).order_by("decided_at", "pk")
    for enterprise_id, adjustments in accepted.values_list("enterprise_id", "adjustments"):
        for code, change in (adjustments or {}).items():
            if isinstance(change, dict) and change.get("new") is not None:
                out.setdefault(enterprise_id, {})[code] = Decimal(str(change["new"]))
    return out


def _needs_prior(ruleset: EngineRuleSet) -> bool:
    indicators = list(ruleset.indicators)
    if ruleset.below_scale_scoring is not None:
        indicators += list(ruleset.below_scale_scoring.indicators)
    return any(i.benchmark.kind.value != "fixed" and i.benchmark.period.value == "prior" for i in indicators)


# -- runs --------------------------------------------------------------------------------------------------


def _locked(run: EvaluationRun, field: str = "status") -> None:
    if run.status == RunStatus.FINAL:
        raise _refuse(field, _("评价批次“%(run)s”已终审锁定，不能再修改") % {"run": run.title}, "locked")


@transaction.atomic
def run_create(
    *,
    ruleset_version: RuleSetVersion,
    year: int,
    territory: Territory,
    title: str = "",
    as_of: datetime | None = None,
    note: str = "",
    compute: bool = True,
    actor: Any,
) -> EvaluationRun:
    """Start an evaluation (评价批次) of a territory's enterprises for a year under a rule-set version, with
    the data as of a moment (now by default); computed at once unless a background job will compute it."""
    now = timezone.now()
    moment = as_of or now
    if moment > now:
        raise _refuse("as_of", _("数据截止时点不能晚于现在"), "as_of_future")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _refuse("year", _("年度应在%(a)s至%(b)s之间") % {"a": YEAR_MIN, "b": YEAR_MAX}, "year")
    figures = EnterpriseFigure.objects.filter(
        year=year, enterprise__territory__path__startswith=territory.path
    )
    if not versions.as_of(figures, moment).exists():
        raise _refuse(
            "territory",
            _("%(territory)s没有%(year)s年的企业评价数据，没有可参评的企业")
            % {"territory": territory.name, "year": year},
            "no_enterprises",
        )
    run = EvaluationRun.objects.create(
        title=title or f"{territory.name}{year}年度亩均效益评价",
        ruleset_version=ruleset_version,
        year=year,
        as_of=moment,
        territory=territory,
        note=note,
        created_by=_recorder(actor),
    )
    audit.record(
        "evaluation.run.create",
        obj=run,
        actor=actor,
        data={
            "ruleset": ruleset_version.ruleset.code,
            "version": ruleset_version.number,
            "year": year,
            "as_of": moment,
        },
    )
    if compute:
        run = run_compute(run=run, actor=actor)
    return run


@transaction.atomic
def run_compute(*, run: EvaluationRun, actor: Any, progress: ProgressCallback | None = None) -> EvaluationRun:
    """Compute (or recompute) every enterprise of the run with the engine and store the results as a new
    computation; earlier computations stay. All or nothing."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    _locked(run)
    ruleset = engine_ruleset(run.ruleset_version)
    report = progress or (lambda done, total=None, message="": None)
    report(0, 3, _("读取企业数据"))
    rows = enterprise_rows(
        territory=run.territory, year=run.year, moment=run.as_of, adjustments=accepted_adjustments(run)
    )
    if not rows:
        raise _refuse("territory", _("评价范围内没有企业的评价数据"), "no_enterprises")
    reference = enterprise_rows(territory=run.territory, year=run.year - 1, moment=run.as_of)
    if _needs_prior(ruleset) and not reference:
        raise _refuse(
            "year",
            _("本规则集的基准取自上年数据，但没有%(year)s年的企业数据") % {"year": run.year - 1},
            "no_reference",
        )
    report(1, 3, _("计算得分"))
    try:
        result = evaluate(ruleset, rows, reference=reference)
    except (EvaluationError, RuleSetError) as exc:
        raise _refuse("ruleset_version", str(exc), "engine") from exc
    if not result.results:
        raise _refuse("territory", _("评价范围内没有符合规则集参评条件的企业"), "no_enterprises")
    report(2, 3, _("保存结果"))
    run.computation += 1
    by_id = {row.id: row for row in rows}
    territories = dict(Organisation.objects.filter(pk__in=by_id).values_list("pk", "territory_id"))
    stored = [_result_row(run, item, by_id[item.enterprise_id], territories) for item in result.results]
    stored += [_excluded_row(run, item, by_id[item.enterprise_id], territories) for item in result.excluded]
    EvaluationResult.objects.bulk_create(stored, batch_size=500)
    run.enterprise_count = len(rows)
    run.evaluated_count = len(result.results)
    run.excluded_count = len(result.excluded)
    run.band_counts = _band_counts(stored)
    run.benchmarks = [
        {
            "track": b.track.value,
            "formula": b.formula,
            "group": b.group,
            "value": _text(b.value),
            "sample_size": b.sample_size,
            "basis": b.basis,
        }
        for b in result.benchmarks
    ]
    run.computed_at = timezone.now()
    run.computations = [
        *run.computations,
        {
            "computation": run.computation,
            "at": run.computed_at.isoformat(),
            "as_of": run.as_of.isoformat(),
            "by": str(actor) if _recorder(actor) else "",
            "evaluated": run.evaluated_count,
            "excluded": run.excluded_count,
        },
    ]
    run.save()
    audit.record(
        "evaluation.run.compute",
        obj=run,
        actor=actor,
        data={
            "computation": run.computation,
            "evaluated": run.evaluated_count,
            "excluded": run.excluded_count,
        },
    )
    report(3, 3, _("完成"))
    return run


def _band_counts(stored: Iterable[EvaluationResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in stored:
        if item.band:
            counts[item.band] = counts.get(item.band, 0) + 1
    return dict(sorted(counts.items()))


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_QUANTUM, ROUND_HALF_UP)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _row_json(row: EnterpriseRow) -> dict[str, Any]:
    return {
        "industry": row.industry,
        "park": row.park,
        "region": row.region,
        "above_scale": row.above_scale,
        "flags": sorted(row.flags),
        "inputs": {
            code: _text(Decimal(value)) if value is not None else None
            for code, value in sorted(row.inputs.items())
        },
    }


def _result_row(
    run: EvaluationRun, item: EnterpriseResult, row: EnterpriseRow, territories: dict[Any, int]
) -> EvaluationResult:
    trace = {
        **_row_json(row),
        "indicators": [
            {
                "formula": t.formula,
                "name": t.name,
                "unit": t.unit,
                "value": _text(t.value),
                "benchmark": _text(t.benchmark),
                "benchmark_basis": t.benchmark_basis,
                "ratio": _text(t.ratio),
                "weight": _text(t.weight),
                "points_raw": _text(t.points_raw),
                "points": _text(t.points),
                "capping": t.capping.value if t.capping else None,
                "missing": t.missing.value if t.missing else None,
                "missing_reason": t.missing_reason,
            }
            for t in item.indicators
        ],
        "bonuses": [{"code": a.code, "name": a.name, "points": _text(a.points)} for a in item.bonuses],
        "deductions": [{"code": a.code, "name": a.name, "points": _text(a.points)} for a in item.deductions],
        "vetoes": [{"code": v.code, "name": v.name, "band": v.band} for v in item.vetoes],
        "exemption": item.exemption,
        "lines": explain(item),
    }
    return EvaluationResult(
        run=run,
        computation=run.computation,
        enterprise_id=row.id,
        territory_id=territories[row.id],
        evaluated=True,
        track=item.track.value,
        ranking_group=item.ranking_group[:100],
        indicator_points=_q(item.indicator_points),
        bonus_points=_q(item.bonus_points),
        deduction_points=_q(item.deduction_points),
        total=_q(item.total),
        rank=item.rank,
        graded_count=item.graded_count,
        score_band=item.score_band or "",
        band=item.band,
        band_basis=item.band_basis.value,
        band_reason=item.band_reason[:255],
        trace=trace,
    )


def _excluded_row(
    run: EvaluationRun, item: Exclusion, row: EnterpriseRow, territories: dict[Any, int]
) -> EvaluationResult:
    return EvaluationResult(
        run=run,
        computation=run.computation,
        enterprise_id=row.id,
        territory_id=territories[row.id],
        evaluated=False,
        band=item.band or "",
        exclusion_reason=item.reason[:40],
        exclusion_message=item.message[:255],
        trace={**_row_json(row), "lines": [item.message]},
    )


@transaction.atomic
def run_recompute(*, run: EvaluationRun, actor: Any) -> EvaluationRun:
    """Recompute a run that is not final with the data as of its moment (数据截止时点) and its accepted
    objections' adjustments; figures recorded since do not count. The earlier computation's results are
    kept."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    _locked(run)
    if _needs_job(territory=run.territory, year=run.year):
        _compute_job(run, actor)  # a large run is recomputed in the background
        return run
    return run_compute(run=run, actor=actor)


@transaction.atomic
def run_publish(*, run: EvaluationRun, actor: Any) -> EvaluationRun:
    """Publish a computed run for 公示: each enterprise now sees its own result and trace."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    _locked(run)
    if run.status != RunStatus.DRAFT:
        raise _refuse("status", _("该评价批次已公示过，不能重复公示"), "already_published")
    if run.computation == 0:
        raise _refuse("status", _("评价批次尚未计算，不能公示"), "not_computed")
    run.status, run.published_at = RunStatus.PUBLICITY, timezone.now()
    run.save(update_fields=["status", "published_at", "updated_at"])
    audit.record("evaluation.run.publish", obj=run, actor=actor, data={"computation": run.computation})
    return run


@transaction.atomic
def run_close_publicity(*, run: EvaluationRun, actor: Any) -> EvaluationRun:
    """End the publicity period: no more objections; those filed are reviewed (异议处理)."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    _locked(run)
    if run.status != RunStatus.PUBLICITY:
        raise _refuse("status", _("只有公示中的评价批次才能结束公示"), "not_in_publicity")
    run.status, run.closed_at = RunStatus.REVIEW, timezone.now()
    run.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record("evaluation.run.close", obj=run, actor=actor, data={})
    return run


@transaction.atomic
def run_finalize(*, run: EvaluationRun, actor: Any) -> EvaluationRun:
    """Make the result final (终审) and lock the run; every objection must have been decided."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    _locked(run)
    if run.status != RunStatus.REVIEW:
        raise _refuse("status", _("须先公示并结束公示，才能终审"), "not_reviewed")
    pending = run.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        raise _refuse("status", _("还有%(n)s件异议未处理") % {"n": pending}, "objections_pending")
    run.status, run.finalized_at = RunStatus.FINAL, timezone.now()
    run.save(update_fields=["status", "finalized_at", "updated_at"])
    audit.record("evaluation.run.finalize", obj=run, actor=actor, data={"band_counts": run.band_counts})
    return run


@jobs.handler("evaluation.run")
def run_job(*, job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Compute a large run in the background, with progress. A run the job could not compute is discarded,
    so no empty draft is left behind (the job's error says why)."""
    run = EvaluationRun.objects.get(pk=job.params["run"])
    try:
        run = run_compute(run=run, actor=job.created_by, progress=progress)
    except Exception as exc:
        run_discard(run=run, actor=job.created_by, reason=str(exc))
        raise
    return {"run": run.pk, "computation": run.computation, "evaluated": run.evaluated_count}


@transaction.atomic
def run_discard(*, run: EvaluationRun, actor: Any, reason: str = "") -> bool:
    """Delete a run that was never computed (its background computation failed); whether it was deleted.
    A run with results is never discarded."""
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if run.computation or run.results.exists() or run.objections.exists():
        return False
    audit.record(
        "evaluation.run.discard", obj=run, actor=actor, data={"title": run.title, "reason": reason[:500]}
    )
    run.delete()
    return True


def run_start(
    *,
    ruleset_version: RuleSetVersion,
    year: int,
    territory: Territory,
    title: str = "",
    as_of: datetime | None = None,
    actor: Any,
) -> tuple[EvaluationRun, Job | None]:
    """Create a run from the page: computed at once, or by a background job when it has many enterprises."""
    big = _needs_job(territory=territory, year=year)
    run = run_create(
        ruleset_version=ruleset_version,
        year=year,
        territory=territory,
        title=title,
        as_of=as_of,
        compute=not big,
        actor=actor,
    )
    if not big:
        return run, None
    return run, _compute_job(run, actor)


def _needs_job(*, territory: Territory, year: int) -> bool:
    """Whether a run of the territory's enterprises is large enough to be computed in the background."""
    count = (
        EnterpriseFigure.objects.filter(
            superseded_at__isnull=True, year=year, enterprise__territory__path__startswith=territory.path
        )
        .values("enterprise_id")
        .distinct()
        .count()
    )
    return count > settings.KUNLU_JOB_THRESHOLD_ROWS


def _compute_job(run: EvaluationRun, actor: Any) -> Job:
    return jobs.job_start(
        kind="evaluation.run",
        title=_("计算%(run)s") % {"run": run.title},
        params={"run": run.pk},
        actor=actor,
    )


# -- objections --------------------------------------------------------------------------------------------


def evidence_folder() -> Path:
    """Where evidence files are kept (under the data dir's media), named by their SHA-256."""
    return Path(settings.MEDIA_ROOT) / "evaluation" / "evidence"


def _check_evidence(files: list[Any]) -> list[tuple[str, str, bytes]]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise _refuse("evidence", _("证明材料最多%(n)s个文件") % {"n": MAX_EVIDENCE_FILES}, "evidence_count")
    checked = []
    for upload in files:
        name = Path(str(upload.name)).name[:200]
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if upload.size > MAX_EVIDENCE_BYTES:
            raise _refuse(
                "evidence",
                _("“%(name)s”超过%(mb)sMB") % {"name": name, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
                "evidence_size",
            )
        content = upload.read(MAX_EVIDENCE_BYTES + 1)
        if len(content) > MAX_EVIDENCE_BYTES:
            raise _refuse(
                "evidence",
                _("“%(name)s”超过%(mb)sMB") % {"name": name, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
                "evidence_size",
            )
        magic = EVIDENCE_TYPES.get(extension)
        if magic is None or not content.startswith(magic):
            raise _refuse(
                "evidence",
                _("“%(name)s”不是可接受的文件类型（PDF、JPG、PNG、OFD、DOCX、XLSX）") % {"name": name},
                "evidence_type",
            )
        checked.append((name, extension, content))
    return checked


@transaction.atomic
def objection_file(
    *, result: EvaluationResult, text: str, files: list[Any] | None = None, actor: Any
) -> Objection:
    """An enterprise objects to its published result (异议), with its written reasons and evidence files."""
    run = EvaluationRun.objects.select_for_update().get(pk=result.run_id)
    _locked(run, "result")
    if run.status != RunStatus.PUBLICITY:
        raise _refuse("result", _("只能在公示期内提出异议"), "not_in_publicity")
    if result.computation != run.computation:
        raise _refuse("result", _("该结果已被重新计算，请对最新结果提出异议"), "stale_result")
    if Objection.objects.filter(
        run=run, enterprise_id=result.enterprise_id, status=ObjectionStatus.PENDING
    ).exists():
        raise _refuse("result", _("该结果已有一件异议尚未处理，请等待处理结果后再提出"), "objection_pending")
    if not text.strip():
        raise _refuse("text", _("请填写异议内容"), "text_required")
    checked = _check_evidence(list(files or []))
    objection = Objection.objects.create(
        result=result,
        run=run,
        enterprise_id=result.enterprise_id,
        territory_id=result.territory_id,
        text=text.strip(),
        filed_by=_recorder(actor),
    )
    folder = evidence_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for name, extension, content in checked:
        digest = hashlib.sha256(content).hexdigest()
        path = folder / f"{digest}.{extension}"
        if not path.exists():
            path.write_bytes(content)
        ObjectionEvidence.objects.create(
            objection=objection,
            file_name=name,
            stored_file=str(path.relative_to(Path(settings.MEDIA_ROOT))),
            size=len(content),
            sha256=digest,
        )
    audit.record(
        "evaluation.objection.file",
        obj=objection,
        actor=actor,
        data={"run": run.pk, "files": [name for name, _e, _c in checked]},
    )
    return objection


def _decidable(objection: Objection) -> EvaluationRun:
    run = EvaluationRun.objects.select_for_update().get(pk=objection.run_id)
    _locked(run)
    if objection.status != ObjectionStatus.PENDING:
        raise _refuse("status", _("该异议已处理"), "decided")
    return run


@transaction.atomic
def objection_accept(
    *, objection: Objection, adjustments: Mapping[str, Decimal], decision: str = "", actor: Any
) -> Objection:
    """Accept an objection: the adjusted figures become new versions, and the whole run is recomputed with
    the data as of its moment plus the accepted adjustments (percentile bands re-rank everyone); figures of
    other enterprises recorded since the run's moment do not count."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    run = _decidable(objection)
    if not adjustments:
        raise _refuse("adjustments", _("采纳异议须给出调整后的数据"), "adjustments_required")
    known = known_inputs()
    moment = timezone.now()
    changes: dict[str, dict[str, str | None]] = {}
    enterprise = Organisation.objects.get(pk=objection.enterprise_id)
    for code, value in adjustments.items():
        previous = (
            EnterpriseFigure.objects.filter(
                enterprise=enterprise, year=run.year, input=code, superseded_at__isnull=True
            )
            .values_list("value", flat=True)
            .first()
        )
        try:
            figure_record(
                enterprise=enterprise,
                year=run.year,
                input=code,
                value=value,
                actor=actor,
                source=_("异议调整"),
                note=_("异议#%(pk)s") % {"pk": objection.pk},
                at=moment,
                known=known,
            )
        except ValidationError as exc:
            raise _refuse("adjustments", f"{code}：{'；'.join(exc.messages)}", "adjustment_invalid") from exc
        changes[code] = {"old": _text(previous), "new": _text(value)}
    objection.status = ObjectionStatus.ACCEPTED
    objection.decided_by, objection.decided_at = _recorder(actor), moment
    objection.decision, objection.adjustments = decision, dict(changes)
    objection.save()
    # Percentile bands re-rank everyone: a large run is recomputed by the background job, not in the request.
    if _needs_job(territory=run.territory, year=run.year):
        computation: int | None = None
        _compute_job(run, actor)
    else:
        computation = run_compute(run=run, actor=actor).computation
    objection.adjustments = {**changes, "computation": computation}
    objection.save(update_fields=["adjustments", "updated_at"])
    audit.record(
        "evaluation.objection.accept",
        obj=objection,
        actor=actor,
        data={"adjustments": changes, "computation": computation},
    )
    return objection


@transaction.atomic
def objection_reject(*, objection: Objection, decision: str, actor: Any) -> Objection:
    """Reject an objection, with the reason the enterprise will read."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    _decidable(objection)
    if not decision.strip():
        raise _refuse("decision", _("不予采纳须说明理由"), "reason_required")
    objection.status = ObjectionStatus.REJECTED
    objection.decided_by, objection.decided_at = _recorder(actor), timezone.now()
    objection.decision = decision.strip()
    objection.save()
    audit.record(
        "evaluation.objection.reject", obj=objection, actor=actor, data={"decision": objection.decision}
    )
    return objection


def objection_create(*, model: type[Objection] = Objection, data: dict[str, Any], actor: Any) -> Objection:
    """An objection filed through the API (no files): the declared create."""
    return objection_file(result=data["result"], text=data.get("text", ""), actor=actor)
