"""TPC-H substitution parameters (spec clause 2.4) and the rendering of the query templates.

Two sets of values exist. The *validation* values are the spec's qualification
values: only with them can an answer be checked against the shipped reference
answers. The *seeded* values follow each query's substitution rules, so repeated
runs with different seeds exercise different data, as the spec's power test does;
they are drawn from ``random.Random(f"{seed}:{query}")`` so that a seed means the
same values in every process and on every machine, and one query's values do not
shift when another query is added to or removed from a run.

Values are strings substituted raw: the templates carry their own quotes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import cache
from importlib.resources import files
from string import Template

from benchbox.benchmarks.tpch import vocabulary as v

QUERY_IDS: tuple[int, ...] = tuple(range(1, 23))
"""The TPC-H query numbers."""

_VALIDATION: dict[int, dict[str, str]] = {
    1: {"DELTA": "90"},
    2: {"SIZE": "15", "TYPE": "BRASS", "REGION": "EUROPE"},
    3: {"SEGMENT": "BUILDING", "DATE": "1995-03-15"},
    4: {"DATE": "1993-07-01"},
    5: {"REGION": "ASIA", "DATE": "1994-01-01"},
    6: {"DATE": "1994-01-01", "DISCOUNT": "0.06", "QUANTITY": "24"},
    7: {"NATION1": "FRANCE", "NATION2": "GERMANY"},
    8: {"NATION": "BRAZIL", "REGION": "AMERICA", "TYPE": "ECONOMY ANODIZED STEEL"},
    9: {"COLOR": "green"},
    10: {"DATE": "1993-10-01"},
    11: {"NATION": "GERMANY"},  # FRACTION depends on the scale factor
    12: {"SHIPMODE1": "MAIL", "SHIPMODE2": "SHIP", "DATE": "1994-01-01"},
    13: {"WORD1": "special", "WORD2": "requests"},
    14: {"DATE": "1995-09-01"},
    15: {"DATE": "1996-01-01"},
    16: {
        "BRAND": "Brand#45",
        "TYPE": "MEDIUM POLISHED",
        **{f"SIZE{i}": str(size) for i, size in enumerate((49, 14, 23, 45, 19, 3, 36, 9), start=1)},
    },
    17: {"BRAND": "Brand#23", "CONTAINER": "MED BOX"},
    18: {"QUANTITY": "300"},
    19: {
        "QUANTITY1": "1",
        "QUANTITY2": "10",
        "QUANTITY3": "20",
        "BRAND1": "Brand#12",
        "BRAND2": "Brand#23",
        "BRAND3": "Brand#34",
    },
    20: {"COLOR": "forest", "DATE": "1994-01-01", "NATION": "CANADA"},
    21: {"NATION": "SAUDI ARABIA"},
    22: {f"I{i}": str(code) for i, code in enumerate((13, 31, 23, 29, 30, 18, 17), start=1)},
}
"""The spec's validation values (the ``2.4.N.4`` clauses); the reference answers were made with them."""


def _check(query: int) -> None:
    if query not in QUERY_IDS:
        raise ValueError(f"TPC-H has queries 1 to {len(QUERY_IDS)}, not {query!r}")


def q11_fraction(scale_factor: float) -> str:
    """Q11's FRACTION, 0.0001 / SF, as a plain decimal literal without float noise.

    The spec scales the fraction so that Q11 selects a similar share of parts at
    every scale factor. Decimal arithmetic keeps SF 0.01 at ``"0.01"`` instead of
    ``"0.010000000000000002"``, so the rendered SQL is stable and readable.
    """
    if scale_factor <= 0:
        raise ValueError(f"the scale factor must be > 0, not {scale_factor!r}")
    with localcontext() as context:
        context.prec = 12
        value = Decimal("0.0001") / Decimal(repr(float(scale_factor)))
    return format(value.normalize(), "f")


