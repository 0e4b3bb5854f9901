"""SSB's shipped reference answers: ``answers/sf<SF>.json.gz`` for SF 0.01, 0.1 and 1.

They are the results of benchbox's 13 query files on the data benchbox derives;
``tools/make_ssb_answers.py`` kept a result only when two independent engines (DuckDB and
DataFusion) returned the same rows in the same order. How results are compared is
``benchbox.benchmarks.answers``.
"""

from __future__ import annotations

from benchbox.benchmarks.answers import Reference, load_answers
from benchbox.benchmarks.datacache import number_label

FORMAT = "benchbox.ssb.answers/1"
"""The answers-file format this module reads (written by ``tools/make_ssb_answers.py``)."""


def load_reference(scale_factor: float, query_id: str) -> Reference | None:
    """The reference answer of ``query_id`` (``Q1.1``) at ``scale_factor``; None when no answers
    ship for that scale factor."""
    answers = load_answers(__package__, f"sf{number_label(scale_factor)}.json.gz", FORMAT)
    return None if answers is None else answers.get(query_id)
