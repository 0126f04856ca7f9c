"""Table parameters given as files: a pin map or a power grid named by its path.

A design file may write ``pin_map: pins.csv`` instead of listing the terminals, and a
die's ``power_grid_w: floorplan.csv`` instead of the numbers. Before the parameters are
validated, each such path (relative to the design file's folder) is replaced by the
file's rows; the family's parameter model then checks them like inline values.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from semipack.errors import DesignError
from semipack.families.pinmap import PinEntry, read_pin_table
from semipack.families.powermap import read_power_grid


def _strip(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _strip(args[0])
    return tp


def _element(tp: Any) -> Any:
    """The element type of ``tuple[X, ...]``, else None."""
    if get_origin(tp) is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return _strip(args[0])
    return None


def table_path(base: Path, value: str, field: str) -> Path:
    """A table file named relative to the design's folder: it must stay inside it and be a file."""
    where = f"parameters.{field}"
    if len(value) > 255 or not value.isprintable():
        raise DesignError(where, value, "a table file name: printable text of at most 255 characters")
    try:
        root = base.resolve()
        path = (root / value).resolve()
        if not path.is_relative_to(root):
            raise DesignError(where, value, "a table file inside the design file's folder (relative path, no '..' out)")
        if not path.is_file():
            raise DesignError(where, value, "names no file beside the design file")
    except OSError as exc:  # a name the file system refuses (too long, a loop of links)
        raise DesignError(where, value, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    return path


def expand_tables(cls: type, raw: Any, base: Path, where: str = "parameters") -> Any:
    """``raw`` with every table path under ``cls``'s fields replaced by the file's rows."""
    if not isinstance(raw, Mapping) or not dataclasses.is_dataclass(cls):
        return raw
    hints = get_type_hints(cls, include_extras=True)
    out = dict(raw)
    for f in dataclasses.fields(cls):
        if f.name not in out:
            continue
        value = out[f.name]
        tp = _strip(hints[f.name])
        elem = _element(tp)
        field = f"{where}.{f.name}".removeprefix("parameters.")
        if isinstance(value, str) and elem is PinEntry:
            out[f.name] = read_pin_table(table_path(base, value, field), field)
        elif isinstance(value, str) and f.name.endswith("power_grid_w"):
            out[f.name] = read_power_grid(table_path(base, value, field), field)
        elif isinstance(elem, type) and dataclasses.is_dataclass(elem) and isinstance(value, list):
            out[f.name] = [expand_tables(elem, v, base, f"{where}.{f.name}.{i}") for i, v in enumerate(value)]
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp) and isinstance(value, Mapping):
            out[f.name] = expand_tables(tp, value, base, f"{where}.{f.name}")
    return out
