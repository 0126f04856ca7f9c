"""Reading a finished study: summary statistics, best points, Pareto front, sensitivities.

References
----------
Deb et al. (2002), "A fast and elitist multiobjective genetic algorithm: NSGA-II",
IEEE Trans. Evol. Comput. 6(2): non-domination.
Saltelli et al. (2010), Comput. Phys. Commun. 181(2), 259-270: first-order estimator
(their eq. b) and Jansen's total-effect estimator (their table 2, f).
Spearman (1904): rank correlation, used when the plan was not sampled for Sobol indices.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from semipack.study.spec import Constraint, Objective
from semipack.study.store import StudyStore


@dataclass(frozen=True)
class StudyResults:
    name: str
    parameters: tuple[str, ...]
    outputs: tuple[str, ...]
    objectives: tuple[Objective, ...]
    constraints: tuple[Constraint, ...]
    rows: tuple[dict[str, Any], ...]  # results view, plan order (duplicates of one id repeat)
    version: str

    @property
    def ok(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] == "ok"]

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] == "failed"]

    def feasible(self) -> list[dict[str, Any]]:
        return [r for r in self.ok if all(c.holds(r.get(c.key)) for c in self.constraints)]


def load_results(db: Path) -> StudyResults:
    """Open a study database read-only and gather its rows and goals."""
    with StudyStore(db, read_only=True) as store:
        meta = store.meta()
        rows = tuple(store.rows())
    return StudyResults(
        name=meta["name"],
        parameters=tuple(json.loads(meta["parameters"])),
        outputs=tuple(json.loads(meta["outputs"])),
        objectives=tuple(Objective(k, int(s)) for k, s in json.loads(meta["objectives"])),
        constraints=tuple(Constraint(k, op, float(v)) for k, op, v in json.loads(meta["constraints"])),
        rows=rows,
        version=meta.get("version", ""),
    )


def column_stats(res: StudyResults) -> dict[str, dict[str, float]]:
    """min, median, max and count of each output over the finished points."""
    out = {}
    for k in res.outputs:
        v = np.array([r[k] for r in res.ok if r.get(k) is not None], dtype=float)
        if len(v):
            out[k] = {"min": float(v.min()), "median": float(np.median(v)), "max": float(v.max()), "n": float(len(v))}
    return out


def pareto_front(values: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Mask of the non-dominated rows of ``values`` (every column minimised)."""
    n = len(values)
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        if not keep[i]:
            continue
        dominated = np.all(values <= values[i], axis=1) & np.any(values < values[i], axis=1)
        if dominated.any():
            keep[i] = False
    return keep


def front(res: StudyResults) -> list[dict[str, Any]]:
    """The feasible points on the Pareto front of the study's objectives (unique ids)."""
    rows = {r["id"]: r for r in res.feasible() if all(r.get(o.key) is not None for o in res.objectives)}
    pts = list(rows.values())
    if not pts or not res.objectives:
        return []
    v = np.array([[r[o.key] * o.sense for o in res.objectives] for r in pts], dtype=float)
    mask = pareto_front(v)
    return sorted(
        (p for p, m in zip(pts, mask, strict=True) if m),
        key=lambda r: r[res.objectives[0].key] * res.objectives[0].sense,
    )


def best(res: StudyResults) -> dict[str, dict[str, Any]]:
    """The best feasible point for each objective."""
    out = {}
    for o in res.objectives:
        cand = [r for r in res.feasible() if r.get(o.key) is not None]
        if cand:
            out[o.key] = min(cand, key=lambda r: float(r[o.key]) * o.sense)
    return out


@dataclass(frozen=True)
class Sensitivity:
    method: str  # "sobol" or "spearman"
    values: dict[str, dict[str, tuple[float, float]]]  # output -> input -> (S1, ST) or (rho, p)


def sensitivity(res: StudyResults) -> Sensitivity:
    """Sobol indices when the plan has Saltelli blocks, else Spearman rank correlations."""
    blocks = {r["block"] for r in res.rows}
    d = len(res.parameters)
    if {"A", "B"} <= blocks and all(f"AB{i}" in blocks for i in range(d)):
        return Sensitivity("sobol", _sobol(res))
    out: dict[str, dict[str, tuple[float, float]]] = {}
    ok = {r["id"]: r for r in res.ok}.values()
    for k in res.outputs:
        out[k] = {}
        for p in res.parameters:
            pairs = [(r[p], r[k]) for r in ok if r.get(p) is not None and r.get(k) is not None]
            if len(pairs) < 3 or len({a for a, _ in pairs}) < 2 or len({b for _, b in pairs}) < 2:
                continue
            rho, pval = stats.spearmanr(*zip(*pairs, strict=True))
            out[k][p] = (float(rho), float(pval))
    return Sensitivity("spearman", out)


def _sobol(res: StudyResults) -> dict[str, dict[str, tuple[float, float]]]:
    out: dict[str, dict[str, tuple[float, float]]] = {}
    by = {(r["block"], r["row_in_block"]): r for r in res.rows}
    n = 1 + max(r["row_in_block"] for r in res.rows if r["block"] == "A")
    for k in res.outputs:

        def col(block: str, k: str = k) -> NDArray[np.float64]:
            return np.array([by[(block, j)].get(k) if (block, j) in by else None for j in range(n)], dtype=float)

        fa, fb = col("A"), col("B")
        out[k] = {}
        for i, p in enumerate(res.parameters):
            fab = col(f"AB{i}")
            ok = np.isfinite(fa) & np.isfinite(fb) & np.isfinite(fab)
            if ok.sum() < 4:
                continue
            var = np.var(np.concatenate([fa[ok], fb[ok]]))
            if var <= 0:
                out[k][p] = (0.0, 0.0)
                continue
            s1 = float(np.mean(fb[ok] * (fab[ok] - fa[ok])) / var)
            st = float(0.5 * np.mean((fa[ok] - fab[ok]) ** 2) / var)
            out[k][p] = (s1, st)
    return out


def summary_json(res: StudyResults) -> dict[str, Any]:
    """Everything ``study show --json`` prints."""
    sens = sensitivity(res)
    unique = {r["id"]: r for r in res.rows if r["status"] is not None}

    def clean(r: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if k in (*res.parameters, *res.outputs, "id", "idx") or k.endswith("_text")}

    return {
        "name": res.name,
        "semipack_version": res.version,
        "planned": len(res.rows),
        "finished": len(unique),
        "ok": sum(1 for r in unique.values() if r["status"] == "ok"),
        "failed": sum(1 for r in unique.values() if r["status"] == "failed"),
        "errors": sorted({r["error"] for r in unique.values() if r["error"]}),
        "outputs": column_stats(res),
        "best": {k: clean(v) for k, v in best(res).items()},
        "pareto_front": [clean(r) for r in front(res)],
        "sensitivity": {
            "method": sens.method,
            "values": {k: {p: list(v) for p, v in d.items()} for k, d in sens.values.items()},
        },
    }


def input_text(row: dict[str, Any], name: str) -> str:
    """An input as shown to people: its SI value to 4 digits with its unit, or its text (a material key)."""
    text = row.get(name + "_text")
    si = row.get(name)
    if isinstance(text, str) and " " in text and isinstance(si, int | float) and math.isfinite(si):
        return f"{si:.4g} {text.split(' ', 1)[1]}"
    return str(text)
