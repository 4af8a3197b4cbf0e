"""REST API of enterprise direct reporting: reports with their lines (read, save a draft, submit, accept,
return) and the lines alone, through the same scoping and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kunlu.accounts.models import Organisation
from kunlu.core.permissions import allowed, has_model_permission
from kunlu.core.services import period_for
from kunlu.indicators.models import Indicator
from kunlu.reporting import services
from kunlu.reporting.filtersets import MonthlyReportFilterSet
from kunlu.reporting.models import CategoryMembership, MonthlyReport, ReportingCategory, ReportLine
from kunlu.reporting.selectors import Month, reviewable
from kunlu.reporting.services import EXPLANATION_MAX_LENGTH, LineInput
from kunlu.reporting.views import files_reports


class ReportLineSerializer(serializers.ModelSerializer[ReportLine]):
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)

    class Meta:
        model = ReportLine
        fields = ["id", "report", "indicator", "indicator_name", "unit", "value", "explanation", "findings"]
        read_only_fields = fields


class MonthlyReportSerializer(serializers.ModelSerializer[MonthlyReport]):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    category: serializers.SlugRelatedField[ReportingCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    period = serializers.CharField(source="period.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    lines = ReportLineSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "territory",
            "category",
            "period",
            "status",
            "status_label",
            "deadline",
            "revision",
            "first_submitted_at",
            "submitted_at",
            "is_late",
            "reviewer",
            "reviewed_at",
            "review_comment",
            "lines",
        ]
        read_only_fields = fields


class LineInputSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(max_length=40)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, required=False)
    explanation = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=EXPLANATION_MAX_LENGTH
    )


class DraftSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(max_length=40)
    period = serializers.CharField(max_length=10)
    lines = LineInputSerializer(many=True)
    submit = serializers.BooleanField(default=False)


class ReviewSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


def api_error(exc: ValidationError) -> ApiValidationError:
    """A service's error as a 400 answer that keeps each message's code, by field or indicator code."""
    if hasattr(exc, "error_dict"):
        return ApiValidationError(
            {
                key: [{"message": m, "code": e.code or "invalid"} for e in errors for m in e.messages]
                for key, errors in exc.error_dict.items()
            }
        )
    return ApiValidationError(
        {
            "non_field_errors": [
                {"message": m, "code": e.code or "invalid"} for e in exc.error_list for m in e.messages
            ]
        }
    )


def _pk(pk: str | None) -> int:
    """A report's id from the route, or 404."""
    try:
        return int(pk or "")
    except ValueError as exc:
        raise NotFound from exc


class MonthlyReportApiViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[MonthlyReport]
):
    """Monthly reports the user may see, with their lines; enterprises save and submit, reviewers accept
    or return."""

    serializer_class = MonthlyReportSerializer
    filterset_class = MonthlyReportFilterSet
    queryset = MonthlyReport.objects.none()
    ordering_fields = ["submitted_at", "deadline", "period__year", "period__month", "status"]

    def get_queryset(self) -> QuerySet[MonthlyReport]:
        lines = ReportLine.objects.select_related("indicator").order_by("id")
        return (
            MonthlyReport.objects.restrict(self.request.user, "view")
            .select_related("enterprise", "category", "period")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-period__year", "-period__month", "id")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_model_permission(request.user, MonthlyReport, "view"):
            raise NotFound
        return super().list(request, *args, **kwargs)

    def _answer(self, report: MonthlyReport, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data, status=code)

    @action(detail=False, methods=["post"])
    def draft(self, request: Request) -> Response:
        """Save the user's enterprise's draft for a category and month (and submit it when asked)."""
        user = request.user
        if not files_reports(user):
            raise NotFound
        given = DraftSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            month = Month.parse(data["period"])
        except ValidationError as exc:
            raise ApiValidationError({"period": exc.messages}) from exc
        enterprise = Organisation.objects.get_for(user, "view", pk=user.organisation_id)  # type: ignore[union-attr]
        membership = (
            CategoryMembership.objects.restrict(user, "view")
            .filter(enterprise=enterprise, category__code=data["category"])
            .select_related("category")
            .first()
        )
        if membership is None:
            raise ApiValidationError(
                {"category": [_("“%(code)s”不是本企业的报表类别") % {"code": data["category"]}]}
            )
        codes = [line["indicator"] for line in data["lines"]]
        if len(codes) != len(set(codes)):
            raise ApiValidationError({"lines": [_("同一指标出现了不止一次")]})
        lines = {
            line["indicator"]: LineInput(line.get("value"), line.get("explanation", ""))
            for line in data["lines"]
        }
        existed = MonthlyReport.objects.filter(
            enterprise=enterprise,
            category=membership.category,
            period__year=month.year,
            period__month=month.month,
        ).exists()
        try:
            with transaction.atomic():
                report = services.report_save_draft(
                    enterprise=enterprise,
                    category=membership.category,
                    period=period_for(month.year, month.month),
                    lines=lines,
                    actor=user,
                )
                if not allowed(user, "change", report):
                    raise NotFound
        except ValidationError as exc:
            raise api_error(exc) from exc
        if data["submit"]:
            try:
                report = services.report_submit(report=report, actor=user)
            except ValidationError as exc:
                raise api_error(exc) from exc
        return self._answer(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit the enterprise's report past the review rules."""
        report = MonthlyReport.objects.restrict(request.user, "change").filter(pk=_pk(pk)).first()
        if report is None or not files_reports(request.user):
            raise NotFound
        try:
            services.report_submit(report=report, actor=request.user)
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._answer(report)

    def _reviewable(self, pk: str | None) -> MonthlyReport:
        report = reviewable(self.request.user).filter(pk=_pk(pk)).first()
        if report is None:
            raise NotFound
        return report

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept a submitted report: its values become the enterprise's facts."""
        report = self._reviewable(pk)
        given = ReviewSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.report_accept(report=report, actor=request.user, comment=given.validated_data["comment"])
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._answer(report)

    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request: Request, pk: str | None = None) -> Response:
        """Return a report to the enterprise with a comment."""
        report = self._reviewable(pk)
        given = ReviewSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.report_return(report=report, comment=given.validated_data["comment"], actor=request.user)
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._answer(report)


class ReportLineApiViewSet(viewsets.ReadOnlyModelViewSet[ReportLine]):
    """The lines of the reports the user may see."""

    serializer_class = ReportLineSerializer
    queryset = ReportLine.objects.none()
    filterset_fields = ["report", "indicator"]

    def get_queryset(self) -> QuerySet[ReportLine]:
        return (
            ReportLine.objects.restrict(self.request.user, "view").select_related("indicator").order_by("id")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_model_permission(request.user, ReportLine, "view"):
            raise NotFound
        return super().list(request, *args, **kwargs)
