"""Design studies: Dask against the process pool, resume after a kill, failures, errors, statistics."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, ROOT
from test_cli import run

from semipack.study.point import Outcome
from semipack.study.results import StudyResults, load_results, pareto_front, sensitivity
from semipack.study.runner import DaskExecutor, PoolExecutor, run_study
from semipack.study.sampling import plan
from semipack.study.spec import Objective, study_from_mapping
from semipack.study.store import StudyStore

QFN = str(EXAMPLES / "exposed_sink_qfn.yaml")


def qfn_study(points: int = 50, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": "qfn",
        "base": QFN,
        "parameters": {
            "die_size": {"range": ["2.5 mm", "4.5 mm"]},
            "sink_thickness": {"range": ["0.15 mm", "0.5 mm"]},
            "adhesive_material": {"values": ["silver_epoxy", "thermal_glue"]},
        },
        "sampling": {"method": "lhs", "points": points, "seed": 3},
        # The plate estimate keeps 50 points fast (the FE is the default).
        "analyses": {"package": {}, "warpage": {"method": "clt"}},
        "outputs": ["total_height_m", "warpage_abs_um", "mass_kg"],
        "objectives": [{"minimize": "warpage_abs_um"}, {"minimize": "mass_kg"}],
    }
    doc.update(extra)
    return doc


def points_of(db: Path) -> dict[str, tuple[str, str]]:
    with StudyStore(db, read_only=True) as s:
        return {r[0]: (r[1], r[2]) for r in s.con.execute("SELECT id, status, outputs FROM points").fetchall()}


def test_dask_cluster_matches_the_process_pool(tmp_path: Path) -> None:
    """50 points on a local Dask cluster of 2 workers equal the same 50 on the pool, point for point."""
    study = study_from_mapping(qfn_study())
    pool = PoolExecutor(2)
    try:
        a = run_study(study, tmp_path / "pool.duckdb", "", pool)
    finally:
        pool.close()
    dask = DaskExecutor(workers=2)
    try:
        b = run_study(study, tmp_path / "dask.duckdb", "", dask)
    finally:
        dask.close()
    assert a.planned == b.planned == 50 and a.failed == b.failed == 0
    pa, pb = points_of(tmp_path / "pool.duckdb"), points_of(tmp_path / "dask.duckdb")
    assert len(pa) == 50 and pa == pb
    # The warpage values are physical: a few to tens of micrometres for a 7 mm QFN.
    w = [json.loads(o)["warpage_abs_um"] for _, o in pa.values()]
    assert 0.1 < min(w) < max(w) < 200


def test_a_killed_study_resumes_without_duplicates_or_losses(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump(qfn_study(points=40)))
    db = tmp_path / "s.duckdb"
    cmd = [sys.executable, "-m", "semipack.cli.main", "study", "run", str(spec), "--plain", "--pool", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True)
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        seen += line.startswith("point ")
        if seen >= 12:
            break
    os.killpg(proc.pid, signal.SIGKILL)  # no clean shutdown: the database must hold what was committed
    proc.wait()
    stored = points_of(db)
    assert 12 <= len(stored) < 40
    again = run("study", "run", str(spec), "--plain", "--pool", "2", "--resume")
    assert again.returncode == 0, again.stderr
    assert f"{40 - len(stored)} points run, {len(stored)} already stored" in " ".join(again.stderr.split())
    final = points_of(db)
    assert len(final) == 40 and all(final[k] == v for k, v in stored.items())
    with StudyStore(db, read_only=True) as s:
        ids = [r[0] for r in s.con.execute("SELECT id FROM plan ORDER BY idx").fetchall()]
    assert len(ids) == 40 and set(ids) == set(final)
    # Without --resume an existing database is refused in one line.
    refused = run("study", "run", str(spec))
    assert refused.returncode == 2 and "--resume" in refused.stderr and "Traceback" not in refused.stderr


def test_a_failing_point_is_recorded_and_the_rest_complete(tmp_path: Path) -> None:
    doc = qfn_study()
    doc["parameters"] = {"die_size": {"values": ["2 mm", "3 mm", "6.9 mm", "4 mm"]}}
    doc["sampling"] = {"method": "factorial"}
    pool = PoolExecutor(2)
    try:
        s = run_study(study_from_mapping(doc), tmp_path / "f.duckdb", "", pool)
    finally:
        pool.close()
    assert s.failed == 1 and s.ran == 4
    with StudyStore(tmp_path / "f.duckdb", read_only=True) as st:
        rows = st.rows()
    bad = [r for r in rows if r["status"] == "failed"]
    assert len(bad) == 1 and bad[0]["die_size_text"] == "6.9 mm"
    assert "\n" not in bad[0]["error"] and "die" in bad[0]["error"]
    assert sum(r["status"] == "ok" for r in rows) == 3


def test_a_crashed_worker_is_replaced_and_its_points_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process that dies mid-point (here: os._exit) breaks the pool; the runner
    rebuilds it and the lost points run again (workers are forked, so they see the patch)."""
    import semipack.study.point as point

    marker = tmp_path / "crashed-once"
    real = point.evaluate

    def crash_once(task: Any) -> Outcome:
        if not marker.exists():
            marker.write_text("x")
            os._exit(17)
        return real(task)

    monkeypatch.setattr(point, "evaluate", crash_once)
    pool = PoolExecutor(2)
    try:
        s = run_study(study_from_mapping(qfn_study(points=8)), tmp_path / "c.duckdb", "", pool)
    finally:
        pool.close()
    assert marker.exists() and s.failed == 0
    with StudyStore(tmp_path / "c.duckdb", read_only=True) as st:
        attempts = [r[0] for r in st.con.execute("SELECT attempts FROM points").fetchall()]
    assert len(attempts) == 8 and max(attempts) == 2


