"""User flows in YAML: the same steps and checks as the built-in methods.

```yaml
name: my-flow
units: 4
street: 0.3 mm
steps:
  - kind: provide_substrate
  - kind: die_attach
  - {kind: cure, temperature: 150 C, time: 1 h}
  - {kind: deposit_dielectric, layer: 1, thickness: 12 um, material: bcb}
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticError

from semipack.design.loader import read_yaml
from semipack.errors import DesignError
from semipack.materials import Category
from semipack.process.steps import Flow, Singulation, Step, StepKind
from semipack.units import MAX_LENGTH_M, MIN_LENGTH_M, Dimension, parse_quantity

# Bounds of each quantity a step may give, SI (inclusive): a cure of -1 h or a 5 um
# negative thickness is a typo, not a process.
_BOUNDS: dict[Dimension, tuple[float, float, str]] = {
    Dimension.TIME: (0.0, 1e6, "a time from 0 to 1e6 s (11.6 days)"),
    Dimension.LENGTH: (MIN_LENGTH_M, MAX_LENGTH_M, "a length from 0.1 um to 1 m"),
}


def _q(v: Any, dim: Dimension, where: str) -> float | None:
    if v is None:
        return None
    x = parse_quantity(str(v), dim, where)
    if dim in _BOUNDS:
        lo, hi, text = _BOUNDS[dim]
        if not lo <= x <= hi:
            raise DesignError(where, v, text)
    return x


def _text(v: str) -> str:
    if not v.isprintable():
        raise ValueError("printable single-line text (no newlines, tabs or control characters)")
    return v


_CATEGORY = "category:"


def _allowed(text: str, where: str) -> str | Category:
    """A material key, or ``category:NAME`` for every material of a category."""
    if not text.startswith(_CATEGORY):
        return text
    try:
        return Category(text[len(_CATEGORY) :])
    except ValueError:
        names = ", ".join(_CATEGORY + c.value for c in Category)
        raise DesignError(where, text, f"a material key or one of {names}") from None


class StepModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: StepKind
    label: str = ""
    layer: int | None = Field(None, ge=1, le=50)
    target: list[str] = []
    material: str | None = None
    allowed: list[str] = []
    temperature: str | None = None
    time: str | None = None
    thickness: str | None = None
    radius: str | None = None
    depth: str | None = None
    fill_vias: bool = False
    face_down: bool = False
    temporary: bool = False
    singulation: Singulation | None = None
    figure: str = ""
    claims: list[int] = []

    @field_validator("label", "material", "figure")
    @classmethod
    def _printable(cls, v: str | None) -> str | None:
        return v if v is None else _text(v)


class FlowModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    units: int = Field(3, ge=1, le=1000)
    street: str = "0.3 mm"
    steps: list[StepModel] = Field(min_length=1, max_length=500)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not all(c.isalnum() or c in "-_." for c in v):
            raise ValueError("use letters, digits, '-', '_' and '.' only")
        return v


def flow_from_mapping(data: Any, where: str = "flow") -> Flow:
    """Validate a parsed YAML mapping into a `Flow` (one-line `DesignError` on bad input)."""
    try:
        m = FlowModel.model_validate(data)
    except PydanticError as exc:
        err = exc.errors()[0]
        path = ".".join(str(p) for p in err["loc"])
        allowed = err["msg"]
        if err["type"] == "enum":
            allowed = "allowed: " + ", ".join(k.value for k in StepKind) if "kind" in path else err["msg"]
        raise DesignError(f"{where}.{path}", err.get("input"), allowed) from None
    steps = []
    for i, s in enumerate(m.steps):
        at = f"{where}.steps.{i}"
        steps.append(
            Step(
                kind=s.kind,
                label=s.label,
                layer=s.layer,
                target=tuple(s.target),
                material=s.material,
                allowed=tuple(_allowed(a, f"{at}.allowed") for a in s.allowed),
                temperature_k=_q(s.temperature, Dimension.TEMPERATURE, f"{at}.temperature"),
                time_s=_q(s.time, Dimension.TIME, f"{at}.time"),
                thickness_m=_q(s.thickness, Dimension.LENGTH, f"{at}.thickness"),
                radius_m=_q(s.radius, Dimension.LENGTH, f"{at}.radius"),
                depth_m=_q(s.depth, Dimension.LENGTH, f"{at}.depth"),
                fill_vias=s.fill_vias,
                face_down=s.face_down,
                temporary=s.temporary,
                singulation=s.singulation,
                figure=s.figure,
                claims=tuple(s.claims),
            )
        )
    street = parse_quantity(m.street, Dimension.LENGTH, f"{where}.street")
    if not (street == 0 or MIN_LENGTH_M <= street <= 0.1):
        raise DesignError(f"{where}.street", m.street, "a saw street of 0 (none) or 0.1 um to 100 mm")
    return Flow(m.name, tuple(steps), m.description, units=m.units, street_m=street)


def load_flow(path: Path) -> Flow:
    """Read a flow file."""
    return flow_from_mapping(read_yaml(Path(path)), where=Path(path).name)
