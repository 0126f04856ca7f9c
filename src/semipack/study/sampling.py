"""The study's plan: which points to run, from the sampling method and the parameters.

Continuous parameters are sampled in the unit cube and mapped to their ranges
(linear or logarithmic) or through their distribution's inverse CDF; discrete
``values`` take the cell of the cube coordinate. Factorial sampling takes every value
and ``steps`` evenly spaced points of each range.

References
----------
McKay, Beckman & Conover (1979), "A comparison of three methods for selecting values of
input variables in the analysis of output from a computer code", Technometrics 21(2).
Sobol' (1967), "On the distribution of points in a cube and the approximate evaluation
of integrals", USSR Comput. Math. Math. Phys. 7(4); scrambled per Owen (1998).
Saltelli et al. (2010), "Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index", Comput. Phys. Commun. 181(2): the A, B and
A_B^i matrices.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats
from scipy.stats import qmc

from semipack.study.spec import Kind, Parameter, Sampling, Study


@dataclass(frozen=True)
class PlannedPoint:
    """One row of the plan: its inputs (as the design file takes them) and, for
    Saltelli sampling, its block (``A``, ``B``, ``AB3`` ...) and row within the block."""

    inputs: dict[str, Any]
    block: str = ""
    row: int = 0


def value_at(p: Parameter, u: float) -> Any:
    """The input for unit-cube coordinate ``u`` in [0, 1)."""
    if p.kind is Kind.VALUES:
        return p.values[min(int(u * len(p.values)), len(p.values) - 1)]
    if p.kind is Kind.RANGE:
        si = math.exp(math.log(p.low) + u * math.log(p.high / p.low)) if p.log else p.low + u * (p.high - p.low)
        return p.as_text(si)
    u = min(max(u, 1e-12), 1 - 1e-12)  # keep the inverse CDF finite
    if p.distribution == "uniform":
        si = p.low + u * (p.high - p.low)
    elif p.distribution == "normal":
        si = float(stats.norm.ppf(u, p.mean, p.std))
    elif p.distribution == "lognormal":
        # mean and std of the variable itself; the log's parameters follow.
        s2 = math.log(1 + (p.std / p.mean) ** 2)
        si = float(stats.lognorm.ppf(u, math.sqrt(s2), scale=p.mean / math.sqrt(1 + (p.std / p.mean) ** 2)))
    else:
        c = (p.mode - p.low) / (p.high - p.low)
        si = float(stats.triang.ppf(u, c, loc=p.low, scale=p.high - p.low))
    return p.as_text(si)


def unit_coordinate(p: Parameter, value: Any) -> float:
    """Where an input sits in [0, 1] (the inverse of `value_at` for values and ranges)."""
    if p.kind is Kind.VALUES:
        return (p.values.index(value) + 0.5) / len(p.values)
    from semipack.study.spec import parse_any_quantity

    si, _ = parse_any_quantity(value, p.name)
    if p.kind is Kind.RANGE:
        return (math.log(si / p.low) / math.log(p.high / p.low)) if p.log else (si - p.low) / (p.high - p.low)
    if p.distribution == "normal":
        return float(stats.norm.cdf(si, p.mean, p.std))
    lo, hi = (p.low, p.high) if p.distribution in ("uniform", "triangular") else (0.0, p.mean + 6 * p.std)
    return (si - lo) / (hi - lo)


def cube(kind: Sampling, n: int, d: int, seed: int) -> NDArray[np.float64]:
    """``n`` points in the ``d``-dimensional unit cube."""
    if kind is Sampling.LHS:
        return np.asarray(qmc.LatinHypercube(d=d, seed=seed).random(n))
    with warnings.catch_warnings():
        # Sobol' balance is best at powers of two; other counts are still valid samples.
        warnings.simplefilter("ignore", UserWarning)
        return np.asarray(qmc.Sobol(d=d, scramble=True, seed=seed).random(n))


def plan(study: Study) -> list[PlannedPoint]:
    """Every point of the study's sampling, in order (the optimiser appends more later)."""
    ps = study.parameters
    if study.sampling is Sampling.FACTORIAL:
        axes: list[list[Any]] = []
        for p in ps:
            if p.kind is Kind.VALUES:
                axes.append(list(p.values))
            else:
                axes.append([value_at(p, u) for u in np.linspace(0.0, 1.0, p.steps)])
        return [PlannedPoint(dict(zip((p.name for p in ps), combo, strict=True))) for combo in itertools.product(*axes)]
    n = int(study.points or 1)
    d = len(ps)
    if study.sampling is not Sampling.SALTELLI:
        u = cube(study.sampling, n, d, study.seed)
        return [PlannedPoint({p.name: value_at(p, float(row[j])) for j, p in enumerate(ps)}) for row in u]
    ab = cube(Sampling.SOBOL, n, 2 * d, study.seed)
    a, b = ab[:, :d], ab[:, d:]
    blocks: list[tuple[str, NDArray[np.float64]]] = [("A", a), ("B", b)]
    for i in range(d):
        abi = a.copy()
        abi[:, i] = b[:, i]
        blocks.append((f"AB{i}", abi))
    out = []
    for name, m in blocks:
        for r, row in enumerate(m):
            out.append(PlannedPoint({p.name: value_at(p, float(row[j])) for j, p in enumerate(ps)}, name, r))
    return out
