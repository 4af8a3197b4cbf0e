"""Declared datasets: what a file of one kind of record holds, how each cell is read and how a row is saved.

A dataset names its model, its columns (model field, Chinese header, required or not, how a cell is read,
help for the template) and its natural key; `save_row` writes one row through the app's services and says
whether it created, updated or left the record unchanged. Apps declare theirs in `<app>/imports.py`
(found at start-up by `autodiscover`) and register them with `@register`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from kunlu.core.models import ImportBatch, ImportRecord
from kunlu.core.permissions import has_model_permission

CREATED = ImportRecord.Action.CREATED.value
UPDATED = ImportRecord.Action.UPDATED.value
UNCHANGED = ImportRecord.Action.UNCHANGED.value

Label = str | Promise
Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """One column of a dataset: the model field it fills and how its cells are read.

    parse: text → value, raising ValidationError with a Chinese reason; None reads the text as it is,
        bounded by the model field's max_length. A dataset method `parse_<field>(text, *, actor)` takes
        precedence (for cells whose meaning depends on the uploader, such as a territory in scope).
    help: the format, for the template's 「填写说明」 sheet; example: a valid value.
    choices: the values offered as a drop-down list in the template.
    """

    field: str
    header: Label
    required: bool = False
    parse: Parser | None = None
    help: Label = ""
    example: str = ""
    choices: Sequence[Label] = ()

    @property
    def title(self) -> str:
        """The header as text."""
        return str(self.header)


# -- reusable parsers ---------------------------------------------------------------------------------------


def choice_parser(choices: type[models.Choices]) -> Parser:
    """Read a choice by its Chinese label (the part before a bracket is enough) or by its stored value."""

    def parse(text: str) -> Any:
        """The stored value of a choice written by label or value."""
        wanted = text.strip()
        for value, label in choices.choices:
            full = str(label)
            short = full.split("（", 1)[0].split("(", 1)[0]
            if wanted in (full, short, str(value)):
                return value
        labels = "、".join(str(label) for _value, label in choices.choices)
        raise ValidationError(
            _("“%(value)s”不是可选的值，应为：%(labels)s") % {"value": wanted, "labels": labels},
            code="choice",
        )

    return parse


def decimal_parser(*, places: int | None = None) -> Parser:
    """Read a number (thousands separators allowed) as a Decimal."""

    def parse(text: str) -> Decimal:
        """The number written in a cell."""
        try:
            value = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation as exc:
            raise ValidationError(_("“%(value)s”不是数字") % {"value": text}, code="number") from exc
        if not value.is_finite():
            raise ValidationError(_("“%(value)s”不是数字") % {"value": text}, code="number")
        return value if places is None else round(value, places)

    return parse


# -- the dataset -------------------------------------------------------------------------------------------


class Dataset:
    """The declaration of one importable kind of record. Subclass, set the attributes, `@register` it.

    natural_key: the fields that identify a record; fallback_keys: weaker keys tried in order when the
    natural key is empty in a row (a record found by a weaker key must not contradict a stronger one).
    """

    name: ClassVar[str]
    title: ClassVar[Label]
    description: ClassVar[Label] = ""
    model: ClassVar[type[models.Model]]
    columns: ClassVar[Sequence[Column]]
    natural_key: ClassVar[tuple[str, ...]]
    fallback_keys: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def __init__(self) -> None:
        self._index: dict[tuple[str, ...], dict[tuple[Any, ...], models.Model]] = {}
        self._changeable: dict[Any, bool] = {}
        # The batch a commit is writing (None while previewing), for records that keep their source batch.
        self.batch: ImportBatch | None = None
        # Columns the file's headers named beyond the declared ones (see header_column).
        self.named_columns: list[Column] = []

    # -- who may use it ------------------------------------------------------------------------------
    @classmethod
    def allowed(cls, user: Any) -> bool:
        """May the user import this dataset: upload files, and add and change records of its model."""
        return (
            has_model_permission(user, ImportBatch, "add")
            and has_model_permission(user, cls.model, "add")
            and has_model_permission(user, cls.model, "change")
        )

    # -- columns -------------------------------------------------------------------------------------
    @classmethod
    def column_by_header(cls) -> dict[str, Column]:
        """The columns by their Chinese header."""
        return {column.title: column for column in cls.columns}

    @classmethod
    def column_for(cls, field: str) -> Column | None:
        """The column that fills a field, if any."""
        return next((c for c in cls.columns if c.field == field), None)

    def header_column(self, header: str) -> Column | None:
        """A column for a header the declaration does not list, or None to refuse the header.

        Lets a wide table name its own columns (a statistics table's indicators as columns); may raise
        ValidationError with the reason, which is shown on the header cell.
        """
        return None

    def column_of(self, field: str) -> Column | None:
        """The column that fills a field: a declared one, or one the file's headers named."""
        return self.column_for(field) or next((c for c in self.named_columns if c.field == field), None)

    @classmethod
    def template_columns(cls) -> Sequence[Column]:
        """The columns of the downloadable template (the declared ones, unless a dataset adds more)."""
        return cls.columns

    @classmethod
    def identity_keys(cls) -> tuple[tuple[str, ...], ...]:
        """The natural key, then the fallback keys, strongest first."""
        return (cls.natural_key, *cls.fallback_keys)

    def prepare(self, *, actor: Any) -> None:
        """Load what the parsers consult (lookups in the uploader's scope), once per file."""

    def parse_cell(self, column: Column, text: str, *, actor: Any) -> Any:
        """The value of one non-empty cell, or ValidationError with the reason."""
        method = getattr(self, f"parse_{column.field}", None)
        if method is not None:
            return method(text, actor=actor)
        if column.parse is not None:
            return column.parse(text)
        return self._bounded_text(column, text)

    def _bounded_text(self, column: Column, text: str) -> str:
        try:
            field = self.model._meta.get_field(column.field)
        except FieldDoesNotExist:
            return text
        max_length = getattr(field, "max_length", None)
        if max_length and len(text) > max_length:
            raise ValidationError(
                _("超过%(max)s个字符（现为%(n)s个）") % {"max": max_length, "n": len(text)},
                code="max_length",
            )
        return text

    def empty_value(self, column: Column) -> Any:
        """The value of an empty cell: blank text, or None for other fields."""
        try:
            field = self.model._meta.get_field(column.field)
        except FieldDoesNotExist:
            return None
        return "" if isinstance(field, models.CharField | models.TextField) else None

    def clean_row(self, values: dict[str, Any], *, actor: Any) -> None:
        """Rules across the cells of one row; raise ValidationError({field: reason})."""

    def records(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """The records a checked row stands for: itself, unless one row holds several (a wide table's row
        holds a value per indicator column). Each is planned, saved and given its lineage on its own."""
        return [values]

    # -- finding existing records ----------------------------------------------------------------------
    def key_values(self, key: tuple[str, ...], values: dict[str, Any]) -> tuple[Any, ...] | None:
        """A row's values for one key (related records by primary key), or None when any part is empty."""
        parts = []
        for name in key:
            value = values.get(name)
            if value is None or value == "":
                return None
            parts.append(value.pk if isinstance(value, models.Model) else value)
        return tuple(parts)

    def _attname(self, name: str) -> str:
        """The attribute that holds a field's stored value (territory → territory_id)."""
        return str(getattr(self.model._meta.get_field(name), "attname", name))

    def _stored_key(self, key: tuple[str, ...], obj: models.Model) -> tuple[Any, ...]:
        return tuple(getattr(obj, self._attname(name)) for name in key)

    def preload(self, rows: Iterable[dict[str, Any]], *, actor: Any = None) -> None:
        """Fetch, in a few queries, the existing records that the rows' keys point at (and, given the
        uploader, which of them the uploader may change)."""
        wanted: dict[tuple[str, ...], set[tuple[Any, ...]]] = {key: set() for key in self.identity_keys()}
        for values in rows:
            for key in self.identity_keys():
                found = self.key_values(key, values)
                if found is not None:
                    wanted[key].add(found)
        for key, tuples in wanted.items():
            index = self._index.setdefault(key, {})
            # Query by the most selective part of the key, then match whole keys here.
            part = max(range(len(key)), key=lambda i: len({t[i] for t in tuples}))
            attname = self._attname(key[part])
            distinct = sorted({t[part] for t in tuples}, key=str)
            for start in range(0, len(distinct), 500):
                chunk = distinct[start : start + 500]
                for obj in self.model._default_manager.filter(**{f"{attname}__in": chunk}):
                    stored = self._stored_key(key, obj)
                    if stored in tuples:
                        index[stored] = obj
        if actor is not None:
            pks = sorted({obj.pk for index in self._index.values() for obj in index.values()})
            manager = self.model._default_manager
            for start in range(0, len(pks), 500):
                pk_chunk = pks[start : start + 500]
                allowed = set(
                    manager.restrict(actor, "change")  # type: ignore[attr-defined]
                    .filter(pk__in=pk_chunk)
                    .values_list("pk", flat=True)
                )
                self._changeable.update({pk: pk in allowed for pk in pk_chunk})

    def find(self, values: dict[str, Any]) -> models.Model | None:
        """The existing record a row means: by its natural key, else by the first fallback key it fills."""
        keys = self.identity_keys()
        for strength, key in enumerate(keys):
            wanted = self.key_values(key, values)
            if wanted is None:
                continue
            if key in self._index:
                obj = self._index[key].get(wanted)
            else:
                lookup = {self._attname(n): v for n, v in zip(key, wanted, strict=True)}
                obj = self.model._default_manager.filter(**lookup).first()
            if obj is None:
                continue
            for stronger in keys[:strength]:
                stored = self._stored_key(stronger, obj)
                given = self.key_values(stronger, values)
                if given is not None and all(v not in (None, "") for v in stored) and stored != given:
                    field = stronger[0]
                    column = self.column_of(field)
                    raise ValidationError(
                        {
                            field: _(
                                "已有一条记录与本行的%(key)s相同，但其%(field)s为“%(stored)s”，与本行不一致"
                            )
                            % {
                                "key": "、".join(self._labels(key)),
                                "field": column.title if column else field,
                                "stored": "、".join(str(s) for s in stored),
                            }
                        },
                        code="key_conflict",
                    )
            return obj
        return None

    def _labels(self, key: tuple[str, ...]) -> list[str]:
        return [(c.title if (c := self.column_of(n)) else n) for n in key]

    def changes(self, obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        """The row's values that differ from what is stored (all of them when nothing is stored)."""
        changed = {}
        for name, value in values.items():
            stored = getattr(obj, self._attname(name))
            given = value.pk if isinstance(value, models.Model) else value
            if stored != given:
                changed[name] = value
        return changed

    @staticmethod
    def shown_field(key: tuple[str, ...]) -> str:
        """The field of a key that messages are shown on: its last, most specific part (the name)."""
        return key[-1]

    def key_field(self, values: dict[str, Any]) -> str:
        """The field a message about the row's identity is shown on, from the first key the row fills."""
        for key in self.identity_keys():
            if self.key_values(key, values) is not None:
                return self.shown_field(key)
        return self.shown_field(self.natural_key)

    def check_scope(self, obj: models.Model, values: dict[str, Any], *, actor: Any) -> None:
        """A row may only change a record the uploader may change."""
        allowed = self._changeable.get(obj.pk)
        if allowed is None:
            manager = self.model._default_manager
            allowed = manager.restrict(actor, "change").filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
            self._changeable[obj.pk] = allowed
        if not allowed:
            field = self.key_field(values)
            raise ValidationError(
                {field: _("该记录已存在，但不在您的管理范围内，不能通过导入修改")}, code="out_of_scope"
            )

    def plan_row(self, values: dict[str, Any], *, actor: Any) -> str:
        """What saving the row would do (created, updated or unchanged), without writing anything."""
        obj = self.find(values)
        if obj is None:
            return CREATED
        self.check_scope(obj, values, actor=actor)
        return UPDATED if self.changes(obj, values) else UNCHANGED

    # -- writing ---------------------------------------------------------------------------------------
    def save_row(self, values: dict[str, Any], *, actor: Any) -> tuple[models.Model, str]:
        """Write one row through the app's services: (record, created | updated | unchanged).

        A row equal to what is stored writes nothing at all (no history row, no audit event), so that
        importing the same data again changes nothing.
        """
        obj = self.find(values)
        if obj is None:
            obj, action = self.create(values, actor=actor), CREATED
            scope_action = "add"
        else:
            self.check_scope(obj, values, actor=actor)
            if not self.changes(obj, values):
                return obj, UNCHANGED
            obj, action = self.update(obj, values, actor=actor), UPDATED
            scope_action = "change"
        manager = self.model._default_manager
        if not manager.restrict(actor, scope_action).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
            raise ValidationError(_("该行会把记录写到您的管理范围以外"), code="out_of_scope")
        for key, index in self._index.items():
            index[self._stored_key(key, obj)] = obj
        return obj, action

    def create(self, values: dict[str, Any], *, actor: Any) -> models.Model:
        """Create a record from a row, through the app's service."""
        raise NotImplementedError

    def update(self, obj: models.Model, values: dict[str, Any], *, actor: Any) -> models.Model:
        """Update a record from a row, through the app's service."""
        raise NotImplementedError


# -- the registry -------------------------------------------------------------------------------------------

_registry: dict[str, type[Dataset]] = {}


def register(cls: type[Dataset]) -> type[Dataset]:
    """Make a dataset importable under its name (a class decorator)."""
    _registry[cls.name] = cls
    return cls


def get(name: str) -> type[Dataset]:
    """The dataset registered under `name`; LookupError when there is none."""
    try:
        return _registry[name]
    except KeyError as exc:
        raise LookupError(name) from exc


def all_datasets() -> list[type[Dataset]]:
    """Every registered dataset, by name."""
    return sorted(_registry.values(), key=lambda d: d.name)


def datasets_for(user: Any) -> list[type[Dataset]]:
    """The datasets the user may import."""
    return [d for d in all_datasets() if d.allowed(user)]


def autodiscover() -> None:
    """Import every installed app's `imports` module, where its datasets are declared."""
    autodiscover_modules("imports")
