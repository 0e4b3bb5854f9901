"""Query stream order (Appendix A) and per-stream parameter seeds (clause 2.1.3.3)."""

from __future__ import annotations

import pytest

from benchbox.benchmarks.tpch import TPCH, Config, parameters
from benchbox.benchmarks.tpch.streams import PERMUTATIONS, stream_order, stream_seed


def test_rows_taken_from_the_spec() -> None:
    # TPC-H 2.17.1 Appendix A, rows 0 (power test), 1 and 40.
    assert stream_order(0) == (14, 2, 9, 20, 6, 17, 18, 8, 21, 13, 3, 22, 16, 4, 11, 15, 1, 10, 19, 5, 7, 12)
    assert stream_order(1) == (21, 3, 18, 5, 11, 7, 6, 20, 17, 12, 16, 15, 13, 10, 2, 8, 14, 19, 9, 22, 1, 4)
    assert stream_order(40) == (13, 15, 17, 1, 22, 11, 3, 4, 7, 20, 14, 21, 9, 8, 2, 18, 16, 6, 10, 12, 5, 19)


def test_every_row_is_a_distinct_permutation_and_streams_wrap_around() -> None:
    assert len(PERMUTATIONS) == 41
    assert all(sorted(row) == list(range(1, 23)) for row in PERMUTATIONS)
    assert len(set(PERMUTATIONS)) == 41
    assert stream_order(41) == stream_order(0) and stream_order(43) == stream_order(2)


def test_stream_seeds_are_seed0_plus_the_stream_number() -> None:
    # Clause 2.1.3.3: seed0 seeds the power test, seed0 + 1 ... seed0 + S the throughput streams
    # (a hash of seed and stream, as before, gave stream 1 of seed 7 some other number).
    assert [stream_seed(7, s) for s in range(4)] == [7, 8, 9, 10]
    seed0 = 304051010  # the end of a load at 03-04 05:10:10, as mmddhhmmss
    assert [stream_seed(seed0, s) for s in (0, 1, 5)] == [seed0, seed0 + 1, seed0 + 5]
    with pytest.raises(ValueError):
        stream_seed(7, -1)


def test_each_stream_draws_its_parameters_from_its_seed() -> None:
    config = Config(scale_factor=0.01, parameters="seeded", seed=100, queries=(3, 6, 10))
    tpch = TPCH(config)
    for stream in (0, 1, 2):
        for query in tpch.queries(stream):
            number = int(query.id[1:])
            drawn = parameters.seeded_parameters(number, 0.01, 100 + stream)
            assert query.sql == parameters.render(number, drawn), (stream, query.id)
    # Each stream still draws its own values.
    assert len({q.sql for s in (1, 2, 3) for q in tpch.queries(s) if q.id == "Q6"}) == 3
