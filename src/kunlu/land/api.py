"""REST API of 标准地 and 数据得地: the declared records through the same scoping and services as the pages;
a review carries its results."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from kunlu.core.viewsets import CrudViewSet, ScopedModelViewSet, api_viewset
from kunlu.land.models import Review, ReviewResult


class ReviewResultSerializer(serializers.ModelSerializer[ReviewResult]):
    indicator = serializers.CharField(source="commitment.indicator.code", read_only=True)
    committed = serializers.DecimalField(
        source="commitment.value", max_digits=20, decimal_places=4, read_only=True
    )

    class Meta:
        model = ReviewResult
        fields = [
            "id",
            "commitment",
            "indicator",
            "committed",
            "measured",
            "source",
            "source_text",
            "met",
            "shortfall",
            "failures",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer[Review]):
    results = ReviewResultSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "parcel", "stage", "sequence", "reviewed_on", "reviewer", "note", "results"]
        read_only_fields = fields


def viewset_for(vs: type[CrudViewSet]) -> type[ScopedModelViewSet]:
    """The REST viewset of a declared model; reviews are served with their results."""
    base = api_viewset(vs)
    if vs.model is not Review:
        return base

    class ReviewApiViewSet(base):  # type: ignore[valid-type,misc]
        serializer_class = ReviewSerializer

        def get_queryset(self) -> QuerySet[Any]:
            qs: QuerySet[Any] = super().get_queryset()
            return qs.prefetch_related("results__commitment__indicator")

    return ReviewApiViewSet
