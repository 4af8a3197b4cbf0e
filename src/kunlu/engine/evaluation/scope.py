"""Who is evaluated: scope, exemptions (T 类 / 不定等级), excluding vetoes and missing data."""

from __future__ import annotations

from kunlu.engine.evaluation.plan import Candidate, Facts, Plan, fmt, missing_reason
from kunlu.engine.evaluation.rows import EnterpriseRow, Exclusion, Track
from kunlu.engine.evaluation.ruleset import (
    Exemption,
    ExemptTreatment,
    MissingTreatment,
    ScopeGroup,
    VetoEffect,
)


def admit(row: EnterpriseRow, plan: Plan, *, values_needed: bool = True) -> Candidate | Exclusion:
    """The firm as a candidate of a list, or the reason it is not evaluated (first reason that applies)."""
    scope = plan.ruleset.scope

    def out(reason: str, message: str, band: str | None = None) -> Exclusion:
        return Exclusion(row.id, row.name, reason, message, band)

    included, excluded, exempt_by_industry = plan.industry(row.industry)
    if not included:
        return out("industry_not_included", f"行业“{row.industry or '未填'}”不在评价范围内")
    if excluded:
        return out("industry_excluded", f"行业“{row.industry}”属于不参评行业（{excluded}）")
    group: ScopeGroup = scope.above_scale if row.above_scale else scope.below_scale
    label = "规上" if row.above_scale else "规下"
    if not group.include:
        return out("scale_not_included", f"{label}企业不在本办法评价范围内")
    facts = Facts(row, plan)
    if group.min_land_mu is not None:
        land = facts.values.get("land_mu")
        if land is None:
            return out("land_missing", f"缺少用地面积，无法判断是否达到{label}企业最低用地要求")
        minimum = group.min_land_mu
        below = land < minimum if group.land_inclusive else land <= minimum
        if below:
            sign = "≥" if group.land_inclusive else ">"
            return out(
                "land_below_minimum", f"用地{fmt(land)}亩，未达到{label}企业{sign}{fmt(minimum)}亩的要求"
            )
    if not facts.holds(plan.scope_when[row.above_scale]):
        return out("scope_condition", f"不满足{label}企业的评价条件（{group.when}）")
    exemption: Exemption | None = None
    for (item, when), by_industry in zip(plan.exemptions, exempt_by_industry, strict=True):
        if by_industry and (when is None or facts.holds(when)):
            if item.treatment is ExemptTreatment.EXCLUDE:
                return out(f"exempt:{item.code}", f"{item.name}，不参加评价", item.band)
            exemption = item
            break
    for veto, when in plan.vetoes:
        if veto.effect is VetoEffect.EXCLUDE and facts.holds(when):
            return out(f"veto:{veto.code}", f"一票否决：{veto.name}，不参加评价")
    track = Track.BELOW_SCALE if (not row.above_scale and Track.BELOW_SCALE in plan.tracks) else Track.MAIN
    if not values_needed:
        # Last year's rows when every prior benchmark is Σ/Σ and no missing value excludes: skip the ratios.
        return Candidate(facts, track, [], exemption)
    values = [facts.number(indicator.expression) for indicator in plan.tracks[track]]
    for indicator, value in zip(plan.tracks[track], values, strict=True):
        if value is None and indicator.missing.treatment is MissingTreatment.EXCLUDE:
            reason = missing_reason(facts, indicator)
            return out("missing_data", f"{indicator.formula.name}数据缺失（{reason}），按规则不参加评价")
    return Candidate(facts, track, values, exemption)
