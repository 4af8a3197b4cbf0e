"""Formulas and conditions of a rule set: a small, safe expression language over named inputs and flags.

Formulas are arithmetic (``tax / land_mu``); conditions add comparisons and ``and``/``or``/``not``
(``years_in_production < 2 and not high_tech``). Text is parsed with Python's own parser and only the
node types below are accepted, so nothing in a rule set can call a function or reach an attribute.
A missing value (None) propagates through arithmetic; a division by zero is missing too; a comparison
with a missing value is false.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

Value = Decimal | bool | None
Lookup = Callable[[str], Value]
Compiled = Callable[[Lookup], Value]

_ARITHMETIC: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}
_COMPARISON: dict[type[ast.cmpop], Callable[[Decimal, Decimal], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class ExpressionError(ValueError):
    """Text that is not a formula or condition of the rule-set language (message in Chinese)."""


@dataclass(frozen=True)
class Expression:
    """A parsed formula or condition: its text, the names it reads, and a compiled evaluator."""

    text: str
    names: frozenset[str]
    tree: ast.expr = field(compare=False, repr=False)
    is_condition: bool
    function: Compiled = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "function", compile_tree(self.tree))

    def evaluate(self, lookup: Lookup) -> Value:
        """The value for one enterprise, reading names through `lookup`."""
        return self.function(lookup)

    def top_level_ratio(self) -> tuple[Expression, Expression] | None:
        """Numerator and denominator when the formula is one division (``a / b``), else None."""
        tree = self.tree
        if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div):
            return (_sub_expression(self.text, tree.left), _sub_expression(self.text, tree.right))
        return None


def _sub_expression(text: str, tree: ast.expr) -> Expression:
    segment = ast.get_source_segment(text, tree) or ast.unparse(tree)
    return Expression(segment, frozenset(_names(tree)), tree, is_condition=False)


def parse_formula(text: str) -> Expression:
    """An arithmetic formula: numbers, names, + − × ÷ and parentheses."""
    tree = _parse(text)
    _check(tree, condition=False)
    return Expression(text, frozenset(_names(tree)), tree, is_condition=False)


def parse_condition(text: str) -> Expression:
    """A condition: comparisons of formulas, flag names, and / or / not."""
    tree = _parse(text)
    _check(tree, condition=True)
    return Expression(text, frozenset(_names(tree)), tree, is_condition=True)


def _parse(text: str) -> ast.expr:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("表达式不能为空")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise ExpressionError(f"表达式“{text}”无法解析：{error.msg}") from None


def _names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def _check(node: ast.expr, *, condition: bool) -> None:
    """Refuse every node outside the language (calls, attributes, strings, …)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"表达式中只能使用数字常量，不能使用“{node.value!r}”")
        return
    if isinstance(node, ast.Name):
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        _check(node.left, condition=False)
        _check(node.right, condition=False)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, condition=False)
        return
    if condition:
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                _check(value, condition=True)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            _check(node.operand, condition=True)
            return
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARISON for op in node.ops):
            for operand in [node.left, *node.comparators]:
                _check(operand, condition=False)
            return
    kind = "条件" if condition else "公式"
    raise ExpressionError(f"{kind}中不允许使用“{ast.unparse(node)}”")


def compile_tree(node: ast.expr) -> Compiled:
    """A closure evaluating the checked tree (built once per rule set, called per enterprise)."""
    if isinstance(node, ast.Constant):
        constant = Decimal(str(node.value))
        return lambda lookup: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda lookup: lookup(name)
    if isinstance(node, ast.BinOp):
        return _compile_binop(node)
    if isinstance(node, ast.UnaryOp):
        operand = compile_tree(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda lookup: not _truth(operand(lookup))
        sign = -1 if isinstance(node.op, ast.USub) else 1

        def signed(lookup: Lookup) -> Value:
            value = operand(lookup)
            return None if value is None or isinstance(value, bool) else sign * value

        return signed
    if isinstance(node, ast.BoolOp):
        parts = [compile_tree(value) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda lookup: all(_truth(part(lookup)) for part in parts)
        return lambda lookup: any(_truth(part(lookup)) for part in parts)
    if isinstance(node, ast.Compare):
        return _compile_compare(node)
    raise ExpressionError(f"不支持的表达式：{ast.unparse(node)}")


def _compile_binop(node: ast.BinOp) -> Compiled:
    if isinstance(node.op, ast.Div) and isinstance(node.left, ast.Name) and isinstance(node.right, ast.Name):
        # The library's shape (tax / land_mu): read both names directly, the hot path of every run.
        top, bottom = node.left.id, node.right.id

        def divide_names(lookup: Lookup) -> Value:
            a, b = lookup(top), lookup(bottom)
            if isinstance(a, Decimal) and isinstance(b, Decimal) and b:
                return a / b
            return None

        return divide_names
    left, right = compile_tree(node.left), compile_tree(node.right)
    if isinstance(node.op, ast.Div):

        def divide(lookup: Lookup) -> Value:
            a, b = left(lookup), right(lookup)
            if a is None or b is None or isinstance(a, bool) or isinstance(b, bool) or not b:
                return None
            return a / b

        return divide
    apply = _ARITHMETIC[type(node.op)]

    def arithmetic(lookup: Lookup) -> Value:
        a, b = left(lookup), right(lookup)
        if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
            return None
        return apply(a, b)

    return arithmetic


def _compile_compare(node: ast.Compare) -> Compiled:
    operands = [compile_tree(part) for part in [node.left, *node.comparators]]
    tests = [_COMPARISON[type(op)] for op in node.ops]
    if len(tests) == 1:
        (test,), (left, right) = tests, operands

        def compare_once(lookup: Lookup) -> Value:
            a, b = left(lookup), right(lookup)
            if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
                return False
            return test(a, b)

        return compare_once

    def compare(lookup: Lookup) -> Value:
        values = [operand(lookup) for operand in operands]
        for test, a, b in zip(tests, values, values[1:], strict=False):
            if a is None or b is None or isinstance(a, bool) or isinstance(b, bool) or not test(a, b):
                return False
        return True

    return compare


def _truth(value: Value) -> bool:
    return bool(value) if value is not None else False


def evaluate_with(expression: Expression, values: Mapping[str, Value]) -> Value:
    """Convenience for tests and tracing: evaluate over a plain mapping (absent names are missing)."""
    return expression.evaluate(values.get)
