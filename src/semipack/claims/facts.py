"""What the predicates read: the package's bodies by role, geometry helpers and its flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from semipack.claims.model import Tolerances
from semipack.errors import SemipackError
from semipack.geometry import BBox, Box
from semipack.model import Body, Package, Role
from semipack.process.steps import Step, StepKind

_TOL = 1e-9


def names(bodies: tuple[Body, ...] | list[Body], limit: int = 3) -> str:
    """A short list of body names for evidence ('ball_A1, ball_A2, ... (456)')."""
    ns = [b.name for b in bodies]
    if len(ns) <= limit:
        return ", ".join(ns)
    return ", ".join(ns[:limit]) + f", ... ({len(ns)})"


def cutouts(b: Body) -> tuple[Box, ...]:
    """The recesses and openings of a box body (a cavity, an inwardly protruded area); none for other solids."""
    return b.solid.cutouts if isinstance(b.solid, Box) else ()


@dataclass(frozen=True)
class MethodRun:
    """A named method run on the design: its steps, or why it cannot make the design.

    Attributes
    ----------
    method
        The method's name (e.g. ``002-claims-61-101``).
    steps
        The steps as the engine ran them; empty when ``reason`` is set.
    reason
        Why the method does not make this design (unknown, another family, does not
        apply, or a step that cannot run), or None when it does.
    """

    method: str
    steps: tuple[Step, ...] = ()
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Facts:
    """A package and the tolerances its claims are read with."""

    pkg: Package
    tol: Tolerances = field(default_factory=Tolerances)

    def role(self, *roles: Role) -> tuple[Body, ...]:
        return tuple(b for b in self.pkg.bodies if b.role in roles)

    def bb(self, b: Body) -> BBox:
        return b.solid.bbox

    def material_name(self, b: Body) -> str:
        return self.pkg.materials[b.material].name

    @staticmethod
    def xy_overlap(a: Body, b: Body) -> bool:
        p, q = a.solid.bbox, b.solid.bbox
        return p.lo[0] < q.hi[0] and q.lo[0] < p.hi[0] and p.lo[1] < q.hi[1] and q.lo[1] < p.hi[1]

    def rests_on(self, upper: Body, lower: Body, tol: float = 1e-6) -> bool:
        """``upper``'s bottom meets ``lower``'s top (or the floor of a recess in it) over a shared footprint."""
        if not self.xy_overlap(upper, lower):
            return False
        z = upper.solid.bbox.lo[2]
        if abs(z - lower.solid.bbox.hi[2]) <= tol:
            return True
        u = upper.solid.bbox
        for c in cutouts(lower):
            inside = c.lo[0] <= u.hi[0] and u.lo[0] <= c.hi[0] and c.lo[1] <= u.hi[1] and u.lo[1] <= c.hi[1]
            if inside and abs(z - c.lo[2]) <= tol and c.lo[2] > lower.solid.bbox.lo[2]:
                return True
        return False

    @staticmethod
    def inside(inner: Body, outer: Body, tol: float = 1e-6) -> bool:
        p, q = inner.solid.bbox, outer.solid.bbox
        return all(p.lo[i] >= q.lo[i] - tol and p.hi[i] <= q.hi[i] + tol for i in range(3))

    @cached_property
    def dies(self) -> tuple[Body, ...]:
        return self.role(Role.DIE)

    @cached_property
    def flow_steps(self) -> tuple[Step, ...] | None:
        """The steps of the flow that builds this design (its family's first applicable method)."""
        run = self.steps_for(self.flow_name)
        return run.steps if run.ok else None

    def steps_of(self, kind: StepKind) -> list[int]:
        return [i for i, s in enumerate(self.flow_steps or ()) if s.kind is kind]

    def steps_for(self, method: str) -> MethodRun:
        """The steps of the named method run on this design, or why it cannot make it."""
        cache = self._flows
        if method not in cache:
            cache[method] = self._run(method)
        return cache[method]

    def _run(self, method: str) -> MethodRun:
        from semipack.process import all_methods, run_flow

        found = [m for m in all_methods() if m.name == method]
        if not found:
            return MethodRun(method, reason=f"unknown method {method}")
        if found[0].family != self.pkg.family:
            return MethodRun(
                method, reason=f"{method} makes {found[0].family} packages; this design is {self.pkg.family}"
            )
        why = found[0].applies(self.pkg)
        if why is not None:
            return MethodRun(method, reason=f"{method} does not apply: {why}")
        try:
            result = run_flow(self.pkg, found[0].build(self.pkg))
        except SemipackError as exc:
            return MethodRun(method, reason=f"{method} cannot make this design: {exc}")
        return MethodRun(method, steps=tuple(r.step for r in result.records))

    @cached_property
    def _flows(self) -> dict[str, MethodRun]:
        return {}

    @cached_property
    def flow_name(self) -> str:
        from semipack.process import get_method

        try:
            return get_method(self.pkg, None).name
        except SemipackError:
            return "none"
