"""What the engine knows about the design a flow builds: its parts, dies, flex and levels."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from semipack.model import Body, Package, Role
from semipack.process.parts import Part, PartKey, classify
from semipack.process.unfold import FlatFlex, flat_flex


@dataclass(frozen=True)
class Context:
    """The design and its bodies sorted into parts."""

    design: Package
    parts: dict[str, PartKey]
    by_part: dict[PartKey, tuple[str, ...]]
    flat: FlatFlex | None = None
    bodies: dict[str, Body] = field(default_factory=dict)

    @classmethod
    def of(cls, design: Package) -> Context:
        parts = classify(design)
        groups: dict[PartKey, list[str]] = defaultdict(list)
        for b in design.bodies:
            groups[parts[b.name]].append(b.name)
        flat = flat_flex(design) if design.family == "flex_csp" else None
        return cls(design, parts, {k: tuple(v) for k, v in groups.items()}, flat, {b.name: b for b in design.bodies})

    def has(self, part: Part, layer: int | None = None) -> bool:
        return any(k.part is part and (layer is None or k.layer == layer) for k in self.by_part)

    def names(self, part: Part, layer: int | None = None) -> tuple[str, ...]:
        out: list[str] = []
        for k, v in self.by_part.items():
            if k.part is part and (layer is None or k.layer == layer):
                out += v
        return tuple(out)

    def levels(self, part: Part) -> list[int]:
        return sorted({k.layer for k in self.by_part if k.part is part and k.layer is not None})

    @property
    def dies(self) -> tuple[Body, ...]:
        return self.design.by_role(Role.DIE)

    @property
    def active_z(self) -> float:
        """Height of the dies' active surfaces (their tops in the finished frame)."""
        return max(d.solid.bbox.hi[2] for d in self.dies)
