"""Services of direct reporting: each rule, and each way it refuses (asserting the error code)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kunlu.core.models import AuditEvent
from kunlu.core.versions import as_of
from kunlu.indicators.choices import Basis
from kunlu.indicators.models import Indicator, UnitObservation
from kunlu.indicators.services import unit_observation_record
from kunlu.reporting import services
from kunlu.reporting.choices import Operator, ReportStatus, RuleKind, Severity
from kunlu.reporting.models import CategoryMembership, MonthlyReport, ReportLine
from kunlu.reporting.services import LineInput
from kunlu.reporting.tests.conftest import Setup, period


def codes(exc: pytest.ExceptionInfo[ValidationError], key: str) -> list[str]:
    return [e.code or "" for e in exc.value.error_dict[key]]


def submit(setup: Setup, report: MonthlyReport, **kwargs: Any) -> MonthlyReport:
    return services.report_submit(report=report, actor=setup.world.enterprise_user_a, **kwargs)


# -- drafts --------------------------------------------------------------------------------------------------


def test_a_first_save_starts_the_report_as_a_draft(setup: Setup) -> None:
    report = setup.draft(values={"ind_output": "1234.5", "ind_electricity": 50, "rd_expense": None})
    assert report.status == ReportStatus.DRAFT
    assert report.territory == setup.world.zone_a and report.period.code == "2025-09"
    assert {line.indicator.code: line.value for line in report.lines.select_related("indicator")} == {
        "ind_output": Decimal("1234.5"),
        "ind_electricity": Decimal(50),
    }
    event = AuditEvent.objects.get(event="reporting.monthlyreport.save_draft")
    assert event.data["created"] is True and sorted(event.data["changed"]) == [
        "ind_electricity",
        "ind_output",
    ]


def test_saving_again_changes_only_what_changed(setup: Setup) -> None:
    report = setup.draft(values={"ind_output": 1000, "ind_electricity": 50})
    line = report.lines.get(indicator__code="ind_electricity")
    setup.draft(values={"ind_output": 1100, "ind_electricity": 50})
    assert line.history.count() == 1  # untouched line: no new history row
    assert report.lines.get(indicator__code="ind_output").value == Decimal(1100)
    assert MonthlyReport.objects.count() == 1


def test_a_draft_outside_the_membership_is_refused(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        setup.draft(2024, 12)
    assert codes(info, "category") == ["not_member"]


def test_only_enterprises_report(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        setup.draft(enterprise=setup.world.bureau_a)
    assert codes(info, "enterprise") == ["not_enterprise"]


def test_an_inactive_category_takes_no_reports(setup: Setup) -> None:
    setup.category.is_active = False
    setup.category.save()
    with pytest.raises(ValidationError) as info:
        setup.draft()
    assert codes(info, "category") == ["category_inactive"]


def test_an_indicator_off_the_form_is_refused(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        setup.draft(values={"ind_output": 1, "gdp": 5})
    assert codes(info, "gdp") == ["unknown_indicator"]
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    ("value", "code"), [("1.23456", "value_precision"), ("1e16", "value_range"), ("NaN", "value_type")]
)
def test_bad_values_are_refused_naming_the_indicator(setup: Setup, value: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        setup.draft(values={"ind_output": value})
    assert codes(info, "ind_output") == [code]
    assert "规上工业总产值" in info.value.error_dict["ind_output"][0].messages[0]


def test_an_overlong_explanation_is_refused(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        setup.draft(explanations={"ind_output": "长" * 501})
    assert codes(info, "ind_output") == ["explanation_length"]


def test_a_submitted_report_cannot_be_changed(setup: Setup) -> None:
    submit(setup, setup.draft())
    with pytest.raises(ValidationError) as info:
        setup.draft(values={"ind_output": 2000})
    assert info.value.code == "not_editable"


# -- submission and the review rules -------------------------------------------------------------------------


def test_submit_hands_the_report_in(setup: Setup) -> None:
    report = submit(setup, setup.draft())
    assert report.status == ReportStatus.SUBMITTED and report.revision == 1
    assert (
        report.submitted_at == report.first_submitted_at
        and report.submitted_by == setup.world.enterprise_user_a
    )
    assert AuditEvent.objects.filter(
        event="reporting.monthlyreport.submit", object_id=str(report.pk)
    ).exists()


def test_an_empty_report_cannot_be_submitted(setup: Setup) -> None:
    report = setup.draft(values={}, explanations={"rd_expense": "本月无研发"})
    with pytest.raises(ValidationError) as info:
        submit(setup, report)
    assert info.value.code == "empty_report"


def test_required_lines_of_the_form_block(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": 1000}))
    assert codes(info, "ind_electricity") == ["value_required"]
    assert MonthlyReport.objects.get().status == ReportStatus.DRAFT


def test_a_required_rule_that_blocks(setup: Setup) -> None:
    setup.rule("rd_expense", RuleKind.REQUIRED, Severity.BLOCK)
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft())
    assert codes(info, "rd_expense") == ["value_required"]


def test_a_required_rule_that_asks_for_an_explanation(setup: Setup) -> None:
    setup.rule("rd_expense", RuleKind.REQUIRED, Severity.EXPLAIN)
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft())
    assert codes(info, "rd_expense") == ["explanation_required"]
    assert "情况说明" in info.value.error_dict["rd_expense"][0].messages[0]
    report = setup.draft(explanations={"rd_expense": "本季度研发支出在12月集中入账"})
    assert submit(setup, report).status == ReportStatus.SUBMITTED
    stored = report.lines.get(indicator__code="rd_expense").findings
    assert stored[0]["kind"] == "required" and stored[0]["explained"] is True


def test_a_range_rule_blocks_naming_the_indicator(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.RANGE, Severity.BLOCK, min_value=Decimal(0), max_value=Decimal(100000))
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": -5, "ind_electricity": 50}))
    assert codes(info, "ind_output") == ["out_of_range"]
    assert "规上工业总产值" in info.value.error_dict["ind_output"][0].messages[0]
    report = setup.draft(values={"ind_output": 100000, "ind_electricity": 50})
    assert submit(setup, report).status == ReportStatus.SUBMITTED  # the bound itself is allowed


def test_a_range_rule_that_asks_for_an_explanation(setup: Setup) -> None:
    setup.rule("ind_electricity", RuleKind.RANGE, Severity.EXPLAIN, max_value=Decimal(1000))
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": 1, "ind_electricity": 2000}))
    assert codes(info, "ind_electricity") == ["explanation_required"]
    report = setup.draft(
        values={"ind_output": 1, "ind_electricity": 2000}, explanations={"ind_electricity": "新增电炉"}
    )
    assert submit(setup, report).status == ReportStatus.SUBMITTED


def test_month_on_month_jump_compares_with_last_months_accepted_report(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.MOM_JUMP, Severity.EXPLAIN, threshold_pct=Decimal(30))
    setup.accepted(2025, 8, {"ind_output": 1000, "ind_electricity": 50})
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": 1400, "ind_electricity": 50}))
    assert codes(info, "ind_output") == ["explanation_required"]
    message = info.value.error_dict["ind_output"][0].messages[0]
    assert "增长40.0%" in message and "30.0%" in message and "1000" in message
    report = setup.draft(
        values={"ind_output": 1400, "ind_electricity": 50}, explanations={"ind_output": "新产线投产"}
    )
    submit(setup, report)
    finding = report.lines.get(indicator__code="ind_output").findings[0]
    assert finding["kind"] == "mom_jump" and finding["explained"] and "增长40.0%" in finding["message"]


def test_a_jump_within_the_threshold_passes(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.MOM_JUMP, Severity.BLOCK, threshold_pct=Decimal(30))
    setup.accepted(2025, 8, {"ind_output": 1000, "ind_electricity": 50})
    assert submit(setup, setup.draft(values={"ind_output": 700, "ind_electricity": 50})).status == "submitted"


def test_a_blocking_month_on_month_jump_and_a_fall(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.MOM_JUMP, Severity.BLOCK, threshold_pct=Decimal(30))
    setup.accepted(2025, 8, {"ind_output": 1000, "ind_electricity": 50})
    with pytest.raises(ValidationError) as info:
        submit(
            setup,
            setup.draft(values={"ind_output": 500, "ind_electricity": 50}, explanations={"ind_output": "x"}),
        )
    assert codes(info, "ind_output") == ["mom_jump"]  # an explanation does not lift a blocking rule
    assert "下降50.0%" in info.value.error_dict["ind_output"][0].messages[0]


def test_january_compares_with_december_of_the_year_before(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.MOM_JUMP, Severity.BLOCK, threshold_pct=Decimal(30))
    unit_observation_record(
        indicator=setup.ind["ind_output"],
        enterprise=setup.world.enterprise_a,
        period=period(2024, 12),
        basis=Basis.MONTH,
        value=Decimal(1000),
        actor=None,
    )
    CategoryMembership.objects.update(valid_from=period(2024, 1))
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(2025, 1, values={"ind_output": 2000, "ind_electricity": 5}))
    assert codes(info, "ind_output") == ["mom_jump"]


def test_year_on_year_jump_compares_with_the_facts_of_the_same_month_last_year(setup: Setup) -> None:
    """The base is the enterprise's current fact, whether it came from a report or from the bureau."""
    setup.rule("ind_output", RuleKind.YOY_JUMP, Severity.EXPLAIN, threshold_pct=Decimal(50))
    unit_observation_record(
        indicator=setup.ind["ind_output"],
        enterprise=setup.world.enterprise_a,
        period=period(2024, 9),
        basis=Basis.MONTH,
        value=Decimal(1000),
        actor=setup.world.analyst_a,
    )
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": 1600, "ind_electricity": 50}))
    assert codes(info, "ind_output") == ["explanation_required"]
    assert "去年同月" in info.value.error_dict["ind_output"][0].messages[0]


