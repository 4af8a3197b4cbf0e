"""REST API of S2 beyond the declared CRUD: monthly actual investment (read the versions, report a month
through the same rule as the page) and alerts (read, acknowledge), with the same scoping as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kunlu.core.permissions import has_model_permission, scope_q
from kunlu.core.services import period_for
from kunlu.projects import services
from kunlu.projects.choices import ActualSource, Currency
from kunlu.projects.filtersets import AlertFilterSet, InvestmentActualFilterSet
from kunlu.projects.models import Alert, InvestmentActual, Project
from kunlu.projects.views.projects import may_report


def _api_error(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class InvestmentActualSerializer(serializers.ModelSerializer[InvestmentActual]):
    period = serializers.CharField(source="period.code", read_only=True)
    currency = serializers.CharField(source="project.currency", read_only=True)

    class Meta:
        model = InvestmentActual
        fields = [
            "id",
            "project",
            "period",
            "cumulative",
            "currency",
            "version",
            "recorded_at",
            "superseded_at",
            "recorded_by",
            "source",
            "note",
        ]
        read_only_fields = fields


class ActualInputSerializer(serializers.Serializer[Any]):
    project = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    currency = serializers.ChoiceField(choices=Currency.choices)
    cumulative = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    monthly = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InvestmentActualApiViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[Any]
):
    """Monthly actual investment: every version the user may see; POST reports a month (a revision is a new
    version; an enterprise user reports only on its own projects)."""

    serializer_class = InvestmentActualSerializer
    filterset_class = InvestmentActualFilterSet
    queryset = InvestmentActual.objects.none()

    def get_queryset(self) -> QuerySet[InvestmentActual]:
        return (
            InvestmentActual.objects.restrict(self.request.user)
            .select_related("period", "project")
            .order_by("project__code", "period__year", "period__month", "-version")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_model_permission(request.user, InvestmentActual, "view"):
            raise NotFound
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ActualInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        project = Project.objects.restrict(request.user).filter(pk=data["project"]).first()
        if project is None or not may_report(request.user, project):
            raise NotFound
        own = getattr(request.user, "organisation_id", None) == project.enterprise_id
        try:
            actual, written = services.actual_record(
                project=project,
                period=period_for(data["year"], data["month"]),
                currency=data["currency"],
                cumulative=data.get("cumulative"),
                monthly=data.get("monthly"),
                note=data["note"],
                source=ActualSource.OWNER if own else ActualSource.STAFF,
                actor=request.user,
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        body = InvestmentActualSerializer(actual).data
        return Response(body, status=status.HTTP_201_CREATED if written else status.HTTP_200_OK)


class AlertSerializer(serializers.ModelSerializer[Alert]):
    period = serializers.CharField(source="period.code", read_only=True)
    kind = serializers.CharField(source="rule.kind", read_only=True)
    rule_set = serializers.CharField(source="run.rule_set.code", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "run",
            "rule_set",
            "project",
            "period",
            "kind",
            "level",
            "measure",
            "threshold",
            "reason",
            "acknowledged_by",
            "acknowledged_at",
            "comment",
        ]
        read_only_fields = fields


class AlertApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Alerts of every run the user may see; POST …/acknowledge/ with a comment."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    queryset = Alert.objects.none()

    def get_queryset(self) -> QuerySet[Alert]:
        return (
            Alert.objects.restrict(self.request.user)
            .select_related("period", "rule", "run__rule_set")
            .order_by("-run__created_at", "project__code")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_model_permission(request.user, Alert, "view"):
            raise NotFound
        return super().list(request, *args, **kwargs)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        q = scope_q(request.user, Alert, "acknowledge")
        alert = None if q is None else Alert.objects.filter(q).filter(pk=str(pk)).first()
        if alert is None:
            raise NotFound
        try:
            alert = services.alert_acknowledge(
                alert=alert, comment=str(request.data.get("comment", "")), actor=request.user
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response(AlertSerializer(alert).data)
