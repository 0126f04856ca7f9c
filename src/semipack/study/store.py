"""The study database: one DuckDB file beside the study, written point by point.

Tables
------
``meta``     name, fingerprint, the study file's text, semipack version, created.
``plan``     every planned point in order (``idx``), its id, Saltelli block and row, inputs.
``points``   one row per finished point id: status (``ok`` or ``failed``), the one-line
             error, inputs, outputs (JSON), seconds, worker, attempts, semipack version,
             finish time. Each is written in its own transaction as it arrives, so a
             killed study keeps every point it finished.
``results``  a view: plan joined with points, one column per input and per output.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from semipack.errors import DesignError
from semipack.study.point import Outcome
from semipack.study.spec import Study, parse_any_quantity


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - part of the default install
        raise DesignError("study", "duckdb", "studies need duckdb: pip install 'semipack[study]'") from None
    return duckdb


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _si(v: Any) -> float | None:
    try:
        return parse_any_quantity(v, "input")[0]
    except DesignError:
        return None


class StudyStore:
    """An open study database (use as a context manager)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        duckdb = _duckdb()
        self.path = Path(path)
        if self.path.is_dir():
            raise DesignError(str(self.path), str(self.path), "is a directory; name a database file (.duckdb)")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DesignError(str(self.path), str(self.path), f"cannot be opened as a study database ({first})") from None

    def __enter__(self) -> StudyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -------------------------------------------------------------- writing

    def create(self, study: Study, text: str, version: str) -> None:
        """Set up a new database for ``study`` (tables, meta, the results view)."""
        c = self.con
        c.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        c.execute(
            "CREATE TABLE plan (idx INTEGER PRIMARY KEY, id VARCHAR NOT NULL, block VARCHAR, row_in_block INTEGER, "
            "inputs JSON, inputs_si JSON)"
        )
        c.execute(
            "CREATE TABLE points (id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, error VARCHAR, inputs JSON, "
            "outputs JSON, seconds DOUBLE, worker VARCHAR, attempts INTEGER, version VARCHAR, finished TIMESTAMP)"
        )
        meta = {
            "name": study.name,
            "fingerprint": study.fingerprint,
            "study": text,
            "version": version,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "outputs": json.dumps(list(study.outputs)),
            "parameters": json.dumps([p.name for p in study.parameters]),
            "objectives": json.dumps([[o.key, o.sense] for o in study.objectives]),
            "constraints": json.dumps([[c.key, c.op, c.limit] for c in study.constraints]),
        }
        c.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        cols = ["plan.idx", "plan.block", "plan.row_in_block", "plan.id", "points.status", "points.error"]
        for p in study.parameters:
            cols.append(f"CAST(json_extract(plan.inputs_si, {_lit('$.' + _jp(p.name))}) AS DOUBLE) AS {_q(p.name)}")
            cols.append(f"json_extract_string(plan.inputs, {_lit('$.' + _jp(p.name))}) AS {_q(p.name + '_text')}")
        for o in study.outputs:
            cols.append(f"CAST(json_extract(points.outputs, {_lit('$.' + _jp(o))}) AS DOUBLE) AS {_q(o)}")
        cols += ["points.seconds", "points.worker", "points.version"]
        c.execute(
            f"CREATE VIEW results AS SELECT {', '.join(cols)} FROM plan LEFT JOIN points ON plan.id = points.id ORDER BY plan.idx"
        )

    def meta(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT key, value FROM meta").fetchall())

    def add_plan(self, rows: Iterable[tuple[int, str, str, int, dict[str, Any]]]) -> None:
        """Append planned points: (idx, id, block, row, inputs)."""
        data = [
            (i, pid, block, row, json.dumps(inputs, default=str), json.dumps({k: _si(v) for k, v in inputs.items()}))
            for i, pid, block, row, inputs in rows
        ]
        if data:
            self.con.execute("BEGIN TRANSACTION")
            self.con.executemany("INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?)", data)
            self.con.execute("COMMIT")

    def plan_size(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM plan").fetchone()[0])

    def record(self, outcome: Outcome, inputs: dict[str, Any], attempts: int, version: str) -> None:
        """Store one finished point, in its own transaction."""
        outputs = {
            k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in outcome.outputs.items()
        }
        self.con.execute("BEGIN TRANSACTION")
        self.con.execute(
            "INSERT OR REPLACE INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            [
                outcome.id,
                "ok" if outcome.ok else "failed",
                outcome.error or None,
                json.dumps(inputs, default=str),
                json.dumps(outputs),
                outcome.seconds,
                outcome.worker,
                attempts,
                version,
            ],
        )
        self.con.execute("COMMIT")

    # -------------------------------------------------------------- reading

    def finished_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT id FROM points").fetchall()}

    def rows(self) -> list[dict[str, Any]]:
        """The results view as dicts, in plan order."""
        cur = self.con.execute("SELECT * FROM results")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def export_parquet(self, out: Path) -> None:
        self.con.execute(f"COPY (SELECT * FROM results) TO {_lit(str(out))} (FORMAT PARQUET)")


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _jp(name: str) -> str:
    # JSON path keys with dots or quotes are written quoted.
    return '"' + name.replace('"', '\\"') + '"' if not name.isidentifier() else name