def validation_parameters(query: int, scale_factor: float) -> dict[str, str]:
    """The spec's validation values for ``query``: the only values whose answers are known.

    Args:
        query: The query number, 1 to 22.
        scale_factor: The data's scale factor; only Q11's FRACTION depends on it.

    Returns:
        A fresh dict from placeholder name to raw value.
    """
    _check(query)
    values = dict(_VALIDATION[query])
    if query == 11:
        values["FRACTION"] = q11_fraction(scale_factor)
    return values


# Drawing helpers: each one is a rule the spec uses in several queries.


def _month_start(rng: random.Random, first: tuple[int, int], last: tuple[int, int]) -> str:
    """The first day of a month drawn uniformly from ``first`` to ``last`` (year, month), inclusive."""
    start = first[0] * 12 + first[1] - 1
    index = rng.randint(start, last[0] * 12 + last[1] - 1)
    return date(index // 12, index % 12 + 1, 1).isoformat()


def _january_first(rng: random.Random) -> str:
    """January 1st of a year drawn from 1993 to 1997."""
    return date(rng.randint(1993, 1997), 1, 1).isoformat()


def _day(rng: random.Random, first: date, last: date) -> str:
    """A day drawn uniformly from ``first`` to ``last``, inclusive."""
    return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()


def _brand(rng: random.Random) -> str:
    """``Brand#MN`` with M and N drawn independently from 1 to 5."""
    return f"Brand#{rng.randint(1, 5)}{rng.randint(1, 5)}"


def _part_type(rng: random.Random) -> str:
    """A full three-syllable P_TYPE."""
    return " ".join(rng.choice(s) for s in (v.TYPE_SYLLABLE_1, v.TYPE_SYLLABLE_2, v.TYPE_SYLLABLE_3))


# One drawer per query, in the order of clause 2.4; each returns the query's placeholders.
_Drawer = Callable[[random.Random, float], dict[str, str]]


def _q1(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"DELTA": str(rng.randint(60, 120))}


def _q2(rng: random.Random, _sf: float) -> dict[str, str]:
    return {
        "SIZE": str(rng.randint(1, 50)),
        "TYPE": rng.choice(v.TYPE_SYLLABLE_3),
        "REGION": rng.choice(v.REGIONS),
    }


def _q3(rng: random.Random, _sf: float) -> dict[str, str]:
    return {
        "SEGMENT": rng.choice(v.SEGMENTS),
        "DATE": _day(rng, date(1995, 3, 1), date(1995, 3, 31)),
    }


def _q4(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"DATE": _month_start(rng, (1993, 1), (1997, 10))}


def _q5(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"REGION": rng.choice(v.REGIONS), "DATE": _january_first(rng)}


def _q6(rng: random.Random, _sf: float) -> dict[str, str]:
    return {
        "DATE": _january_first(rng),
        "DISCOUNT": f"0.0{rng.randint(2, 9)}",
        "QUANTITY": str(rng.randint(24, 25)),
    }


def _q7(rng: random.Random, _sf: float) -> dict[str, str]:
    first, second = rng.sample(v.NATION_NAMES, 2)
    return {"NATION1": first, "NATION2": second}


def _q8(rng: random.Random, _sf: float) -> dict[str, str]:
    nation, region = rng.choice(v.NATIONS)
    return {"NATION": nation, "REGION": region, "TYPE": _part_type(rng)}


def _q9(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"COLOR": rng.choice(v.COLORS)}


def _q10(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"DATE": _month_start(rng, (1993, 2), (1995, 1))}


def _q11(rng: random.Random, sf: float) -> dict[str, str]:
    return {"NATION": rng.choice(v.NATION_NAMES), "FRACTION": q11_fraction(sf)}


def _q12(rng: random.Random, _sf: float) -> dict[str, str]:
    first, second = rng.sample(v.SHIP_MODES, 2)
    return {"SHIPMODE1": first, "SHIPMODE2": second, "DATE": _january_first(rng)}


def _q13(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"WORD1": rng.choice(v.Q13_WORD1), "WORD2": rng.choice(v.Q13_WORD2)}


def _q14(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"DATE": _month_start(rng, (1993, 1), (1997, 12))}


def _q15(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"DATE": _month_start(rng, (1993, 1), (1997, 10))}


def _q16(rng: random.Random, _sf: float) -> dict[str, str]:
    sizes = rng.sample(range(1, 51), 8)
    return {
        "BRAND": _brand(rng),
        "TYPE": f"{rng.choice(v.TYPE_SYLLABLE_1)} {rng.choice(v.TYPE_SYLLABLE_2)}",
        **{f"SIZE{i}": str(size) for i, size in enumerate(sizes, start=1)},
    }


def _q17(rng: random.Random, _sf: float) -> dict[str, str]:
    container = f"{rng.choice(v.CONTAINER_SYLLABLE_1)} {rng.choice(v.CONTAINER_SYLLABLE_2)}"
    return {"BRAND": _brand(rng), "CONTAINER": container}


def _q18(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"QUANTITY": str(rng.randint(312, 315))}


def _q19(rng: random.Random, _sf: float) -> dict[str, str]:
    return {
        "QUANTITY1": str(rng.randint(1, 10)),
        "QUANTITY2": str(rng.randint(10, 20)),
        "QUANTITY3": str(rng.randint(20, 30)),
        "BRAND1": _brand(rng),
        "BRAND2": _brand(rng),
        "BRAND3": _brand(rng),
    }


def _q20(rng: random.Random, _sf: float) -> dict[str, str]:
    return {
        "COLOR": rng.choice(v.COLORS),
        "DATE": _january_first(rng),
        "NATION": rng.choice(v.NATION_NAMES),
    }


def _q21(rng: random.Random, _sf: float) -> dict[str, str]:
    return {"NATION": rng.choice(v.NATION_NAMES)}


def _q22(rng: random.Random, _sf: float) -> dict[str, str]:
    codes = rng.sample(v.COUNTRY_CODES, 7)
    return {f"I{i}": str(code) for i, code in enumerate(codes, start=1)}


_DRAWERS: dict[int, _Drawer] = {
    1: _q1, 2: _q2, 3: _q3, 4: _q4, 5: _q5, 6: _q6, 7: _q7, 8: _q8, 9: _q9, 10: _q10, 11: _q11,
    12: _q12, 13: _q13, 14: _q14, 15: _q15, 16: _q16, 17: _q17, 18: _q18, 19: _q19, 20: _q20,
    21: _q21, 22: _q22,
}  # fmt: skip


def seeded_parameters(query: int, scale_factor: float, seed: int) -> dict[str, str]:
    """Values drawn by the spec's substitution rules for ``query``, reproducibly from ``seed``.

    The generator is seeded from the text ``f"{seed}:{query}"`` (string seeds are
    hashed with SHA-512 by ``random``), never from ``hash()`` or the global
    generator, so the values do not depend on the process, the platform or which
    other queries are drawn.

    Args:
        query: The query number, 1 to 22.
        scale_factor: The data's scale factor; only Q11's FRACTION depends on it.
        seed: Any integer; equal seeds give equal values.

    Returns:
        A fresh dict from placeholder name to raw value.
    """
    _check(query)
    return _DRAWERS[query](random.Random(f"{seed}:{query}"), scale_factor)


@cache
def template(query: int) -> Template:
    """The query's SQL template (canonical DuckDB dialect), read once from the package."""
    _check(query)
    text = (files(__package__) / "queries" / f"q{query:02d}.sql").read_text(encoding="utf-8")
    return Template(text.strip())


def render(query: int, parameters: dict[str, str]) -> str:
    """The SQL of ``query`` with ``parameters`` substituted.

    Raises:
        KeyError: A placeholder of the template has no value, so no half-rendered
            SQL can reach a database.
    """
    return template(query).substitute(parameters)
