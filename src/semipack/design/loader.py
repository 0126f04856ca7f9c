"""Read a design file safely and build its package.

The YAML is read from a regular file of at most 1 MiB (no FIFO, device or directory)
with a safe loader that refuses anchors and aliases (no "billion laughs"), tags,
duplicate keys, deep nesting, huge integers, non-UTF-8 bytes and NUL bytes. The top level is checked
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
from semipack.files import MAX_INPUT_BYTES, read_input_bytes
from semipack.geometry import DegenerateSolid
from semipack.materials import default_library
from semipack.model import Package
from semipack.model.budget import body_budget

MAX_BYTES = MAX_INPUT_BYTES
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists a YAML input may have (the examples use 5)."""
MAX_INT_DIGITS = 18
"""Longest integer a YAML input may write (digits); larger counts are typos or attacks."""


def _line(event_or_node: Any) -> str:
    mark = getattr(event_or_node, "start_mark", None)
    return f"line {mark.line + 1}" if mark is not None else "somewhere"


def check_text(value: object, field: str, what: str = "a name") -> str:
    """``value`` as printable single-line text, else a one-line `DesignError` naming it."""
    if not isinstance(value, str):
        raise DesignError(field, value, f"{what} is text")
    if not value.isprintable():
        raise DesignError(
            field, value, f"{what} is printable single-line text (no newlines, tabs or control characters)"
        )
    return value


class _StrictLoader(yaml.SafeLoader):
    """Safe loader for untrusted input.

    Refuses anchors and aliases (no "billion laughs"), explicit tags (``!!binary``,
    ``!!python/...``, ``!!set``), nesting deeper than `MAX_DEPTH`, duplicate keys (the
    later value would silently win), keys that are not printable single-line text, and
    integers longer than `MAX_INT_DIGITS` digits.
    """

    def __init__(self, stream: Any, where: str = "yaml") -> None:
        super().__init__(stream)
        self.where = where
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise DesignError(self.where, f"*{event.anchor}", f"aliases are not allowed ({_line(event)})")
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise DesignError(self.where, f"&{anchor}", f"anchors are not allowed ({_line(event)})")
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise DesignError(self.where, tag, f"YAML tags are not allowed ({_line(event)}); write plain values")
        nested = isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent)
        if nested:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise DesignError(
                    self.where, f"<{self.depth} levels>", f"nesting is limited to {MAX_DEPTH} levels ({_line(event)})"
                )
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self.depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        seen: dict[Any, Any] = {}
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DesignError(self.where, "<<", f"merge keys are not allowed ({_line(key_node)})")
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict | set):
                raise DesignError(self.where, key, f"a key is a plain value ({_line(key_node)})")
            if isinstance(key, str):
                check_text(key, f"{self.where} {_line(key_node)}", "a key")
            if key in seen:
                raise DesignError(self.where, key, f"duplicate key ({_line(key_node)}, first at {_line(seen[key])})")
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> int:
        text = str(node.value).replace("_", "").lstrip("+-")
        if len(text) > MAX_INT_DIGITS:
            raise DesignError(
                self.where,
                f"<{len(text)}-digit number>",
                f"integers are limited to {MAX_INT_DIGITS} digits ({_line(node)})",
            )
        return int(super().construct_yaml_int(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def read_yaml(path: Path) -> Any:
    """Load a YAML document with the safety limits above (a regular file of at most 1 MiB)."""
    raw = read_input_bytes(path, str(path), MAX_BYTES)
    return parse_yaml_text(raw, str(path))


def parse_yaml_text(raw: bytes, where: str = "file") -> Any:
    """Parse YAML bytes with `_StrictLoader`; every problem is a one-line `DesignError`."""
    if b"\x00" in raw:
        raise DesignError(where, "<binary>", "contains NUL bytes; expected a YAML text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(where, "<binary>", f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise DesignError(where, "<empty>", "expected a YAML mapping with family:, name:, parameters:")
    loader = _StrictLoader(text, where)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DesignError(where, "<unreadable YAML>", f"{line}{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise DesignError(where, "<unreadable YAML>", str(exc).splitlines()[0]) from None
    except RecursionError:
        raise DesignError(where, "<deep YAML>", f"nesting is limited to {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


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
        with body_budget():
            pkg = family.build(params, lib, design.name)
    except ValidationError as exc:
        # Each value was allowed alone; together they make parts collide or nets open.
        raise DesignError("parameters", "(this combination)", f"the built package is invalid: {exc}") from None
    except DegenerateSolid as exc:
        # Each length was within its bounds; a difference of two (a cavity deeper than its
        # board, a pad larger than its land) left a part with no size.
        raise DesignError(
            "parameters",
            "(this combination)",
            f"the dimensions leave a part with no size ({exc}); check the sizes against each other",
        ) from None
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
