"""Read a design file safely and build its package.

The YAML is read with a safe loader that refuses anchors and aliases (no "billion
laughs"), files over 1 MiB, non-UTF-8 bytes and NUL bytes. The top level is checked
by a pydantic model; family parameters by the family's own model; every failure is a
one-line `DesignError` naming the field path, the value and what is allowed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from semipack.design.tables import expand_tables
from semipack.errors import DesignError, ValidationError
from semipack.families import get_family
from semipack.families.params import parse_params, pydantic_to_design_error
from semipack.materials import default_library
from semipack.model import Package

MAX_BYTES = 1 << 20


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors and aliases outright."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise DesignError("yaml", f"*{event.anchor}", f"aliases are not allowed (line {event.start_mark.line + 1})")
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise DesignError("yaml", f"&{anchor}", f"anchors are not allowed (line {event.start_mark.line + 1})")
        return super().compose_node(parent, index)


def read_yaml(path: Path) -> Any:
    """Load a YAML document with the safety limits above."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DesignError(str(path), "<file>", f"cannot be read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise DesignError(str(path), f"<{size} bytes>", f"design files are limited to {MAX_BYTES} bytes")
    raw = path.read_bytes()
    return parse_yaml_text(raw, str(path))


def parse_yaml_text(raw: bytes, where: str = "file") -> Any:
    if b"\x00" in raw:
        raise DesignError(where, "<binary>", "contains NUL bytes; expected a YAML text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(where, "<binary>", f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise DesignError(where, "<empty>", "expected a YAML mapping with family:, name:, parameters:")
    try:
        return yaml.load(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DesignError(where, "<unreadable YAML>", f"{line}{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DesignError(where, "<unreadable YAML>", str(exc).splitlines()[0]) from None


class OverrideEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    material: str = Field(min_length=1)


class DesignFile(BaseModel):
    """The top level of a design file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    family: str
    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\- ]+$")
    parameters: dict[str, Any] = Field(default_factory=dict)
    materials: dict[str, Any] = Field(default_factory=dict)
    overrides: dict[str, OverrideEntry] = Field(default_factory=dict)

    @field_validator("parameters", "materials", "overrides", mode="before")
    @classmethod
    def _empty_is_none(cls, v: Any) -> Any:
        # "parameters:" with nothing under it is YAML null: an empty section.
        return {} if v is None else v


def build_design(data: Any, source: str = "design", base_dir: Path | None = None) -> Package:
    """Validate design data (a parsed YAML mapping) and build its package.

    ``base_dir`` is where table files named in the parameters (a pin map, a power grid)
    are looked for: the design file's folder, or the working folder.
    """
    if not isinstance(data, Mapping):
        raise DesignError("(top level)", data, "expected a mapping with family:, name:, parameters:")
    try:
        design = DesignFile.model_validate(dict(data))
    except pydantic.ValidationError as exc:
        raise pydantic_to_design_error(exc, "", DesignFile) from None
    family = get_family(design.family)
    lib = default_library().extended(design.materials) if design.materials else default_library()
    raw = expand_tables(family.params, design.parameters, base_dir or Path.cwd())
    params: Any = parse_params(family.params, raw)
    try:
        pkg = family.build(params, lib, design.name)
    except ValidationError as exc:
        # Each value was allowed alone; together they make parts collide or nets open.
        raise DesignError("parameters", "(this combination)", f"the built package is invalid: {exc}") from None
    if design.overrides:
        pkg = apply_overrides(pkg, design.overrides)
    return pkg


def apply_overrides(pkg: Package, overrides: Mapping[str, OverrideEntry]) -> Package:
    """Change the material of bodies whose names match each glob pattern; re-validates."""
    bodies = list(pkg.bodies)
    for pattern, entry in overrides.items():
        field = f"overrides.{pattern}"
        pkg.materials.get_material(entry.material, f"{field}.material")
        hits = [i for i, b in enumerate(bodies) if fnmatch.fnmatchcase(b.name, pattern)]
        if not hits:
            raise DesignError(field, pattern, "matches no body (see `semipack show FILE` for body names)")
        for i in hits:
            bodies[i] = replace(bodies[i], material=entry.material)
    try:
        return replace(pkg, bodies=tuple(bodies))
    except ValidationError as exc:
        raise DesignError("overrides", list(overrides), str(exc)) from None


def load_design(path: str | Path) -> Package:
    """Read, validate and build a design file."""
    p = Path(path)
    return build_design(read_yaml(p), str(p), p.parent)
