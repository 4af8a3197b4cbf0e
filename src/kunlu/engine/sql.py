"""The vocabulary of the metrics: SQL column expressions (sqlglot trees) that render for every backend.

A metric built from these helpers is one expression; `render` turns it into DuckDB SQL or Spark SQL, so the
same logic runs on both engines (no second copy). Only constructs with the same meaning in both dialects are
offered here: NULLIF-guarded division, CASE, SUM/MAX/COUNT, COALESCE, CAST and ROW_NUMBER windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlglot import exp

Column = exp.Expr
Dialect = Literal["duckdb", "spark"]


def _operand(value: Column) -> Column:
    """value, in parentheses when it is itself an operation (sqlglot prints the tree as built)."""
    return exp.paren(value) if isinstance(value, exp.Binary) else value


def col(name: str, table: str | None = None) -> Column:
    """A column, optionally qualified by its table or CTE alias."""
    return exp.column(name, table=table)


def lit(value: int | float | str) -> Column:
    """A literal; floats are cast to DOUBLE because both dialects read `0.1` as a DECIMAL."""
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, float):
        return as_double(exp.Literal.number(repr(value)))
    return exp.Literal.number(value)


def null() -> Column:
    """SQL NULL."""
    return exp.null()


def as_double(value: Column) -> Column:
    """CAST(value AS DOUBLE)."""
    return exp.cast(value, exp.DataType.Type.DOUBLE)


def as_bigint(value: Column) -> Column:
    """CAST(value AS BIGINT): Spark's ROW_NUMBER is an INT, the output wants int64."""
    return exp.cast(value, exp.DataType.Type.BIGINT)


def ratio(numerator: Column, denominator: Column) -> Column:
    """numerator / denominator, NULL when the denominator is 0 or NULL (never NaN, never an error)."""
    return exp.Div(this=_operand(numerator), expression=exp.Nullif(this=denominator, expression=lit(0)))


def quotient(numerator: Column, denominator: Column) -> Column:
    """numerator / denominator, for a denominator known not to be 0."""
    return exp.Div(this=_operand(numerator), expression=_operand(denominator))


def sub(left: Column, right: Column) -> Column:
    """left − right."""
    return exp.Sub(this=_operand(left), expression=_operand(right))


def mul(left: Column, right: Column) -> Column:
    """left × right."""
    return exp.Mul(this=_operand(left), expression=_operand(right))


def if_then(condition: Column, then: Column, otherwise: Column | None = None) -> Column:
    """CASE WHEN condition THEN then [ELSE otherwise] END."""
    case = exp.Case(ifs=[exp.If(this=condition, true=then)])
    return case if otherwise is None else case.else_(otherwise)


def total(value: Column) -> Column:
    """SUM(value): NULL over no rows, so callers that need 0 wrap it in `zero_if_null`."""
    return exp.Sum(this=value)


def total_where(value: Column, condition: Column) -> Column:
    """Σ value over the rows where condition holds (ELSE 0 keeps the sum on DuckDB's fast non-NULL path)."""
    return exp.Sum(this=if_then(condition, value, lit(0)))


def count_where(condition: Column) -> Column:
    """Number of rows where condition holds."""
    return exp.Count(this=if_then(condition, lit(1)))


def count_values(value: Column) -> Column:
    """COUNT(value): rows where value is not NULL."""
    return exp.Count(this=value)


def count_rows() -> Column:
    """COUNT(*)."""
    return exp.Count(this=exp.Star())


def highest(value: Column) -> Column:
    """MAX(value)."""
    return exp.Max(this=value)


def zero_if_null(value: Column) -> Column:
    """COALESCE(value, 0): an empty sum is 0, never NULL."""
    return exp.Coalesce(this=value, expressions=[lit(0)])


def false_if_null(condition: Column) -> Column:
    """COALESCE(condition, FALSE): a flag that is never NULL."""
    return exp.Coalesce(this=condition, expressions=[exp.false()])


def between(value: Column, low: int, high: int) -> Column:
    """low ≤ value ≤ high."""
    return exp.Between(this=value, low=lit(low), high=lit(high))


def either(left: Column, right: Column) -> Column:
    """left OR right."""
    return exp.or_(left, right)


def both(left: Column, right: Column) -> Column:
    """left AND right."""
    return exp.and_(left, right)


def position_in(
    partition_by: Sequence[Column], order_by: Sequence[tuple[Column, bool]], *, nulls_last: bool = True
) -> Column:
    """ROW_NUMBER() within each partition, ordered by (expression, descending) pairs, as a BIGINT.

    Nulls sort after every value in both directions, the same on DuckDB and Spark (sqlglot writes the
    NULLS FIRST/LAST clause each dialect needs).
    """
    order = exp.Order(
        expressions=[exp.Ordered(this=e, desc=desc, nulls_first=not nulls_last) for e, desc in order_by]
    )
    return as_bigint(exp.Window(this=exp.RowNumber(), partition_by=list(partition_by), order=order))


def named(value: Column, name: str) -> Column:
    """value AS name."""
    return exp.alias_(value, name)


def render(query: exp.Expr, dialect: Dialect) -> str:
    """The SQL text of a query for one backend, identifiers quoted so no column name is read as a keyword."""
    return query.sql(dialect=dialect, identify=True)
