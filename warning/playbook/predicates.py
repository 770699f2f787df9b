"""Safe condition expressions: ``negative_share > 0.4 and volume_ratio > 3``.

Conditions are parsed with :mod:`ast` and compiled into closures over a small
whitelist (``and``, ``or``, ``not``, comparisons, ``in``, ``+ - * /``, numbers,
text, lists of constants, ``true``/``false``, and the names of alert fields and
windows). Nothing is ever passed to ``eval``. Names are checked when the
configuration loads. A missing value (``None``) makes every comparison with it
false; ``severity`` compares by rank (``watch`` < ``warning`` < ``critical``).

>>> p = compile_predicate("negative_share > 0.4 and volume_ratio > 3",
...                       {"negative_share", "volume_ratio"})
>>> p({"negative_share": 0.6, "volume_ratio": 4.0}), p({"negative_share": None})
(True, False)
>>> compile_predicate("__import__('os')", set())
Traceback (most recent call last):
...
warning.playbook.predicates.PredicateError: function calls are not allowed (column 1)
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from warning.playbook.timerules import did_you_mean

__all__ = ["Predicate", "PredicateError", "compile_predicate"]

_MAX_LENGTH = 500
_MAX_NODES = 200
_SEVERITY_RANK = {"watch": 0, "warning": 1, "critical": 2}
_MISSING: Any = object()

Values = Mapping[str, object]
_Eval = Callable[[Values], Any]


class PredicateError(ValueError):
    """A condition that cannot be compiled; ``column`` is 1-based within the text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(f"{message} (column {column})")
        self.reason = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Predicate:
    """A compiled condition; call it with a mapping of names to values."""

    source: str
    names: frozenset[str]
    _run: _Eval

    def __call__(self, values: Values) -> bool:
        return _truth(self._run(values))


def _truth(value: Any) -> bool:
    return value is not _MISSING and value is not None and bool(value)


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_FORBIDDEN = {
    ast.Call: "function calls",
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "lambdas",
    ast.IfExp: "inline if/else",
    ast.NamedExpr: "assignments",
    ast.Dict: "mappings",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.Starred: "starred values",
}


class _Compiler:
    def __init__(self, known: Collection[str]) -> None:
        self.known = known
        self.names: set[str] = set()

    def fail(self, node: ast.AST, what: str) -> PredicateError:
        return PredicateError(what, getattr(node, "col_offset", 0) + 1)

    def compile(self, node: ast.AST) -> _Eval:
        if isinstance(node, ast.BoolOp):
            parts = [self.compile(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda vals: all(_truth(p(vals)) for p in parts)
            return lambda vals: any(_truth(p(vals)) for p in parts)
        if isinstance(node, ast.UnaryOp):
            inner = self.compile(node.operand)
            if isinstance(node.op, ast.Not):
                return lambda vals: not _truth(inner(vals))
            if isinstance(node.op, ast.USub):
                return lambda vals: _arith(operator.neg, inner(vals))
            if isinstance(node.op, ast.UAdd):
                return inner
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            fn = _ARITH[type(node.op)]
            left, right = self.compile(node.left), self.compile(node.right)
            return lambda vals: _arith(fn, left(vals), right(vals))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Constant):
            value = node.value
            if not isinstance(value, (bool, int, float, str)):
                raise self.fail(node, f"the constant {value!r} is not allowed")
            return lambda vals: value
        if isinstance(node, (ast.List, ast.Tuple)):
            items = tuple(self.constant(e) for e in node.elts)
            return lambda vals: items
        what = _FORBIDDEN.get(type(node), f"'{type(node).__name__}' expressions")
        raise self.fail(node, f"{what} are not allowed")

    def constant(self, node: ast.AST) -> object:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)):
            return node.value
        raise self.fail(node, "a list may only hold numbers and quoted text")

    def name(self, node: ast.Name) -> _Eval:
        key = node.id
        if key in ("true", "false"):
            flag = key == "true"
            return lambda vals: flag
        if key not in self.known:
            raise self.fail(node, f"unknown name '{key}'{did_you_mean(key, self.known)}")
        self.names.add(key)
        if key == "severity":
            return lambda vals: _SEVERITY_RANK.get(str(vals.get(key)), _MISSING)
        return lambda vals: _value(vals.get(key, _MISSING))

    def compare(self, node: ast.Compare) -> _Eval:
        operands = [node.left, *node.comparators]
        ranked = any(isinstance(o, ast.Name) and o.id == "severity" for o in operands)
        parts = [self.ranked(o) if ranked else self.compile(o) for o in operands]
        ops = [_COMPARE[type(op)] for op in node.ops]

        def run(vals: Values) -> bool:
            left = parts[0](vals)
            for fn, part in zip(ops, parts[1:], strict=True):
                right = part(vals)
                if left is _MISSING or right is _MISSING or left is None or right is None:
                    return False
                try:
                    if not fn(left, right):
                        return False
                except TypeError:
                    return False
                left = right
            return True

        return run

    def ranked(self, node: ast.AST) -> _Eval:
        """Severity comparisons: turn quoted severities into ranks."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            rank = self.rank(node, node.value)
            return lambda vals: rank
        if isinstance(node, (ast.List, ast.Tuple)):
            ranks = tuple(self.rank(e, self.constant(e)) for e in node.elts)
            return lambda vals: ranks
        return self.compile(node)

    def rank(self, node: ast.AST, value: object) -> int:
        if not isinstance(value, str) or value not in _SEVERITY_RANK:
            hint = did_you_mean(str(value), _SEVERITY_RANK)
            raise self.fail(node, f"unknown severity {value!r}{hint}")
        return _SEVERITY_RANK[value]


def _value(value: object) -> object:
    return _MISSING if value is None else value


def _arith(fn: Callable[..., Any], *args: Any) -> Any:
    if any(a is _MISSING or a is None for a in args):
        return _MISSING
    try:
        return fn(*args)
    except (TypeError, ZeroDivisionError, OverflowError):
        return _MISSING


def compile_predicate(source: str, known: Collection[str]) -> Predicate:
    """Compile ``source`` over the names in ``known``; :class:`PredicateError` if unsafe."""
    if not isinstance(source, str) or not source.strip():
        raise PredicateError("a condition must not be empty")
    if len(source) > _MAX_LENGTH:
        raise PredicateError(f"a condition must be at most {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        raise PredicateError(f"invalid condition: {err.msg}", err.offset or 1) from None
    except (ValueError, RecursionError, MemoryError):
        raise PredicateError("invalid condition") from None
    if sum(1 for _ in ast.walk(tree)) > _MAX_NODES:
        raise PredicateError(f"a condition must have at most {_MAX_NODES} parts")
    compiler = _Compiler(known)
    try:
        run = compiler.compile(tree.body)
    except RecursionError:
        raise PredicateError("a condition is nested too deeply") from None
    return Predicate(source.strip(), frozenset(compiler.names), run)
