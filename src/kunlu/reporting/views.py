"""Pages of enterprise direct reporting: the enterprise's forms, the review queue and review page, missing
and overdue reports per zone (with Excel export), and the declared CRUD of categories, form lines,
memberships, deadlines, review rules and the register of reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kunlu.accounts.models import Organisation, OrganisationKind
from kunlu.core import audit
from kunlu.core.excel import XLSX_CONTENT_TYPE, write_workbook
from kunlu.core.models import Territory
from kunlu.core.permissions import allowed, has_model_permission, permitted_territories
from kunlu.core.services import period_for
from kunlu.core.viewsets import CrudViewSet, DeleteView, attachment_header
from kunlu.reporting import services
from kunlu.reporting.choices import EDITABLE, ReportStatus
from kunlu.reporting.filtersets import (
    CategoryIndicatorFilterSet,
    CategoryMembershipFilterSet,
    MonthlyReportFilterSet,
    ReportingCategoryFilterSet,
    ReportingDeadlineFilterSet,
    ReviewRuleFilterSet,
)
from kunlu.reporting.forms import (
    CategoryIndicatorForm,
    CategoryMembershipForm,
    ReportEntryForm,
    ReportingCategoryForm,
    ReportingDeadlineForm,
    ReviewForm,
    ReviewRuleForm,
)
from kunlu.reporting.models import (
    CategoryIndicator,
    CategoryMembership,
    MonthlyReport,
    ReportingCategory,
    ReportingDeadline,
    ReviewRule,
)
from kunlu.reporting.selectors import (
    Finding,
    Month,
    category_form,
    enterprise_forms,
    form_rows,
    may_review,
    member_in,
    report_deadline,
    report_findings,
    reporting_progress,
    review_queue,
    reviewable,
    zones_for,
)
from kunlu.reporting.tables import (
    CategoryIndicatorTable,
    CategoryMembershipTable,
    MonthlyReportTable,
    ReportingCategoryTable,
    ReportingDeadlineTable,
    ReviewRuleTable,
)

GROUP = gettext_lazy("企业直报")
HISTORY_MONTHS = 12


# -- who may open what ---------------------------------------------------------------------------------------


def files_reports(user: Any) -> bool:
    """An enterprise user who may fill in its enterprise's monthly reports."""
    return bool(
        user.is_authenticated
        and user.organisation_id
        and has_model_permission(user, MonthlyReport, "add")
        and user.organisation.kind == OrganisationKind.ENTERPRISE
    )


def follows_progress(user: Any) -> bool:
    """Zone staff who follow the zones' reporting (not an enterprise seeing its own memberships)."""
    # Asked on every page (the menu): `is_empty` tells a `none()` apart without a query.
    return not permitted_territories(user, CategoryMembership, "view").query.is_empty()


def _month_param(request: HttpRequest, default: Month) -> Month:
    text = request.GET.get("month", "").strip()
    if not text:
        return default
    try:
        return Month.parse(text)
    except ValidationError:
        messages.warning(
            request, _("月份“%(value)s”无效，已显示%(month)s") % {"value": text, "month": default.label}
        )
        return default


def _zone_param(request: HttpRequest, zones: Sequence[Territory]) -> Territory | None:
    wanted = request.GET.get("zone", "").strip()
    if not wanted:
        return None
    for zone in zones:
        if str(zone.pk) == wanted:
            return zone
    raise Http404


# -- the enterprise's forms ----------------------------------------------------------------------------------


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """本月填报: this month's forms of the user's enterprise, then the months before."""
    if not files_reports(request.user):
        raise Http404
    due = Month.due_now()
    months = [due.shift(-n) for n in range(HISTORY_MONTHS)]
    entries = enterprise_forms(user=request.user, months=months)
    return render(
        request,
        "reporting/my_reports.html",
        {
            "due_month": due,
            "current": [e for e in entries if e.month == due],
            "earlier": [e for e in entries if e.month != due],
        },
    )


def _own_enterprise(request: HttpRequest) -> Organisation:
    if not files_reports(request.user):
        raise Http404
    return Organisation.objects.get_for(request.user, "view", pk=request.user.organisation_id)  # type: ignore[union-attr]