def test_jumps_compare_with_the_current_version_of_a_revised_fact(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.MOM_JUMP, Severity.BLOCK, threshold_pct=Decimal(30))
    august = setup.accepted(2025, 8, {"ind_output": 1000, "ind_electricity": 50})
    services.report_return(report=august, comment="总产值漏报一条产线", actor=setup.world.analyst_a)
    setup.draft(2025, 8, {"ind_output": 1350, "ind_electricity": 50})
    submit(setup, august)
    services.report_accept(report=august, actor=setup.world.analyst_a)
    assert (
        submit(setup, setup.draft(values={"ind_output": 1400, "ind_electricity": 50})).status == "submitted"
    )


def test_no_base_no_jump_check(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.MOM_JUMP, Severity.BLOCK, threshold_pct=Decimal(1))
    setup.rule("ind_output", RuleKind.YOY_JUMP, Severity.BLOCK, threshold_pct=Decimal(1))
    assert submit(setup, setup.draft()).status == ReportStatus.SUBMITTED


def test_export_may_not_exceed_trade(setup: Setup) -> None:
    setup.rule("export", RuleKind.CROSS, Severity.BLOCK, operator=Operator.LTE, right_indicator="trade")
    base = {"ind_output": 1000, "ind_electricity": 50}
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={**base, "trade": 1000, "export": 1200}))
    assert codes(info, "export") == ["cross_check"]
    message = info.value.error_dict["export"][0].messages[0]
    assert "出口总额" in message and "外贸进出口总额" in message and "≤" in message
    assert submit(setup, setup.draft(values={**base, "trade": 1200, "export": 1200})).status == "submitted"


