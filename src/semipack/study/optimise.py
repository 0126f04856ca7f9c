"""The optimiser mode: propose new points from the results so far with an RBF surrogate.

Each round fits a radial-basis-function surrogate (thin-plate spline, scipy's
`RBFInterpolator`) to the finished points' objective, in the unit cube of the
parameters, and picks a batch from a Sobol' candidate set by the weighted score of
Regis & Shoemaker: a weight ``w`` on the surrogate's prediction and ``1 - w`` on the
distance to points already run, with ``w`` cycling from exploring to exploiting.
Several objectives are scalarised as the sum of their values scaled to [0, 1] over
the points so far; points that break a constraint count as the worst value seen.

Why this and not a Bayesian optimiser from PyPI: it needs nothing beyond scipy, it
proposes whole batches (one per round, evaluated in parallel on the pool or Dask), it
copes with the few dozen points a thermal study affords, and it is deterministic for
a given seed, which keeps a resumed study on the same path.

References
----------
Regis & Shoemaker (2007), "A stochastic radial basis function method for the global
optimization of expensive functions", INFORMS J. Comput. 19(4), 497-509.
Gutmann (2001), "A radial basis function method for global optimization",
J. Global Optim. 19, 201-227.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import RBFInterpolator

from semipack.study.runner import Executor, Progress, RunSummary, execute, tasks_for
from semipack.study.sampling import PlannedPoint, cube, unit_coordinate, value_at
from semipack.study.spec import Sampling, Study
from semipack.study.store import StudyStore

WEIGHTS = (0.3, 0.5, 0.8, 0.95)


def scalarised(study: Study, rows: list[dict[str, object]]) -> NDArray[np.float64]:
    """One objective value per row (lower is better); NaN where the point failed."""
    cols = []
    for ob in study.objectives:
        v = np.array([np.nan if r.get(ob.key) is None else float(r[ob.key]) * ob.sense for r in rows])  # type: ignore[arg-type]
        lo, hi = np.nanmin(v), np.nanmax(v)
        cols.append((v - lo) / (hi - lo) if hi > lo else np.zeros_like(v))
    f = np.sum(cols, axis=0)
    bad = np.array([not all(c.holds(r.get(c.key)) for c in study.constraints) for r in rows])  # type: ignore[arg-type]
    if bad.any() and np.isfinite(f).any():
        f[bad & np.isfinite(f)] = np.nanmax(f) + 1.0
    return np.asarray(f)


def propose(study: Study, x: NDArray[np.float64], f: NDArray[np.float64], n: int, round_no: int) -> NDArray[np.float64]:
    """``n`` new unit-cube points from the surrogate of ``f`` at ``x``."""
    ok = np.isfinite(f)
    x, f = x[ok], f[ok]
    d = x.shape[1]
    cand = cube(Sampling.SOBOL, max(256, 100 * d), d, study.seed + 1000 + round_no)
    if len(x) > d + 1:
        # Perturbations of the best point too, as Regis & Shoemaker's local candidates.
        rng = np.random.default_rng(study.seed + round_no)
        best = x[np.argmin(f)]
        local = np.clip(best + rng.normal(0, 0.1, size=(len(cand), d)), 0, 1 - 1e-9)
        cand = np.vstack([cand, local])
        s = RBFInterpolator(x, f, kernel="thin_plate_spline", degree=1, smoothing=1e-9)(cand)
    else:
        s = np.zeros(len(cand))
    chosen: list[NDArray[np.float64]] = []
    seen = x.copy()
    for k in range(n):
        dist = np.min(np.linalg.norm(cand[:, None, :] - seen[None, :, :], axis=2), axis=1)
        w = WEIGHTS[(round_no * n + k) % len(WEIGHTS)]
        vs = (s - s.min()) / (np.ptp(s) or 1.0)
        vd = (dist.max() - dist) / (np.ptp(dist) or 1.0)
        score = w * vs + (1 - w) * vd
        score[dist < 1e-6] = np.inf
        i = int(np.argmin(score))
        chosen.append(cand[i])
        seen = np.vstack([seen, cand[i]])
    return np.array(chosen)


def optimise(
    study: Study,
    store: StudyStore,
    executor: Executor,
    summary: RunSummary,
    on_progress: Callable[[Progress], None] | None = None,
) -> RunSummary:
    """Run the optimiser's rounds (each resumes from what the store holds)."""
    assert study.optimiser is not None
    rounds, batch = study.optimiser
    ps = study.parameters
    total = summary
    for r in range(rounds):
        block = f"opt{r}"
        rows = store.rows()
        have = [row for row in rows if row["block"] == block]
        if have:
            tasks = tasks_for(
                study, [PlannedPoint(_inputs(store, row["idx"]), block, row["row_in_block"]) for row in have]
            )
        else:
            done = [row for row in rows if row["status"] in ("ok", "failed")]
            x = np.array([[unit_coordinate(p, _inputs(store, row["idx"])[p.name]) for p in ps] for row in done])
            new = propose(study, x, scalarised(study, done), batch, r)
            tasks = tasks_for(
                study,
                [
                    PlannedPoint({p.name: value_at(p, float(u[j])) for j, p in enumerate(ps)}, block, k)
                    for k, u in enumerate(new)
                ],
            )
            start = store.plan_size()
            store.add_plan((start + k, pid, block, k, pp.inputs) for k, (pp, pid, _) in enumerate(tasks))
        s = execute(study, store, executor, tasks, on_progress)
        total = RunSummary(
            planned=total.planned + s.planned,
            ran=total.ran + s.ran,
            skipped=total.skipped + s.skipped,
            failed=total.failed + s.failed,
            seconds=total.seconds + s.seconds,
            compute_s=total.compute_s + s.compute_s,
            workers=total.workers,
        )
    return total


def _inputs(store: StudyStore, idx: object) -> dict[str, object]:
    import json

    row = store.con.execute("SELECT inputs FROM plan WHERE idx = ?", [idx]).fetchone()
    return dict(json.loads(row[0]))
