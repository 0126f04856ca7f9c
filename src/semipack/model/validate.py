"""Rules every built package must satisfy.

- names are unique, materials exist, heat sources name dies;
- no two solid (non-filler) bodies interpenetrate, and conductors of different nets
  do not touch volumes (a short);
- fillers do not overlap each other;
- every required contact holds (the bodies' boxes touch);
- every die pad is on exactly one net, consecutive parts of a net touch, conductors are
  conductive, and every pad's net reaches an external terminal.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from semipack.geometry import overlap_volume
from semipack.model.roles import CONDUCTOR_ROLES, TERMINAL_ROLES, Role
from semipack.units import mm

if TYPE_CHECKING:
    from semipack.model.package import Package

CONTACT_TOLERANCE_M = 1e-7
# Overlap allowed as a fraction of the smaller body (sampling noise, rounded ends).
OVERLAP_FRACTION = 0.02


def candidate_pairs(lo: np.ndarray, hi: np.ndarray, tol: float = 1e-9) -> Iterable[tuple[int, int]]:
    """Index pairs whose bounding boxes overlap with positive volume (sweep on x)."""
    order = np.argsort(lo[:, 0])
    active: list[int] = []
    for i in order:
        x0 = lo[i, 0]
        active = [j for j in active if hi[j, 0] > x0 + tol]
        if active:
            arr = np.asarray(active)
            ok = np.all((lo[arr] < hi[i] - tol) & (lo[i] < hi[arr] - tol), axis=1)
            for j in arr[ok]:
                yield (int(min(i, j)), int(max(i, j)))
        active.append(int(i))


def check(pkg: Package) -> list[str]:
    """Return every rule the package breaks, as one-line messages (empty when valid)."""
    problems: list[str] = []
    bodies = pkg.bodies
    names = [b.name for b in bodies]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            problems.append(f"body name {n!r} is used twice")
        seen.add(n)
    index = {b.name: b for b in bodies}
    for b in bodies:
        if b.material not in pkg.materials:
            problems.append(f"body {b.name!r}: unknown material {b.material!r}")
    if problems:
        return problems

    problems += _check_overlaps(pkg)
    problems += _check_contacts(pkg, pkg.contacts)
    problems += _check_nets(pkg)
    for hs in pkg.heat_sources:
        body = index.get(hs.body)
        if body is None or body.role is not Role.DIE:
            problems.append(f"heat source on {hs.body!r}: not a die of this package")
        elif hs.power_w < 0:
            problems.append(f"heat source on {hs.body!r}: power {hs.power_w} W is negative")
    return problems


def _check_overlaps(pkg: Package) -> list[str]:
    bodies = pkg.bodies
    lo = np.array([b.solid.bbox.lo for b in bodies])
    hi = np.array([b.solid.bbox.hi for b in bodies])
    out: list[str] = []
    for i, j in candidate_pairs(lo, hi):
        a, b = bodies[i], bodies[j]
        if a.is_filler != b.is_filler:
            continue  # a filler yields to what sits inside it
        conductors = a.role in CONDUCTOR_ROLES and b.role in CONDUCTOR_ROLES
        if conductors and a.net is not None and a.net == b.net:
            continue  # parts of one net may merge (via into its land)
        if frozenset((a.name, b.name)) in pkg.allowed_overlaps:
            continue
        va, vb = a.solid.volume, b.solid.volume
        inter = a.solid.bbox.intersection(b.solid.bbox)
        if inter is None or inter.volume <= OVERLAP_FRACTION * min(va, vb):
            continue
        shared = overlap_volume(a.solid, b.solid)
        if shared > OVERLAP_FRACTION * min(va, vb):
            if conductors and a.net != b.net:
                out.append(f"short: {a.name!r} (net {a.net}) overlaps {b.name!r} (net {b.net})")
            else:
                where = tuple(round((inter.lo[k] + inter.hi[k]) / 2 * 1e3, 3) for k in range(3))
                out.append(f"{a.name!r} and {b.name!r} interpenetrate ({shared * 1e9:.3g} mm^3 near {where} mm)")
    return out


def _check_contacts(pkg: Package, pairs: Sequence[tuple[str, str]]) -> list[str]:
    index = {b.name: b for b in pkg.bodies}
    out = []
    for a, b in pairs:
        if a not in index or b not in index:
            missing = a if a not in index else b
            out.append(f"required contact names unknown body {missing!r}")
            continue
        gap = index[a].solid.bbox.gap(index[b].solid.bbox)
        if gap > CONTACT_TOLERANCE_M:
            out.append(f"{a!r} must touch {b!r} but is {mm(gap)} away")
    return out


def _finder(parent: dict[str, str]) -> Callable[[str], str]:
    """Union-find ``find`` over ``parent`` (path halving)."""

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    return find


def _check_nets(pkg: Package) -> list[str]:
    index = {b.name: b for b in pkg.bodies}
    pads = {p.name: p for p in pkg.pads}
    out: list[str] = []
    pad_nets: dict[str, list[str]] = {p: [] for p in pads}
    net_names = {n.name for n in pkg.nets}
    for p in pkg.pads:
        if p.die not in index or index[p.die].role is not Role.DIE:
            out.append(f"pad {p.name!r} sits on {p.die!r}, which is not a die")
    for net in pkg.nets:
        parent: dict[str, str] = {}
        find = _finder(parent)

        for a, b in net.edges:
            for node in (a, b):
                if node not in index and node not in pads:
                    out.append(f"net {net.name!r}: unknown part {node!r}")
            if a in index and b in index:
                ba, bb = index[a], index[b]
                gap = ba.solid.bbox.gap(bb.solid.bbox)
                if gap > CONTACT_TOLERANCE_M:
                    out.append(f"net {net.name!r}: {a!r} and {b!r} are joined but {mm(gap)} apart (open)")
            parent[find(a)] = find(b)
        for r in net.routes:
            media = [index.get(m) for m in r.media]
            if not media or any(m is None for m in media):
                out.append(f"net {net.name!r}: route media {r.media!r} are not all bodies")
                continue
            chain = [r.a, *r.media, r.b]
            for u, v in itertools.pairwise(chain):
                if u not in index or v not in index:
                    out.append(f"net {net.name!r}: unknown part {u if u not in index else v!r}")
                elif index[u].solid.bbox.gap(index[v].solid.bbox) > CONTACT_TOLERANCE_M:
                    out.append(f"net {net.name!r}: route {r.a!r} -> {r.b!r} breaks between {u!r} and {v!r} (open)")
            parent[find(r.a)] = find(r.b)
        for node in net.nodes:
            if node in pads:
                pad_nets[node].append(net.name)
            elif node in index:
                body = index[node]
                mat = pkg.materials[body.material]
                if body.role in CONDUCTOR_ROLES and not mat.is_conductor:
                    out.append(f"net {net.name!r}: {node!r} is made of {body.material}, which does not conduct")
        terminals = {find(n) for n in net.nodes if n in index and index[n].role in TERMINAL_ROLES}
        for node in net.nodes:
            if node in pads and find(node) not in terminals:
                out.append(f"net {net.name!r}: pad {node!r} does not reach an external terminal (open)")
    for pname, on in pad_nets.items():
        if not on:
            declared = pads[pname].net
            out.append(f"pad {pname!r} is on no net" + ("" if declared in net_names else f" (declares {declared!r})"))
        elif len(on) > 1:
            out.append(f"pad {pname!r} is on several nets: {', '.join(on)}")
    return out
