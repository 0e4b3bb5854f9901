"""TPC-DS query templates and their substitution parameters (spec clause 4.3, Appendix B).

Each query is one file, ``queries/qNN.sql``: a header of ``-- @param`` lines, then the SQL
in the canonical (DuckDB) dialect with ``${NAME}`` placeholders. A query the spec runs in
two parts (14, 23, 24, 39) holds both statements, separated by ``;``; they share the
parameters, and run as ``Q14a`` and ``Q14b``. A header line reads::

    -- @param NAME <validation value> ~ <rule>

The validation value is a Python literal: the spec's qualification value (Appendix B),
the only one whose answers are known. The rule is an expression in a small language
(see ``_Evaluator``) that draws the seeded value: ``uniform(1998, 2002)``,
``choice(vocab('colors'))``, ``sample(ints(10000, 99999), 400)``, ``day(f'{YEAR}-08-01',
f'{YEAR}-08-30')``; a rule may use the parameters declared above it and ``SF``.

Values substitute as SQL text: a scalar raw (the template carries its own quotes, as in
``'${STATE}'``), a list as comma-separated SQL literals (``'a', 'b'`` or ``1, 2``), for
``IN (${ZIP})``. Seeded values are drawn from ``random.Random(f"{seed}:{query}")``, so a
seed means the same values in every process, whatever else the run selects.

Where dsqgen weights a distribution (e.g. sales dates, or a dist file's weights), the
rules draw uniformly from the same domain; the domains of data values (colours, counties,
categories) are the values in tpcgen's SF 1 data (``vocabulary.json``).
"""

from __future__ import annotations

import ast
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

QUERY_NUMBERS: tuple[int, ...] = tuple(range(1, 100))
"""The TPC-DS query templates, 1 to 99."""

_PARAM = re.compile(r"^--\s*@param\s+(?P<name>[A-Z][A-Z0-9_]*)\s+(?P<value>.+?)\s+~\s+(?P<rule>.+?)\s*$")


@dataclass(frozen=True)
class Parameter:
    """One substitution parameter of a template."""

    name: str
    validation: Any
    """The qualification value (Appendix B)."""
    rule: ast.expr
    """The parsed rule expression that draws a seeded value."""
    text: str
    """The rule as written (for messages and docs)."""


@dataclass(frozen=True)
class QueryFile:
    """One query file: its parameters and its SQL parts (one, or two for 14, 23, 24 and 39)."""

    number: int
    parameters: tuple[Parameter, ...]
    parts: tuple[Template, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The query ids the parts run as: ``Q7``, or ``Q14a`` and ``Q14b``."""
        if len(self.parts) == 1:
            return (f"Q{self.number}",)
        return tuple(f"Q{self.number}{chr(ord('a') + i)}" for i in range(len(self.parts)))


def _check(number: int) -> None:
    if number not in QUERY_NUMBERS:
        raise ValueError(f"TPC-DS has queries 1 to 99, not {number!r}")


@cache
def template(number: int) -> QueryFile:
    """The parsed query file ``queries/qNN.sql`` (read once per process)."""
    _check(number)
    text = (files(__package__) / "queries" / f"q{number:02d}.sql").read_text(encoding="utf-8")
    parameters, body = [], []
    for line in text.splitlines():
        match = _PARAM.match(line.strip())
        if match:
            rule = ast.parse(match["rule"], mode="eval").body
            value = ast.literal_eval(match["value"])
            parameters.append(Parameter(match["name"], value, rule, match["rule"]))
        elif not (line.startswith("--") and not body):
            body.append(line)  # header comments (before the SQL) are left out
    parts = [part.strip() for part in "\n".join(body).split(";") if part.strip()]
    return QueryFile(number, tuple(parameters), tuple(Template(part) for part in parts))


def validation_parameters(number: int) -> dict[str, Any]:
    """The spec's qualification values of query ``number``."""
    return {p.name: p.validation for p in template(number).parameters}


def seeded_parameters(number: int, scale_factor: float, seed: int) -> dict[str, Any]:
    """Values drawn by the template's rules, reproducibly from ``seed`` (see the module docstring)."""
    rng = random.Random(f"{seed}:{number}")
    values: dict[str, Any] = {}
    for parameter in template(number).parameters:
        evaluator = _Evaluator(rng, {"SF": scale_factor, **values})
        try:
            values[parameter.name] = evaluator.eval(parameter.rule)
        except Exception as exc:
            raise ValueError(f"Q{number} {parameter.name}: rule {parameter.text!r} failed: {exc}") from exc
    return values


def render(number: int, values: dict[str, Any]) -> list[tuple[str, str]]:
    """``(query_id, sql)`` of every part of query ``number`` with ``values`` substituted.

    Raises:
        KeyError: a placeholder has no value, so no half-rendered SQL reaches a database.
    """
    parsed = template(number)
    text = {name: _sql_text(value) for name, value in values.items()}
    return [(qid, part.substitute(text)) for qid, part in zip(parsed.ids, parsed.parts, strict=True)]


def _sql_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_literal(v) for v in value)
    return str(value)


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


