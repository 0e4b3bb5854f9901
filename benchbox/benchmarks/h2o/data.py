"""H2O data: falsa's generators (the db-benchmark's data rules, in Rust), called through its Python
API batch by batch and written as Parquet, with three corrections benchbox makes on its side
(``FIXES``, in the manifest; docs/benchmarks/h2o.md):

1. the join task's left table ``x`` has ``rows`` rows: falsa 0.0.6's ``join`` command passes the
   small table's row count (and its arguments shifted by one place) to the left table's
   generator, so ``x`` came out with ``rows / 1e6`` rows;
2. the groupby table's ``id2`` has ``k`` levels (``id001``...): falsa draws it from ``rows / k``
   levels like ``id3``, where the db-benchmark's generator draws ``id2`` from ``k`` like ``id1``;
   benchbox maps falsa's level ``n`` to ``(n - 1) mod k + 1``, uniform again when ``k`` divides
   ``rows / k``;
3. with ``na_percent > 0`` the measures ``v1``, ``v2``, ``v3`` get that share of NULLs too, as the
   db-benchmark's generator gives them; falsa puts NULLs into the ids only;
4. below 1e7 rows, the join's key split rounds the small table's shared keys to none
   (``_AtLeastOneSharedKey``).

Nothing is downloaded; the same settings give the same bytes (falsa seeds every batch from
``seed``; benchbox's NULL positions come from a NumPy generator seeded from it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchbox.benchmarks.base import DataSize
from benchbox.benchmarks.datacache import Generated, Notify
from benchbox.benchmarks.h2o.schema import GROUPBY, JOIN
from benchbox.benchmarks.schema import Table
from benchbox.errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa

GENERATOR = "falsa"
FIXES = "1"
"""The version of benchbox's corrections (the module docstring), in the manifest: raise it when they
change what is written."""
BATCH = 1_000_000
"""Rows per generated batch: what generation holds in memory at once."""
JOIN_DIVISORS = {"x": 1, "small": 1_000_000, "medium": 1_000, "big": 1}
"""Each join table's rows are ``rows // divisor`` (the db-benchmark's sizes)."""
_I64_MAX = 9_223_372_036_854_775_806

# Measured with DuckDB 1.x/pyarrow at 1e6 and 1e7 rows (zstd Parquet; tables in DuckDB memory).
FILES = {"groupby": 30.0, "join": 60.0}
"""Parquet bytes per row of ``rows``."""
MEMORY = {"groupby": 80.0, "join": 170.0}
"""In-memory bytes per row of ``rows`` (DuckDB's in-memory tables)."""


def generate(
    task: str, rows: int, k: int, na_percent: int, seed: int, staging: Path, notify: Notify
) -> Generated:
    """The task's tables into ``staging``, one Parquet file each."""
    from importlib.metadata import version

    try:
        from falsa import local_fs
    except ImportError as exc:
        raise DataError(
            f"falsa is not installed: run `pip install falsa` (a benchbox dependency): {exc}"
        ) from exc
    if task == "groupby":
        tables, batches = GROUPBY, {"x": _groupby(local_fs, rows, k, na_percent, seed)}
    else:
        tables, batches = JOIN, _join(local_fs, rows, seed)
    files = {}
    for table in tables:
        target = staging / f"{table.name}.parquet"
        count = rows // JOIN_DIVISORS.get(table.name, 1)
        notify(f"generating H2O {task} table {table.name} ({count:,} rows, falsa)")
        _write(table, batches[table.name], target)
        files[table.name] = [target]
    return Generated(
        files=files,
        generator={"name": f"{GENERATOR} + benchbox fixes", "version": f"{version(GENERATOR)}+{FIXES}"},
        facts={
            "task": task,
            "rows": rows,
            "k": k,
            "na_percent": na_percent,
            "seed": seed,
            "data_format": "parquet",
        },
    )


def _write(table: Table, batches: Iterator[pa.RecordBatch], target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = table.arrow_schema()
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_table(pa.Table.from_batches([batch]).cast(schema))


def _groupby(local_fs: Any, rows: int, k: int, na_percent: int, seed: int) -> Iterator[pa.RecordBatch]:
    """The groupby table's batches, corrected (fixes 2 and 3)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    generator = local_fs.GroupByGenerator(rows, k, na_percent, seed, min(BATCH, rows))
    levels = pa.array([f"id{n:03d}" for n in range(1, k + 1)])
    nulls = np.random.default_rng([seed, na_percent])
    for batch in generator.iter_batches():
        columns = {name: batch.column(name) for name in batch.schema.names}
        id2 = columns["id2"]
        falsa_level = pc.cast(pc.utf8_slice_codeunits(pc.fill_null(id2, "id1"), 2), pa.int64()).to_numpy()
        index = pa.array((falsa_level - 1) % k, mask=pc.is_null(id2).to_numpy(zero_copy_only=False))
        columns["id2"] = levels.take(index)
        if na_percent:
            for name in ("v1", "v2", "v3"):
                mask = nulls.random(batch.num_rows) < na_percent / 100
                column = columns[name]
                columns[name] = pc.if_else(pa.array(mask), pa.nulls(len(column), column.type), column)
        yield pa.RecordBatch.from_arrays(list(columns.values()), names=list(columns))


def _join(local_fs: Any, rows: int, seed: int) -> dict[str, Iterator[pa.RecordBatch]]:
    """The four join tables' batches, each from falsa's generator with its own row count (fix 1)."""
    chooser = random.Random(seed)  # as falsa's join command derives its two seeds
    keys_seed, generation_seed = chooser.randint(0, _I64_MAX), chooser.randint(0, _I64_MAX)
    made = {}
    for name, cls in (
        ("x", local_fs.JoinLHSGenerator),
        ("small", local_fs.JoinSmallGenerator),
        ("medium", local_fs.JoinMediumGenerator),
        ("big", local_fs.JoinBigGenerator),
    ):
        count = rows // JOIN_DIVISORS[name]
        made[name] = _lazy(cls, rows, count, generation_seed, keys_seed)
    return made


class _AtLeastOneSharedKey:
    """Fix 4, mixed into falsa's join generators: below 1e7 rows the small table's key space (of
    ``rows / 1e6`` keys) splits into 90 % shared with ``x``, 10 % only in ``x`` and 10 % only in
    ``small``, which rounds to no shared key and no key at all for its one row at 1e6 (falsa then
    fails). There the first key is made the shared one, as rounding the 90 % share up would."""

    def generate_keys(self, nn: int) -> dict[str, Any]:
        keys = super().generate_keys(nn)  # type: ignore[misc]
        if nn and not len(keys["x"]):
            import numpy as np

            spare = np.concatenate([keys["l"], keys["r"]])
            return {"x": spare[:1], "l": keys["l"][1:], "r": keys["r"][max(0, 1 - len(keys["l"])) :]}
        return keys


def _lazy(cls: Any, rows: int, count: int, seed: int, keys_seed: int) -> Iterator[pa.RecordBatch]:
    """A generator's batches, made only when the table is written (each holds its keys in memory)."""
    cls = type(cls.__name__, (_AtLeastOneSharedKey, cls), {})
    generator = cls(
        size=rows, n_rows=count, k=10, nas=0, seed=seed, keys_seed=keys_seed, batch_size=min(BATCH, count)
    )
    yield from generator.iter_batches()


ANSWER_BYTES = {"G10": 330.0, "J": 850.0}
"""Bytes benchbox's process holds per row of ``rows`` while it fetches the million-row answers:
G10 (about one group per row) and the joins (about 0.9 rows per row, 13-14 columns), measured
with DuckDB at 1e6 rows (RSS growth while fetching: 302 and 835 bytes per answer row)."""
SMALL_ANSWER_BYTES = 400.0
"""Per answer row of the other questions, whose answers have at most ``2 rows / k`` rows (G8)."""


def estimated_bytes(task: str, rows: int, k: int, questions: tuple[str, ...]) -> DataSize:
    """What the task's data takes on disk and in memory, linear in ``rows`` (``FILES``, ``MEMORY``),
    and its largest selected answer while fetched (``ANSWER_BYTES``)."""
    answer = max(ANSWER_BYTES.get(q, ANSWER_BYTES.get(q[0], SMALL_ANSWER_BYTES * 2 / k)) for q in questions)
    return DataSize(
        round(FILES[task] * rows), round(MEMORY[task] * rows), "benchmark.rows", round(answer * rows)
    )