def test_a_cross_check_with_a_factor_and_without_the_other_value(setup: Setup) -> None:
    setup.rule(
        "export",
        RuleKind.CROSS,
        Severity.BLOCK,
        operator=Operator.LTE,
        right_indicator="trade",
        factor=Decimal("0.9"),
    )
    base = {"ind_output": 1000, "ind_electricity": 50}
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={**base, "trade": 1000, "export": 950}))
    assert codes(info, "export") == ["cross_check"]
    assert "0.9" in info.value.error_dict["export"][0].messages[0]
    report = setup.draft(values={**base, "trade": None, "export": 950})
    assert submit(setup, report).status == "submitted"  # nothing to compare with


def test_every_failure_is_reported_at_once(setup: Setup) -> None:
    setup.rule("ind_output", RuleKind.RANGE, Severity.BLOCK, min_value=Decimal(0))
    setup.rule("export", RuleKind.CROSS, Severity.BLOCK, operator=Operator.LTE, right_indicator="trade")
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": -1, "trade": 1, "export": 2}))
    assert set(info.value.error_dict) == {"ind_output", "ind_electricity", "export"}


def test_an_inactive_rule_is_not_applied(setup: Setup) -> None:
    rule = setup.rule("ind_output", RuleKind.RANGE, Severity.BLOCK, min_value=Decimal(0))
    services.review_rule_update(obj=rule, data={"is_active": False}, actor=None)
    assert submit(setup, setup.draft(values={"ind_output": -1, "ind_electricity": 1})).status == "submitted"


