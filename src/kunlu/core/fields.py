"""Reading a model's fields by lookup path, for tables, details and exports."""

from __future__ import annotations

from typing import Any

from django.db import models


def field_label(model: type[models.Model], path: str) -> str:
    """The verbose name of the last field on a lookup path ("territory__name" → 名称 of Territory)."""
    opts = model._meta
    field: Any = None
    for part in path.split("__"):
        field = opts.get_field(part)
        if field.related_model is not None and part != path.split("__")[-1]:
            opts = field.related_model._meta
    if "__" not in path:
        return str(getattr(field, "verbose_name", path))
    first = str(getattr(model._meta.get_field(path.split("__")[0]), "verbose_name", path))
    if path.endswith("__name"):
        return first  # territory__name → 所属地区: the relation's name is the column's name
    # numerator__code → 分子指标代码: the relation qualifies the field, so two "代码" columns never clash
    return f"{first}{getattr(field, 'verbose_name', path)}"


def field_value(obj: models.Model, path: str) -> Any:
    """The display value of a lookup path on an object: choices shown by label, relations by name."""
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        if display is not None:
            return display()
        value = getattr(value, part)
        if isinstance(value, models.Manager):
            return "、".join(str(v) for v in value.all())
    if isinstance(value, models.Model):
        return str(value)
    return value