def _line_errors(exc: ValidationError, codes: Sequence[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Split a service's error into messages per indicator code and messages for the whole page."""
    per_line: dict[str, list[str]] = {}
    general: list[str] = []
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            texts = [m for e in errors for m in e.messages]
            if key in codes:
                per_line.setdefault(key, []).extend(texts)
            else:
                general.extend(texts)
    else:
        general.extend(exc.messages)
    return per_line, general


@login_required
def report_form(request: HttpRequest, category: str, month: str) -> HttpResponse:
    """The monthly form: one row per indicator of the category, last month and last year beside it;
    save a draft, or submit past the review rules."""
    user = request.user
    enterprise = _own_enterprise(request)
    try:
        the_month = Month.parse(month)
    except ValidationError as exc:
        raise Http404 from exc
    membership = (
        CategoryMembership.objects.restrict(user, "view")
        .filter(enterprise=enterprise, category__code=category)
        .filter(member_in(the_month))
        .select_related("category")
        .first()
    )
    if membership is None:
        raise Http404
    the_category = membership.category
    report = (
        MonthlyReport.objects.restrict(user, "view")
        .filter(enterprise=enterprise, category=the_category)
        .filter(the_month.q())
        .select_related("period", "reviewer")
        .first()
    )
    editable = report is None or (report.status in EDITABLE and allowed(user, "change", report))
    form_lines = category_form(the_category)
    codes = [f.indicator.code for f in form_lines]
    form = ReportEntryForm(
        request.POST if request.method == "POST" else None, form_lines=form_lines, report=report
    )
    line_errors: dict[str, list[str]] = {}
    page_errors: list[str] = []
    findings: list[Finding] = []
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            try:
                with transaction.atomic():
                    report = services.report_save_draft(
                        enterprise=enterprise,
                        category=the_category,
                        period=period_for(the_month.year, the_month.month),
                        lines=form.line_inputs(),
                        actor=user,
                    )
                    if not allowed(user, "change", report):
                        raise Http404
            except ValidationError as exc:
                line_errors, page_errors = _line_errors(exc, codes)
            else:
                if request.POST.get("action") != "submit":
                    messages.success(request, _("草稿已保存"))
                    return redirect(request.path)
                try:
                    services.report_submit(report=report, actor=user)
                except ValidationError as exc:
                    line_errors, page_errors = _line_errors(exc, codes)
                    messages.warning(request, _("草稿已保存，但尚未报送：请按提示修改或填写情况说明"))
                else:
                    messages.success(request, _("已报送，等待审核"))
                    return redirect("reporting:report", pk=report.pk)
    elif report is not None and editable:
        findings = report_findings(report=report)
    rows = form_rows(
        user=user,
        enterprise=enterprise,
        category=the_category,
        month=the_month,
        report=report,
        findings=findings,
    )
    lines = [
        {
            "row": row,
            "value": form[f"v_{row.indicator.code}"],
            "explanation": form[f"e_{row.indicator.code}"],
            "errors": line_errors.get(row.indicator.code, []),
        }
        for row in rows
    ]
    deadline: date | None = report.deadline if report is not None else None
    deadline_error = ""
    if report is None:
        try:
            deadline = report_deadline(category=the_category, month=the_month)
        except ValidationError as exc:
            deadline_error = " ".join(exc.messages)
    return render(
        request,
        "reporting/report_form.html",
        {
            "enterprise": enterprise,
            "category": the_category,
            "month": the_month,
            "report": report,
            "editable": editable,
            "form": form,
            "lines": lines,
            "page_errors": page_errors,
            "deadline": deadline,
            "deadline_error": deadline_error,
            "today": timezone.localdate(),
        },
    )


# -- review --------------------------------------------------------------------------------------------------


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report as filed: its values beside last month and last year, what the rules found, the
    explanations; reviewers accept it or return it with a comment."""
    user = request.user
    report = MonthlyReport.objects.select_related(
        "enterprise", "territory", "category", "period", "submitted_by", "reviewer"
    ).get_for(user, "view", pk=pk)
    can_review = reviewable(user).filter(pk=report.pk).exists()
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_review:
            raise Http404
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            try:
                if form.cleaned_data["action"] == "accept":
                    services.report_accept(report=report, actor=user, comment=comment)
                    messages.success(request, _("已受理：%(report)s") % {"report": report})
                else:
                    services.report_return(report=report, comment=comment, actor=user)
                    messages.success(request, _("已退回：%(report)s") % {"report": report})
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.error_dict.items():
                        form.add_error("comment" if key == "comment" else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                return redirect("reporting:review_queue")
    rows = form_rows(
        user=user,
        enterprise=report.enterprise,
        category=report.category,
        month=Month.of(report.period),
        report=report,
    )
    can_edit = report.status in EDITABLE and files_reports(user) and allowed(user, "change", report)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "form": form,
            "can_review": can_review,
            "can_accept": can_review and report.status == ReportStatus.SUBMITTED,
            "can_return": can_review and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
            "can_edit": can_edit,
            "month": Month.of(report.period),
        },
    )


@login_required
def review_queue_page(request: HttpRequest) -> HttpResponse:
    """审核队列: submitted reports of the reviewer's zones, oldest first."""
    user = request.user
    if not may_review(user):
        raise Http404
    zones = zones_for(user)
    zone = _zone_param(request, zones)
    month = None
    if request.GET.get("month"):
        month = _month_param(request, Month.due_now())
    page = Paginator(review_queue(user=user, zone=zone, month=month), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "report": report,
            "findings": sum(len(line.findings) for line in report.lines.all()),
            "explained": sum(1 for line in report.lines.all() if line.findings and line.explanation),
        }
        for report in page.object_list
    ]
    return render(
        request,
        "reporting/review_queue.html",
        {"page": page, "rows": rows, "zones": zones, "zone": zone, "month": month},
    )


# -- missing and overdue -------------------------------------------------------------------------------------


def _progress(request: HttpRequest) -> tuple[Any, list[Territory], Territory | None, Month]:
    if not follows_progress(request.user):
        raise Http404
    zones = zones_for(request.user)
    zone = _zone_param(request, zones)
    month = _month_param(request, Month.due_now())
    return reporting_progress(user=request.user, month=month, zone=zone), zones, zone, month


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    """未报与逾期: per zone, the enterprises due to report the month that have not, and those past the
    deadline."""
    progress, zones, zone, month = _progress(request)
    show = request.GET.get("show", "missing")
    if show not in ("missing", "overdue", "all"):
        show = "missing"
    rows = {"missing": progress.missing, "overdue": progress.overdue, "all": progress.rows}[show]
    return render(
        request,
        "reporting/progress.html",
        {
            "progress": progress,
            "rows": rows,
            "show": show,
            "zones": zones,
            "zone": zone,
            "month": month,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def progress_export(request: HttpRequest) -> HttpResponse:
    """The same lists as an Excel workbook: totals per zone, missing reports, overdue reports."""
    progress, _zones, zone, month = _progress(request)
    summary_headers = [
        _("园区"),
        _("应报"),
        _("已报"),
        _("已受理"),
        _("待审核"),
        _("未报"),
        _("逾期未报"),
        _("迟报"),
    ]
    summary = [
        [
            z.zone.name if z.zone else _("其他"),
            z.members,
            z.handed_in,
            z.accepted,
            z.waiting,
            z.missing,
            z.overdue,
            z.late,
        ]
        for z in progress.zones
    ]
    headers = [
        _("园区"),
        _("企业"),
        _("统一社会信用代码"),
        _("报表类别"),
        _("报告期"),
        _("截止日期"),
        _("状态"),
        _("是否逾期"),
        _("逾期天数"),
        _("联系人"),
        _("联系电话"),
    ]

    def lines(rows: Sequence[Any]) -> list[list[Any]]:
        return [
            [
                r.zone.name if r.zone else _("其他"),
                r.enterprise.name,
                r.enterprise.uscc,
                r.category.name,
                month.code,
                r.due.on or r.due.error,
                r.status_label,
                r.overdue,
                r.days_overdue,
                r.enterprise.contact_name,
                r.enterprise.contact_phone,
            ]
            for r in rows
        ]

    content = write_workbook(
        [
            (_("报送进度"), summary_headers, summary),
            (_("未报企业"), headers, lines(progress.missing)),
            (_("逾期未报企业"), headers, lines(progress.overdue)),
        ]
    )
    audit.record(
        "reporting.progress.export",
        actor=request.user,
        data={"month": month.code, "zone": zone.code if zone else None, "missing": len(progress.missing)},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = _("企业直报未报名单-%(month)s.xlsx") % {"month": month.code}
    response["Content-Disposition"] = attachment_header(filename)
    return response


# -- declared CRUD -------------------------------------------------------------------------------------------


class ReportingCategoryViewSet(CrudViewSet):
    model = ReportingCategory
    prefix = "reporting/categories"
    filterset_class = ReportingCategoryFilterSet
    table_class = ReportingCategoryTable
    form_class = ReportingCategoryForm
    export_fields = ["code", "name", "description", "deadline_workday", "sort_order", "is_active"]
    detail_fields = [*export_fields, "indicators"]
    api_fields = ["code", "name", "description", "deadline_workday", "sort_order", "is_active"]
    menu_label = gettext_lazy("报表类别")
    menu_group = GROUP
    menu_icon = "collection"
    menu_order = 340


class CategoryIndicatorViewSet(CrudViewSet):
    model = CategoryIndicator
    prefix = "reporting/category-indicators"
    filterset_class = CategoryIndicatorFilterSet
    table_class = CategoryIndicatorTable
    form_class = CategoryIndicatorForm
    export_fields = [
        "category__name",
        "indicator__code",
        "indicator__name",
        "indicator__unit",
        "required",
        "order",
    ]
    api_fields = ["category", "indicator", "required", "order"]
    menu_label = gettext_lazy("报表指标")
    menu_group = GROUP
    menu_icon = "list-ol"
    menu_order = 350


class CategoryMembershipViewSet(CrudViewSet):
    model = CategoryMembership
    prefix = "reporting/memberships"
    filterset_class = CategoryMembershipFilterSet
    table_class = CategoryMembershipTable
    form_class = CategoryMembershipForm
    export_fields = [
        "enterprise__name",
        "enterprise__uscc",
        "enterprise__territory__name",
        "category__name",
        "valid_from",
        "valid_to",
        "note",
    ]
    api_fields = ["enterprise", "category", "valid_from", "valid_to", "note"]
    menu_label = gettext_lazy("直报企业名录")
    menu_group = GROUP
    menu_icon = "buildings"
    menu_order = 330
    create_service = staticmethod(services.membership_create)
    update_service = staticmethod(services.membership_update)


class ReportingDeadlineViewSet(CrudViewSet):
    model = ReportingDeadline
    prefix = "reporting/deadlines"
    filterset_class = ReportingDeadlineFilterSet
    table_class = ReportingDeadlineTable
    form_class = ReportingDeadlineForm
    export_fields = ["period", "category__name", "due_on", "note"]
    api_fields = ["period", "category", "due_on", "note"]
    menu_label = gettext_lazy("报送截止日")
    menu_group = GROUP
    menu_icon = "calendar-event"
    menu_order = 370


class ReviewRuleViewSet(CrudViewSet):
    model = ReviewRule
    prefix = "reporting/rules"
    filterset_class = ReviewRuleFilterSet
    table_class = ReviewRuleTable
    form_class = ReviewRuleForm
    export_fields = [
        "category__name",
        "indicator__name",
        "kind",
        "severity",
        "min_value",
        "max_value",
        "threshold_pct",
        "operator",
        "right_indicator__name",
        "factor",
        "message",
        "is_active",
        "sort_order",
    ]
    api_fields = [
        "category",
        "indicator",
        "kind",
        "severity",
        "min_value",
        "max_value",
        "threshold_pct",
        "operator",
        "right_indicator",
        "factor",
        "message",
        "is_active",
        "sort_order",
    ]
    menu_label = gettext_lazy("审核规则")
    menu_group = GROUP
    menu_icon = "shield-check"
    menu_order = 360
    create_service = staticmethod(services.review_rule_create)
    update_service = staticmethod(services.review_rule_update)


class MonthlyReportViewSet(CrudViewSet):
    """The register of reports (报表台账): list, filter, export, history. Reports are written only through
    the monthly form and the review page, so "add" and "edit" lead there."""

    model = MonthlyReport
    prefix = "reporting/reports"
    filterset_class = MonthlyReportFilterSet
    table_class = MonthlyReportTable
    export_fields = [
        "enterprise__name",
        "enterprise__uscc",
        "territory__name",
        "category__name",
        "period",
        "status",
        "deadline",
        "revision",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "reviewer",
        "reviewed_at",
        "review_comment",
    ]
    detail_fields = [*export_fields, "lines"]
    menu_label = gettext_lazy("报表台账")
    menu_group = GROUP
    menu_icon = "journal-check"
    menu_order = 320
    delete_service = staticmethod(services.report_delete)

    @classmethod
    def detail_url(cls, obj: Any) -> str:
        return reverse("reporting:report", args=[obj.pk])

    @classmethod
    def urls(cls) -> list[URLPattern]:
        replaced = {
            cls.url_name("add"): path(f"{cls.prefix}/add/", new_report, name=cls.url_name("add")),
            cls.url_name("edit"): path(
                f"{cls.prefix}/<int:pk>/edit/", edit_report, name=cls.url_name("edit")
            ),
            cls.url_name("delete"): path(
                f"{cls.prefix}/<int:pk>/delete/",
                ReportDeleteView.as_view(viewset=cls),
                name=cls.url_name("delete"),
            ),
        }
        return [replaced.get(p.name or "", p) for p in super().urls()]


@login_required
def new_report(request: HttpRequest) -> HttpResponse:
    """A new report is started from the enterprise's list of forms."""
    if not files_reports(request.user):
        raise Http404
    return redirect("reporting:my_reports")


@login_required
def edit_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A report is edited on its monthly form."""
    report = MonthlyReport.objects.select_related("category", "period").get_for(request.user, "change", pk=pk)
    if not files_reports(request.user):
        raise Http404
    return redirect("reporting:report_form", category=report.category.code, month=report.period.code)


class ReportDeleteView(DeleteView):
    """Deleting is for drafts never submitted; any other report is kept, with the reason shown."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            return super().post(request, pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reporting:report", pk=pk)


DECLARED: list[type[CrudViewSet]] = [
    MonthlyReportViewSet,
    CategoryMembershipViewSet,
    ReportingCategoryViewSet,
    CategoryIndicatorViewSet,
    ReviewRuleViewSet,
    ReportingDeadlineViewSet,
]
