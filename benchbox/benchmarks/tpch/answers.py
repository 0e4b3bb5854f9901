"""TPC-H's shipped reference answers: ``answers/sf<SF>.json.gz`` for SF 0.01, 0.1 and 1.

They are the results of our own templates with the validation parameters on the data
benchbox generates (``tpchgen-cli``); ``tools/make_tpch_answers.py`` wrote them only
after checking them against DuckDB's tpch extension and the spec's samples. How they
are compared is ``benchbox.benchmarks.answers``, with each column's precision rule of
clause 2.1.3.5 (``precision``).
"""

from __future__ import annotations

import dataclasses
from functools import cache

from benchbox.benchmarks.answers import Reference, load_answers
from benchbox.benchmarks.tpch import precision
from benchbox.benchmarks.tpch.data import sf_label

FORMAT = "benchbox.tpch.answers/1"
"""The answers-file format this module reads (written by ``tools/make_tpch_answers.py``)."""


@cache
def load_reference(scale_factor: float, query: int) -> Reference | None:
    """The reference answer of ``query`` with validation parameters at ``scale_factor``, each
    column with its clause 2.1.3.5 tolerance (made once per process).

    Returns:
        None when no answers ship for that scale factor (only 0.01, 0.1 and 1 do),
        so the caller records the query as not validated rather than failed.
    """
    answers = load_answers(__package__, f"sf{sf_label(scale_factor)}.json.gz", FORMAT)
    reference = None if answers is None else answers.get(str(query))
    if reference is None:
        return None
    return dataclasses.replace(reference, tolerances=precision.tolerances(query))
