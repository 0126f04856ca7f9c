"""Generate a compact model of a package end to end: detailed model, training solves, fit, error report."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from semipack.model import Package
from semipack.thermal.compact.bcs import BoundaryCondition
from semipack.thermal.compact.delphi import FitReport, error_report, fit_delphi, solve_set
from semipack.thermal.compact.detailed import DetailedSolution, Junction, build_detailed
from semipack.thermal.compact.heldout import jedec_conditions
from semipack.thermal.compact.network import CauerStage, CompactNetwork
from semipack.thermal.compact.two_resistor import two_resistor


@dataclass(frozen=True)
class Generated:
    """The network asked for, the 2R beside it, the error report and where the time went (s)."""

    network: CompactNetwork
    two_r: CompactNetwork
    report: FitReport
    timings_s: dict[str, float]
    cells: int


def generate(
    pkg: Package,
    model: str,
    *,
    training: tuple[BoundaryCondition, ...],
    resolution: float = 1.0,
    power_w: float | None = None,
    junction: Junction = Junction.MAX,
    held_out: bool = True,
) -> Generated:
    """Build ``model`` ("2r" or "delphi") for ``pkg``; the report covers ``training`` and, if asked, the JEDEC held-out set."""
    t = {}
    t0 = time.perf_counter()
    det = build_detailed(pkg, resolution=resolution, power_w=power_w, junction=junction)
    t["build_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    two = two_resistor(det)
    t["two_resistor_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sols = solve_set(det, training)
    t["training_solves_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    net = fit_delphi(det, sols) if model == "delphi" else two
    t["fit_s"] = time.perf_counter() - t0
    held: tuple[DetailedSolution, ...] = ()
    if held_out:
        t0 = time.perf_counter()
        held = solve_set(det, jedec_conditions(pkg, resolution=resolution))
        t["held_out_s"] = time.perf_counter() - t0
    rep = error_report(net, two, sols, held) if model == "delphi" else error_report(two, None, sols, held)
    return Generated(net, two, rep, t, det.grid.cells)


def with_cauer(net: CompactNetwork, r_k_w: list[float], c_j_k: list[float], source: str) -> CompactNetwork:
    """``net`` with the Cauer ladder of its junction impedance (replaces its first junction link in netlists)."""
    stages = tuple(CauerStage(r, c) for r, c in zip(r_k_w, c_j_k, strict=True))
    return replace(
        net,
        cauer=stages,
        notes=(*net.notes, f"Cauer ladder ({len(stages)} stages, total R {sum(r_k_w):.6g} K/W): {source}"),
    )
