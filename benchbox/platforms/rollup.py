"""``GROUP BY ROLLUP`` for engines without it (SQLite): the rollup as a UNION ALL of its groupings.

``SELECT k1, k2, sum(x), grouping(k2) ... GROUP BY ROLLUP (k1, k2)`` groups by
``(k1, k2)``, ``(k1)`` and ``()``. The rewrite computes each grouping in its own branch
(the dropped keys NULL, ``GROUPING()`` a constant), stacks the branches with UNION ALL,
and evaluates the original select list over the stack: every aggregate, grouping flag
and key becomes a column of the stack, so window functions over aggregates (a rank
within each rollup level) and the ORDER BY and LIMIT work as before. A shared module,
used by a platform as one of its ``transforms``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp
else:
    from benchbox.platforms.base import lazy_exp as exp  # sqlglot on the first transform, not on import


def expand_rollup(node: exp.Expression) -> exp.Expression:
    """The sqlglot transform: rewrite a SELECT whose GROUP BY has one ROLLUP; leave anything else."""
    if not isinstance(node, exp.Select):
        return node
    group = node.args.get("group")
    rollups = [e for e in group.expressions if isinstance(e, exp.Rollup)] if group else []
    if len(rollups) != 1 or group.args.get("cube") or group.args.get("grouping_sets"):
        return node
    plain = [e for e in group.expressions if not isinstance(e, exp.Rollup)]
    rolled = list(rollups[0].expressions)
    keys = [*plain, *rolled]
    aggregates = _aggregates(node)
    branches = [
        _branch(node, keys, len(plain) + kept, aggregates, len(plain)) for kept in range(len(rolled), -1, -1)
    ]
    stack = branches[0]
    for branch in branches[1:]:
        stack = exp.union(stack, branch, distinct=False)
    outer = exp.select(*(_lift(p, keys, aggregates, len(plain), named=True) for p in node.expressions))
    outer = outer.from_(
        exp.Subquery(this=stack, alias=exp.TableAlias(this=exp.to_identifier("benchbox_rollup")))
    )
    if node.args.get("having") is not None:
        outer = outer.where(_lift(node.args["having"].this, keys, aggregates, len(plain)))
    for arg in map(_key, ("with", "order", "limit", "offset", "distinct", "windows")):
        if node.args.get(arg) is not None:
            value = node.args[arg].copy()
            if arg == "order":
                value = _lift(value, keys, aggregates, len(plain))
            outer.set(arg, value)
    return outer


def _key(name: str) -> str:
    """A SELECT's argument name in this sqlglot version (newer ones write ``with_``, ``from_``)."""
    return f"{name}_" if f"{name}_" in exp.Select.arg_types else name


def _scope_nodes(node: exp.Select, kind: type[exp.Expression]) -> list[exp.Expression]:
    """Nodes of ``kind`` in the select list, HAVING and ORDER BY of ``node`` (not of its subqueries)."""
    found = []
    for part in [*node.expressions, node.args.get("having"), node.args.get("order")]:
        if part is None:
            continue
        for candidate in part.find_all(kind):
            if candidate.parent_select is node:
                found.append(candidate)
    return found


def _aggregates(node: exp.Select) -> list[exp.Expression]:
    """The group aggregates (not window functions, not GROUPING) the select computes, each once."""
    found: dict[str, exp.Expression] = {}
    for candidate in _scope_nodes(node, exp.AggFunc):
        if isinstance(candidate, exp.Grouping):
            continue
        if isinstance(candidate.parent, exp.Window) and candidate.parent.this is candidate:
            continue  # rank() over (...), sum(...) over (...): evaluated over the stack
        if any(
            isinstance(a, exp.AggFunc) and not isinstance(a, exp.Grouping)
            for a in _ancestors(candidate, node)
        ):
            continue  # inside another aggregate
        found.setdefault(candidate.sql(), candidate)
    return list(found.values())


def _ancestors(candidate: exp.Expression, stop: exp.Expression) -> list[exp.Expression]:
    chain, parent = [], candidate.parent
    while parent is not None and parent is not stop:
        if not (isinstance(parent, exp.Window) and parent.this is candidate):
            chain.append(parent)
        candidate, parent = parent, parent.parent
    return chain


def _branch(
    node: exp.Select, keys: list[exp.Expression], kept: int, aggregates: list[exp.Expression], plain: int
) -> exp.Select:
    """One grouping: the first ``kept`` keys, NULL for the others, every aggregate, the grouping flags."""
    columns = [
        exp.alias_(key.copy() if i < kept else exp.Null(), f"benchbox_k{i}") for i, key in enumerate(keys)
    ]
    columns += [exp.alias_(a.copy(), f"benchbox_a{i}") for i, a in enumerate(aggregates)]
    columns += [
        exp.alias_(exp.Literal.number(0 if i < kept else 1), f"benchbox_g{i}")
        for i in range(plain, len(keys))
    ]
    branch = exp.Select(expressions=columns)
    for arg in map(_key, ("from", "joins", "where", "laterals", "pivots")):
        if node.args.get(arg) is not None:
            value = node.args[arg]
            branch.set(arg, [v.copy() for v in value] if isinstance(value, list) else value.copy())
    if kept:
        branch = branch.group_by(*(key.copy() for key in keys[:kept]), copy=False)
    return branch


def _same(a: exp.Expression, b: exp.Expression) -> bool:
    if isinstance(a, exp.Column) and isinstance(b, exp.Column):
        return a.name == b.name and (not a.table or not b.table or a.table == b.table)
    return a.sql() == b.sql()


def _lift(
    tree: exp.Expression,
    keys: list[exp.Expression],
    aggregates: list[exp.Expression],
    plain: int,
    named: bool = False,
) -> exp.Expression:
    """``tree`` over the stack: aggregates, GROUPING() and keys replaced by the stack's columns."""
    texts = {a.sql(): i for i, a in enumerate(aggregates)}

    def replace(part: exp.Expression) -> exp.Expression:
        if isinstance(part, exp.AggFunc) and part.sql() in texts:
            return exp.column(f"benchbox_a{texts[part.sql()]}")
        if isinstance(part, exp.Grouping):
            flags = []
            for argument in part.expressions:
                index = next((i for i, key in enumerate(keys) if _same(argument, key)), None)
                if index is None:
                    raise ValueError(f"GROUPING({argument.sql()}) names no grouping key")
                flags.append(exp.column(f"benchbox_g{index}") if index >= plain else exp.Literal.number(0))
            value: exp.Expression = flags[0]
            for flag in flags[1:]:  # GROUPING(a, b) = 2 * GROUPING(a) + GROUPING(b)
                value = exp.Add(this=exp.Mul(this=value, expression=exp.Literal.number(2)), expression=flag)
            return value
        index = next((i for i, key in enumerate(keys) if _same(part, key)), None)
        return exp.column(f"benchbox_k{index}") if index is not None else part

    lifted = tree.copy().transform(replace)
    name = tree.alias_or_name if named else ""
    if name and not isinstance(lifted, exp.Alias):  # the output keeps its name (a key column's)
        return exp.alias_(lifted, name)
    return lifted
