"""Query stream order (Appendix A) and per-stream parameter seeds."""

from __future__ import annotations

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


def test_each_stream_has_its_own_reproducible_seed() -> None:
    assert stream_seed(7, 0) == 7
    seeds = {stream_seed(seed, stream) for seed in range(20) for stream in range(1, 12)}
    assert len(seeds) == 20 * 11
    assert stream_seed(3, 2) == stream_seed(3, 2)
