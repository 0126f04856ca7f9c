"""Compact thermal networks: junction and surface nodes joined by resistors, solved in any boundary condition.

A surface node stands for one or more surface classes; in a boundary condition it
exchanges heat with the ambient through G = sum over its classes of h_c A_c (the
film coefficient times the class's area). The steady node temperatures solve the
conductance (Laplacian) system with the junction power as its source (Kirchhoff's
current law at each node).

References
----------
JEDEC JESD15-3 (2008), two-resistor compact thermal model guideline.
JEDEC JESD15-4 (2008), DELPHI compact thermal model guideline, sec. 3.4 (the network).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from semipack.errors import DesignError
from semipack.thermal.compact.bcs import BoundaryCondition, SurfaceClass

Array = NDArray[np.float64]


@dataclass(frozen=True)
class SurfaceNode:
    """A node on the package's surface: the classes it stands for and their total area (m^2)."""

    name: str
    classes: tuple[SurfaceClass, ...]
    area_m2: dict[SurfaceClass, float]

    def conductance_w_k(self, bc: BoundaryCondition) -> float:
        return sum(bc.h(c) * self.area_m2[c] for c in self.classes)


@dataclass(frozen=True)
class Link:
    """A resistor (K/W) between two nodes."""

    a: str
    b: str
    r_k_w: float


@dataclass(frozen=True)
class CauerStage:
    """One stage of a Cauer ladder from the junction: a resistor (K/W) then a capacitor (J/K) to ground."""

    r_k_w: float
    c_j_k: float


@dataclass(frozen=True)
class NetworkSolution:
    """Node temperature rises (K) and heat to the ambient per surface node (W)."""

    tj_rise_k: float
    rise_k: dict[str, float]
    q_w: dict[str, float]


@dataclass(frozen=True)
class CompactNetwork:
    """A compact model: junction ``J``, surface nodes, links; optionally the Cauer ladder of its Zth.

    Attributes
    ----------
    model
        ``2R`` (JESD15-3) or ``DELPHI`` (JESD15-4).
    cauer
        The Cauer ladder of the junction's thermal impedance (for transient netlists), or empty.
    notes
        Where the numbers come from, for the exported file's header.
    """

    name: str
    model: str
    surfaces: tuple[SurfaceNode, ...]
    links: tuple[Link, ...]
    cauer: tuple[CauerStage, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def nodes(self) -> tuple[str, ...]:
        return ("J", *(s.name for s in self.surfaces))

    def solve(self, bc: BoundaryCondition, power_w: float = 1.0) -> NetworkSolution:
        """Steady rises above ambient with ``power_w`` at the junction."""
        names = self.nodes
        pos = {n: i for i, n in enumerate(names)}
        n = len(names)
        g = np.zeros((n, n))
        for ln in self.links:
            i, j = pos[ln.a], pos[ln.b]
            y = 1.0 / ln.r_k_w
            g[i, i] += y
            g[j, j] += y
            g[i, j] -= y
            g[j, i] -= y
        amb = np.array([0.0, *(s.conductance_w_k(bc) for s in self.surfaces)])
        if not amb.sum() > 0:
            raise DesignError(
                f"bcs.{bc.name}", bc.as_dict(), f"the {self.model} model's surface nodes all adiabatic: no steady state"
            )
        g += np.diag(amb)
        rhs = np.zeros(n)
        rhs[0] = power_w
        t = np.linalg.solve(g, rhs)
        rise = {nm: float(t[pos[nm]]) for nm in names}
        q = {s.name: float(amb[pos[s.name]] * t[pos[s.name]]) for s in self.surfaces}
        return NetworkSolution(float(t[0]), rise, q)


def elements(net: CompactNetwork) -> tuple[list[tuple[str, str, str, float]], list[tuple[str, str, float]]]:
    """The network's resistors (name, node1, node2, K/W) and capacitors (name, node, J/K, to the ambient).

    With a Cauer ladder, the ladder replaces the first junction link: J - RC1 - NC1 - RC2 -
    ... - (that link's other node), a capacitor from each ladder node to the ambient.
    """
    res: list[tuple[str, str, str, float]] = []
    caps: list[tuple[str, str, float]] = []
    replaced = False
    for i, ln in enumerate(net.links, start=1):
        if net.cauer and not replaced and ln.a == "J":
            replaced = True
            prev = "J"
            for k, stg in enumerate(net.cauer, start=1):
                nxt = ln.b if k == len(net.cauer) else f"NC{k}"
                res.append((f"RC{k}", prev, nxt, stg.r_k_w))
                caps.append((f"CC{k}", nxt, stg.c_j_k))
                prev = nxt
            continue
        res.append((f"R{i}", ln.a, ln.b, ln.r_k_w))
    return res, caps