def test_a_custom_message_fills_its_placeholders(setup: Setup) -> None:
    setup.rule(
        "ind_output",
        RuleKind.RANGE,
        Severity.BLOCK,
        max_value=Decimal(500),
        message="{indicator}填报{value}{unit}，高于上限{max}，请核实是否误以元为单位",
    )
    with pytest.raises(ValidationError) as info:
        submit(setup, setup.draft(values={"ind_output": 1000, "ind_electricity": 1}))
    assert info.value.error_dict["ind_output"][0].messages == [
        "规上工业总产值填报1000.0万元，高于上限500.0，请核实是否误以元为单位"
    ]


def test_submitting_twice_is_refused(setup: Setup) -> None:
    report = submit(setup, setup.draft())
    with pytest.raises(ValidationError) as info:
        submit(setup, report)
    assert info.value.code == "not_editable"


def test_a_submission_after_the_deadline_is_late(setup: Setup) -> None:
    report = setup.draft()
    after = timezone.make_aware(datetime(2025, 10, 15, 9))
    report = submit(setup, report, at=after)
    assert report.is_late
    assert AuditEvent.objects.get(event="reporting.monthlyreport.submit").data["late"] is True
    on_time = setup.draft(enterprise=setup.world.enterprise_b, actor=setup.world.enterprise_user_b)
    on_time = submit(setup, on_time, at=timezone.make_aware(datetime(2025, 10, 14, 17)))
    assert not on_time.is_late


def test_a_firm_that_left_the_category_cannot_submit(setup: Setup) -> None:
    report = setup.draft()
    membership = CategoryMembership.objects.get(enterprise=setup.world.enterprise_a)
    services.membership_update(obj=membership, data={"valid_to": period(2025, 8)}, actor=None)
    with pytest.raises(ValidationError) as info:
        submit(setup, report)
    assert codes(info, "category") == ["not_member"]


# -- acceptance and return -----------------------------------------------------------------------------------


def _current(setup: Setup, code: str, moment: datetime | None = None) -> list[tuple[Decimal, int]]:
    qs = UnitObservation.objects.filter(indicator__code=code, enterprise=setup.world.enterprise_a)
    return [(o.value, o.version) for o in as_of(qs, moment)]


def test_acceptance_makes_the_values_facts(setup: Setup) -> None:
    report = submit(setup, setup.draft(values={"ind_output": "1234.5", "ind_electricity": 50, "trade": None}))
    report = services.report_accept(report=report, actor=setup.world.analyst_a, comment="核实无误")
    assert report.status == ReportStatus.ACCEPTED and report.reviewer == setup.world.analyst_a
    facts = UnitObservation.objects.filter(enterprise=setup.world.enterprise_a).select_related("indicator")
    assert {(f.indicator.code, f.value, f.version, f.basis) for f in facts} == {
        ("ind_output", Decimal("1234.5"), 1, Basis.MONTH),
        ("ind_electricity", Decimal(50), 1, Basis.MONTH),
    }
    assert all(f.source == "企业直报" and f.territory == setup.world.zone_a for f in facts)
    event = AuditEvent.objects.get(event="reporting.monthlyreport.accept")
    assert sorted(o["indicator"] for o in event.data["observations"]) == ["ind_electricity", "ind_output"]


