"""TPC-DS stream orders: Appendix D's Table 11-1, column by column."""

from __future__ import annotations

import pytest

from benchbox.benchmarks.tpcds.streams import ORDERS, stream_order


def test_table_11_1_has_21_permutations_of_the_99_templates() -> None:
    assert len(ORDERS) == 21
    assert all(sorted(order) == list(range(1, 100)) for order in ORDERS)
    assert len(set(ORDERS)) == 21


@pytest.mark.parametrize(
    ("stream", "first", "last"),
    [  # read from the specification: rows SEQ 1-3 and SEQ 97-99 of Table 11-1
        (0, (96, 7, 75), (61, 5, 76)),
        (1, (83, 32, 30), (42, 39, 74)),
        (20, (18, 35, 16), None),
    ],
)
def test_orders_are_the_specs(stream: int, first: tuple[int, ...], last: tuple[int, ...] | None) -> None:
    order = stream_order(stream)
    assert order[:3] == first
    if last is not None:
        assert order[-3:] == last


def test_later_streams_wrap_around_and_negative_ones_are_refused() -> None:
    assert stream_order(21) == stream_order(0) and stream_order(23) == stream_order(2)
    with pytest.raises(ValueError):
        stream_order(-1)