@cache
def vocabulary() -> dict[str, Any]:
    """The value domains of data-valued parameters, read from tpcgen's SF 1 data once
    (``tools/make_tpcds_vocabulary.py`` writes the file)."""
    return json.loads((files(__package__) / "vocabulary.json").read_text(encoding="utf-8"))


class _Evaluator:
    """Evaluates a rule: literals, lists, names of earlier parameters (and ``SF``), ``+ - * //``,
    unary minus, f-strings, subscripts, and the functions in ``FUNCTIONS``. Nothing else
    parses, so a template cannot run arbitrary code."""

    def __init__(self, rng: random.Random, names: dict[str, Any]) -> None:
        self.rng, self.names = rng, names
        self.functions: dict[str, Callable[..., Any]] = {
            "uniform": lambda lo, hi: rng.randint(lo, hi),
            "choice": lambda seq: rng.choice(list(seq)),
            "sample": lambda seq, k: rng.sample(list(seq) if not isinstance(seq, range) else seq, k),
            "ints": lambda lo, hi: range(lo, hi + 1),
            "day": lambda first, last: _day(rng, first, last),
            "vocab": lambda name: vocabulary()[name],
            "texts": lambda seq: [str(v) for v in seq],
            "str": str,
            "int": int,
            "len": len,
            "shift": _shift,
        }

    def eval(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.eval(e) for e in node.elts]
        if isinstance(node, ast.Name):
            if node.id not in self.names:
                raise NameError(f"{node.id} is not a parameter declared above, nor SF")
            return self.names[node.id]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            if node.func.id not in self.functions:
                raise NameError(f"unknown function {node.func.id}(); use one of {sorted(self.functions)}")
            return self.functions[node.func.id](*(self.eval(a) for a in node.args))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)):
            left, right = self.eval(node.left), self.eval(node.right)
            operations = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right}
            operations.update({ast.Mult: lambda: left * right, ast.FloorDiv: lambda: left // right})
            return operations[type(node.op)]()
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.eval(node.operand)
        if isinstance(node, ast.Subscript):
            return self.eval(node.value)[self.eval(node.slice)]
        if isinstance(node, ast.JoinedStr):
            return "".join(
                str(self.eval(v.value)) if isinstance(v, ast.FormattedValue) else str(v.value)
                for v in node.values
            )
        raise SyntaxError(f"not allowed in a rule: {ast.unparse(node)}")


def _day(rng: random.Random, first: str, last: str) -> str:
    """An ISO day drawn uniformly from ``first`` to ``last``, inclusive."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return (start + timedelta(days=rng.randint(0, (end - start).days))).isoformat()


def _shift(day: str, days: int) -> str:
    """The ISO day ``days`` after ``day``."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
