"""The immutable `Package`: bodies, pads, nets, heat sources and the materials they use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from semipack.errors import ValidationError
from semipack.geometry import BBox
from semipack.materials import Material, MaterialLibrary
from semipack.model.body import Body, HeatSource, Marker, Net, Pad
from semipack.model.roles import Role


@dataclass(frozen=True)
class Package:
    """A complete package model. Construction validates it (see `semipack.model.validate`).

    Attributes
    ----------
    name, family
        The design's name and the family that built it.
    bodies, pads, nets, heat_sources
        The parts.
    materials
        The library the bodies' material keys refer to.
    contacts
        Pairs of bodies that must touch (checked).
    allowed_overlaps
        Pairs of solid bodies that may share volume by design.
    features
        The variant selections the builder made (for claim charts and reports).
    parameters
        The family parameters it was built from.
    section_hint
        A good default cut for drawings: ('y' or 'x', coordinate in m).
    markers
        Named features that are not bodies (concave, window, cavity), for drawings.
    """

    name: str
    family: str
    bodies: tuple[Body, ...]
    materials: MaterialLibrary
    pads: tuple[Pad, ...] = ()
    nets: tuple[Net, ...] = ()
    heat_sources: tuple[HeatSource, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    allowed_overlaps: frozenset[frozenset[str]] = frozenset()
    features: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    parameters: Any = None
    section_hint: tuple[str, float] = ("y", 0.0)
    markers: tuple[Marker, ...] = ()
    validate: bool = field(default=True, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.validate:
            from semipack.model.validate import check

            problems = check(self)
            if problems:
                raise ValidationError([f"{self.name}: {p}" for p in problems])

    def body(self, name: str) -> Body:
        for b in self.bodies:
            if b.name == name:
                return b
        raise KeyError(name)

    def by_role(self, role: Role) -> tuple[Body, ...]:
        return tuple(b for b in self.bodies if b.role is role)

    def material_of(self, body: Body) -> Material:
        return self.materials[body.material]

    @property
    def bbox(self) -> BBox:
        los = [b.solid.bbox.lo for b in self.bodies]
        his = [b.solid.bbox.hi for b in self.bodies]
        lo = tuple(min(p[i] for p in los) for i in range(3))
        hi = tuple(max(p[i] for p in his) for i in range(3))
        return BBox(lo, hi)  # type: ignore[arg-type]
