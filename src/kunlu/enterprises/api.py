"""REST API of the enterprise registry: one record per enterprise (its credit code, name and territory with
the profile), scoped as the pages are — an enterprise user sees only its own enterprise; writes go through
the registry's services: posting a credit code already in the registry is refused (change that enterprise
instead), and an enterprise of another territory is never taken over."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from kunlu.core.models import Territory
from kunlu.core.viewsets import ScopedModelViewSet, ScopedSerializer
from kunlu.enterprises.filtersets import EnterpriseProfileFilterSet
from kunlu.enterprises.models import EnterpriseProfile, Industry
from kunlu.enterprises.services import PROFILE_FIELDS
from kunlu.enterprises.views import EnterpriseProfileViewSet


class EnterpriseSerializer(ScopedSerializer):
    uscc = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    territory: serializers.SlugRelatedField[Territory] = serializers.SlugRelatedField(
        slug_field="code", queryset=Territory.objects.all()
    )
    territory_name = serializers.CharField(source="organisation.territory.name", read_only=True)
    industry: serializers.SlugRelatedField[Industry] = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), required=False, allow_null=True
    )
    industry_name = serializers.CharField(source="industry.name", read_only=True, default=None)

    class Meta:
        model = EnterpriseProfile
        fields = [
            "id",
            "organisation",
            "uscc",
            "name",
            "territory",
            "territory_name",
            "industry",
            "industry_name",
            *(f for f in PROFILE_FIELDS if f != "industry"),
            "updated_at",
        ]
        read_only_fields = ["organisation", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if (
            self.instance is not None
            and not isinstance(self.instance, list | tuple)
            and hasattr(self.instance, "pk")
        ):
            fields["uscc"].read_only = True  # a credit code never changes: another code is another enterprise
        return fields


class EnterpriseApiViewSet(ScopedModelViewSet):
    """Enterprises of the registry: list, read, register (by credit code), change."""

    crud = EnterpriseProfileViewSet
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseProfileFilterSet
    queryset = EnterpriseProfile.objects.none()
    http_method_names = ["get", "head", "options", "post", "put", "patch"]
    ordering_fields = ["id", "organisation__name", "updated_at"]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organisation", "organisation__territory", "industry")
