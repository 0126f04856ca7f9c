"""``semipack families``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from semipack.families import all_families


def families() -> None:
    table = Table(title="semipack families")
    for col in ("name", "seed", "architecture", "parameters"):
        table.add_column(col)
    import dataclasses

    for f in all_families():
        table.add_row(f.name, f.seed, f.title, str(len(dataclasses.fields(f.params))))
    Console().print(table)