MALFORMED = [
    ({"parameters": {"die_size": {"range": ["2 mm", "3 W"]}}}, "parameters.die_size.range"),
    ({"parameters": {"die_size": {"range": ["4 mm", "3 mm"]}}}, "upper end"),
    ({"parameters": {"die_size": {"values": ["2 mm"], "range": ["1 mm", "2 mm"]}}}, "exactly one"),
    ({"outputs": ["theta_ja_c_per_w"]}, "outputs"),
    ({"analyses": ["weather"]}, "analyses"),
    ({"analyses": {"warpage": {"colour": "red"}}}, "analyses.warpage.colour"),
    ({"sampling": {"method": "lhs"}}, "sampling.points"),
    ({"sampling": {"method": "grid", "points": 3}}, "sampling.method"),
    ({"constraints": ["total_height_m << 2"]}, "constraints[0]"),
    ({"objectives": [{"minimize": "cost"}]}, "objectives[0]"),
    ({"base": "nowhere.yaml"}, "base"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("change", "needle"), MALFORMED)
def test_malformed_study_files_get_one_line_errors(tmp_path: Path, change: dict[str, Any], needle: str) -> None:
    doc = qfn_study(points=4)
    doc.update(change)
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(doc))
    p = run("study", "run", str(f), "--plain", "--pool", "1")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    msg = p.stderr.strip()
    assert msg.startswith("error:") or "error" in msg.splitlines()[0]
    assert needle in msg