def test_only_a_submitted_report_can_be_accepted(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        services.report_accept(report=setup.draft(), actor=setup.world.analyst_a)
    assert info.value.code == "not_submitted"
    assert not UnitObservation.objects.exists()


def test_a_revised_resubmission_becomes_version_two(setup: Setup) -> None:
    report = setup.accepted(2025, 9, {"ind_output": 1000, "ind_electricity": 50})
    first_accepted = timezone.now()
    services.report_return(report=report, comment="总产值与税务数据不符，请核实", actor=setup.world.analyst_a)
    setup.draft(2025, 9, {"ind_output": 1080, "ind_electricity": 50})
    submit(setup, report)
    report = services.report_accept(report=report, actor=setup.world.analyst_a)
    assert report.revision == 2
    assert _current(setup, "ind_output") == [(Decimal(1080), 2)]
    assert _current(setup, "ind_electricity") == [(Decimal(50), 1)]  # unchanged: no new version
    assert _current(setup, "ind_output", first_accepted) == [(Decimal(1000), 1)]  # the past is kept
    assert UnitObservation.objects.filter(indicator__code="ind_output").count() == 2


def test_an_inactive_indicator_refuses_the_acceptance_naming_it(setup: Setup) -> None:
    report = submit(setup, setup.draft())
    Indicator.objects.filter(code="ind_electricity").update(is_active=False)
    with pytest.raises(ValidationError) as info:
        services.report_accept(report=report, actor=setup.world.analyst_a)
    assert codes(info, "ind_electricity") == ["fact_refused"]
    assert not UnitObservation.objects.exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_return_needs_a_comment(setup: Setup, comment: str) -> None:
    report = submit(setup, setup.draft())
    with pytest.raises(ValidationError) as info:
        services.report_return(report=report, comment=comment, actor=setup.world.analyst_a)
    assert codes(info, "comment") == ["comment_required"]


def test_a_draft_cannot_be_returned(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        services.report_return(report=setup.draft(), comment="?", actor=setup.world.analyst_a)
    assert info.value.code == "not_returnable"


def test_a_returned_report_is_corrected_and_resubmitted(setup: Setup) -> None:
    report = submit(setup, setup.draft())
    report = services.report_return(report=report, comment="用电量偏低，请核实", actor=setup.world.analyst_a)
    assert report.status == ReportStatus.RETURNED and report.review_comment == "用电量偏低，请核实"
    setup.draft(values={"ind_output": 1000, "ind_electricity": 80})
    report = submit(setup, report)
    assert report.status == ReportStatus.SUBMITTED and report.revision == 2
    assert report.first_submitted_at is not None and report.first_submitted_at < report.submitted_at  # type: ignore[operator]
    assert AuditEvent.objects.filter(event="reporting.monthlyreport.return").count() == 1


def test_only_a_draft_never_submitted_can_be_deleted(setup: Setup) -> None:
    report = submit(setup, setup.draft())
    with pytest.raises(ValidationError) as info:
        services.report_delete(obj=report, actor=None)
    assert info.value.code == "not_deletable"
    services.report_return(report=report, comment="请重填", actor=setup.world.analyst_a)
    with pytest.raises(ValidationError):
        services.report_delete(obj=report, actor=None)
    other = setup.draft(enterprise=setup.world.enterprise_b, actor=setup.world.enterprise_user_b)
    services.report_delete(obj=other, actor=None)
    assert not MonthlyReport.objects.filter(pk=other.pk).exists()
    assert not ReportLine.objects.filter(report_id=other.pk).exists()


# -- memberships ---------------------------------------------------------------------------------------------


def test_memberships_may_not_overlap(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        services.membership_create(
            data={
                "enterprise": setup.world.enterprise_a,
                "category": setup.category,
                "valid_from": period(2026, 1),
                "valid_to": None,
            },
            actor=None,
        )
    assert codes(info, "valid_from") == ["membership_overlap"]


def test_a_firm_leaves_and_comes_back(setup: Setup) -> None:
    membership = CategoryMembership.objects.get(enterprise=setup.world.enterprise_a)
    services.membership_update(obj=membership, data={"valid_to": period(2025, 12)}, actor=None)
    again = services.membership_create(
        data={
            "enterprise": setup.world.enterprise_a,
            "category": setup.category,
            "valid_from": period(2027, 1),
            "valid_to": None,
        },
        actor=None,
    )
    assert again.pk
    with pytest.raises(ValidationError) as info:
        setup.draft(2026, 6)
    assert codes(info, "category") == ["not_member"]


def test_a_membership_ends_after_it_starts(setup: Setup) -> None:
    membership = CategoryMembership.objects.get(enterprise=setup.world.enterprise_a)
    with pytest.raises(ValidationError) as info:
        services.membership_update(obj=membership, data={"valid_to": period(2024, 12)}, actor=None)
    assert codes(info, "valid_to") == ["period_order"]


def test_only_enterprises_are_members(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        services.membership_create(
            data={
                "enterprise": setup.world.bureau_a,
                "category": setup.category,
                "valid_from": period(2025, 1),
            },
            actor=None,
        )
    assert codes(info, "enterprise") == ["not_enterprise"]


# -- review rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "kind", "fields", "field", "code"),
    [
        ("ind_output", RuleKind.RANGE, {}, "min_value", "range_bounds"),
        ("ind_output", RuleKind.RANGE, {"min_value": 5, "max_value": 1}, "max_value", "range_order"),
        ("ind_output", RuleKind.MOM_JUMP, {}, "threshold_pct", "threshold_required"),
        ("ind_output", RuleKind.YOY_JUMP, {"threshold_pct": 0}, "threshold_pct", "threshold_required"),
        ("export", RuleKind.CROSS, {"operator": Operator.LTE}, "right_indicator", "cross_terms"),
        ("export", RuleKind.CROSS, {"right_indicator": "trade"}, "operator", "cross_terms"),
        (
            "export",
            RuleKind.CROSS,
            {"operator": "lte", "right_indicator": "export"},
            "right_indicator",
            "cross_same",
        ),
        (
            "export",
            RuleKind.CROSS,
            {"operator": "lte", "right_indicator": "ind_output"},
            "right_indicator",
            "currency_mismatch",
        ),
        (
            "export",
            RuleKind.CROSS,
            {"operator": "lte", "right_indicator": "import"},
            "right_indicator",
            "indicator_not_in_category",
        ),
        ("retail", RuleKind.REQUIRED, {}, "indicator", "indicator_not_in_category"),
        ("ind_output", RuleKind.REQUIRED, {"message": "{indicator}{oops}"}, "message", "message_placeholder"),
        (
            "ind_output",
            RuleKind.REQUIRED,
            {"message": "{indicator.__class__}"},
            "message",
            "message_placeholder",
        ),
        ("ind_output", RuleKind.REQUIRED, {"message": "{indicator"}, "message", "message_template"),
    ],
)
def test_review_rules_are_checked_when_saved(
    setup: Setup, indicator: str, kind: str, fields: dict[str, Any], field: str, code: str
) -> None:
    fields = {k: Decimal(v) if isinstance(v, int) else v for k, v in fields.items()}
    with pytest.raises(ValidationError) as info:
        setup.rule(indicator, kind, Severity.BLOCK, **fields)
    assert codes(info, field) == [code]


def test_a_rule_update_is_checked_too(setup: Setup) -> None:
    rule = setup.rule("ind_output", RuleKind.RANGE, Severity.BLOCK, min_value=Decimal(0))
    with pytest.raises(ValidationError) as info:
        services.review_rule_update(obj=rule, data={"min_value": None}, actor=None)
    assert codes(info, "min_value") == ["range_bounds"]


def test_explanation_kept_with_value_on_a_line(setup: Setup) -> None:
    report = setup.draft(values={"ind_output": 1}, explanations={"ind_output": "  停产检修  "})
    assert report.lines.get(indicator__code="ind_output").explanation == "停产检修"


def test_line_input_keeps_value_and_explanation() -> None:
    assert LineInput(Decimal(1)).explanation == ""


def test_submit_at_a_given_moment(setup: Setup) -> None:
    moment = timezone.now() - timedelta(days=3)
    assert submit(setup, setup.draft(), at=moment).submitted_at == moment
