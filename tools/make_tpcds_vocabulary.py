"""Maintainer script: write benchbox/benchmarks/tpcds/vocabulary.json from tpcgen's SF 1 data.

The seeded substitution rules of the TPC-DS templates draw data values (colours, counties,
categories, ...) from the domains the generator uses; those domains are read here from the
generated data itself, so no distribution file of the TPC kit is needed. Run it with the
folder of ``tpcgen-cli tpcds parquet -s 1`` output::

    python tools/make_tpcds_vocabulary.py /path/to/sf1
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

LISTS = {
    "states": ("customer_address", "ca_state"),
    "counties": ("customer_address", "ca_county"),
    "cities": ("customer_address", "ca_city"),
    "store_states": ("store", "s_state"),
    "store_counties": ("store", "s_county"),
    "store_cities": ("store", "s_city"),
    "store_names": ("store", "s_store_name"),
    "call_center_counties": ("call_center", "cc_county"),
    "categories": ("item", "i_category"),
    "colors": ("item", "i_color"),
    "sizes": ("item", "i_size"),
    "units": ("item", "i_units"),
    "education": ("customer_demographics", "cd_education_status"),
    "marital_status": ("customer_demographics", "cd_marital_status"),
    "gender": ("customer_demographics", "cd_gender"),
    "return_reasons": ("reason", "r_reason_desc"),
    "ship_mode_carriers": ("ship_mode", "sm_carrier"),
    "ship_mode_types": ("ship_mode", "sm_type"),
    "buy_potentials": ("household_demographics", "hd_buy_potential"),
    "gmt_offsets": ("customer_address", "ca_gmt_offset"),
}
"""Vocabulary name -> the (table, column) whose distinct non-null values it lists."""

GROUPED = {
    "category_classes": ("item", "i_category", "i_class"),
    "state_counties": ("customer_address", "ca_state", "ca_county"),
}
"""Vocabulary name -> (table, key column, value column): the values under each key."""


def main(folder: Path) -> None:
    con = duckdb.connect()
    for path in sorted(folder.glob("*.parquet")):
        con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet('{path}')")
    out: dict[str, object] = {}
    for name, (table, column) in LISTS.items():
        rows = con.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1")
        out[name] = [float(v) if not isinstance(v, (str, int)) else v for (v,) in rows.fetchall()]
    for name, (table, key, value) in GROUPED.items():
        rows = con.execute(
            f"SELECT {key}, list(DISTINCT {value} ORDER BY {value}) FROM {table} "
            f"WHERE {key} IS NOT NULL AND {value} IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
        out[name] = {k: v for k, v in rows}
    target = Path(__file__).parents[1] / "benchbox" / "benchmarks" / "tpcds" / "vocabulary.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {target}: {', '.join(f'{k} ({len(v)})' for k, v in out.items())}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