def test_sobol_indices_of_the_ishigami_function() -> None:
    """Saltelli's plan and estimators recover the Ishigami function's analytic indices.

    f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3: S1 = (0.314, 0.442, 0),
    ST = (0.558, 0.442, 0.244) (Ishigami & Homma 1990; Saltelli et al. 2010).
    """
    doc = {
        "name": "ishigami",
        "base": {"family": "stack"},
        "parameters": {f"x{i}": {"range": [-math.pi, math.pi]} for i in (1, 2, 3)},
        "sampling": {"method": "saltelli", "points": 4096, "seed": 1},
        "analyses": ["package"],
        "outputs": ["mass_kg"],
    }
    study = study_from_mapping(doc)
    rows = []
    for i, pp in enumerate(plan(study)):
        x1, x2, x3 = (float(pp.inputs[f"x{k}"]) for k in (1, 2, 3))
        f = math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
        rows.append({"idx": i, "id": str(i), "block": pp.block, "row_in_block": pp.row, "status": "ok", "mass_kg": f})
    res = StudyResults("ishigami", ("x1", "x2", "x3"), ("mass_kg",), (), (), tuple(rows), "")
    sens = sensitivity(res)
    assert sens.method == "sobol"
    got = sens.values["mass_kg"]
    for p, s1, st in (("x1", 0.314, 0.558), ("x2", 0.442, 0.442), ("x3", 0.0, 0.244)):
        assert got[p][0] == pytest.approx(s1, abs=0.04)
        assert got[p][1] == pytest.approx(st, abs=0.04)


def test_pareto_front_against_brute_force() -> None:
    rng = np.random.default_rng(0)
    v = rng.random((300, 2))
    mask = pareto_front(v)
    brute = [not any(np.all(v[j] <= v[i]) and np.any(v[j] < v[i]) for j in range(len(v))) for i in range(len(v))]
    assert mask.tolist() == brute and 3 <= mask.sum() < 30


def test_optimiser_improves_on_its_initial_sample(tmp_path: Path) -> None:
    doc = qfn_study(points=6)
    doc["parameters"] = {"sink_thickness": {"range": ["0.1 mm", "0.6 mm"]}, "die_size": {"range": ["2.5 mm", "4.5 mm"]}}
    doc["objectives"] = [{"minimize": "warpage_abs_um"}]
    doc["optimiser"] = {"method": "rbf", "iterations": 3, "batch": 3}
    pool = PoolExecutor(2)
    try:
        s = run_study(study_from_mapping(doc), tmp_path / "o.duckdb", yaml.safe_dump(doc), pool)
    finally:
        pool.close()
    assert s.failed == 0
    res = load_results(tmp_path / "o.duckdb")
    assert res.objectives == (Objective("warpage_abs_um", 1),)
    initial = [r["warpage_abs_um"] for r in res.rows if r["block"] == ""]
    proposed = [r["warpage_abs_um"] for r in res.rows if r["block"].startswith("opt")]
    assert len(initial) == 6 and len(proposed) == 9
    assert min(proposed) <= min(initial)


def test_show_and_parquet_export(tmp_path: Path) -> None:
    doc = qfn_study(points=8)
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump(doc))
    assert run("study", "run", str(spec), "--plain", "--pool", "2").returncode == 0
    db = tmp_path / "s.duckdb"
    shown = run("study", "show", str(db), "--json", "--html", str(tmp_path / "s.html"))
    assert shown.returncode == 0, shown.stderr
    doc_out = json.loads(shown.stdout)
    assert doc_out["finished"] == 8 and doc_out["ok"] == 8 and doc_out["pareto_front"]
    page = (tmp_path / "s.html").read_text()
    assert "<svg" in page and "Pareto front" in page and "<!DOCTYPE svg" not in page
    out = tmp_path / "r.parquet"
    assert run("study", "export", str(db), "--parquet", str(out)).returncode == 0
    import duckdb

    ((n, cols),) = duckdb.connect().execute(f"SELECT count(*), count(warpage_abs_um) FROM '{out}'").fetchall()
    assert n == cols == 8
    bad = run("study", "export", str(db), "--parquet", str(tmp_path / "r.csv"))
    assert bad.returncode == 2 and not (tmp_path / "r.csv").exists()
    bad = run("study", "show", str(tmp_path / "none.duckdb"))
    assert bad.returncode == 2 and "DB" in bad.stderr
