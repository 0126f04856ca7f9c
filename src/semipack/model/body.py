"""Bodies, die pads, nets and heat sources: the parts a `Package` is made of."""

from __future__ import annotations

from dataclasses import dataclass, field

from semipack.geometry import Solid
from semipack.model.budget import count_body
from semipack.model.flex import FlexPart
from semipack.model.passive import PassivePart
from semipack.model.roles import FILLER_ROLES, NetKind, Role


@dataclass(frozen=True)
class Body:
    """One solid of one material with a role.

    Attributes
    ----------
    name
        Unique within the package (``die``, ``ball_A1``, ``wire_12`` ...).
    role
        What it is; fillers (mould, dielectrics) yield to any body inside them.
    material
        Key into the package's material library.
    solid
        Its shape, in the package frame.
    numeral, label
        Reference numeral and element name for patent-style drawings.
    net
        Net name for conductors, else None.
    tags
        Free-form qualifiers the claims read (``roughened``, ``ir_cut``, ...).
    filler
        Whether it yields to bodies inside it; None takes its role's default.
    flex
        Its place in a folded flexible substrate (segment or bend, sheet), for a flex's sheets.
    passive
        Which device and element of an integrated passive it is, for a passive's bodies.
    """

    name: str
    role: Role
    material: str
    solid: Solid
    numeral: int | str | None = None
    label: str = ""
    net: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    filler: bool | None = None
    flex: FlexPart | None = None
    passive: PassivePart | None = None

    def __post_init__(self) -> None:
        count_body()  # the build's body cap (semipack.model.budget)

    @property
    def is_filler(self) -> bool:
        return self.role in FILLER_ROLES if self.filler is None else self.filler


@dataclass(frozen=True)
class Pad:
    """A bonding pad on a die's active surface, at (x, y) in the package frame."""

    name: str
    die: str
    xy: tuple[float, float]
    size: float
    net: str


@dataclass(frozen=True)
class Route:
    """Wiring inside a smeared laminate (a BGA substrate, a flex): ``a`` to ``b`` through ``media``.

    The laminate's copper is not drawn trace by trace; the route records the
    connection, the bodies it runs through in order and its routed length, and
    validation checks that ``a`` touches the first, ``b`` the last, and each medium the next.
    """

    a: str
    b: str
    media: tuple[str, ...]
    length_m: float


@dataclass(frozen=True)
class Net:
    """A net as a graph over body and pad names.

    ``edges`` join parts that touch; ``routes`` join parts through a laminate.
    """

    name: str
    kind: NetKind
    edges: tuple[tuple[str, str], ...]
    routes: tuple[Route, ...] = ()

    @property
    def nodes(self) -> frozenset[str]:
        ends = {n for e in self.edges for n in e}
        ends.update(n for r in self.routes for n in (r.a, r.b))
        return frozenset(ends)


@dataclass(frozen=True)
class HeatSource:
    """Power dissipated in a die, uniformly or in a sub-rectangle (a hot spot).

    ``region`` is (x0, y0, x1, y1) in the package frame, or None for the whole die.
    """

    body: str
    power_w: float
    region: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Marker:
    """A named feature that is not a body (a concave, a window, a cavity), for drawings and claims."""

    numeral: int | str
    label: str
    point: tuple[float, float, float]
