"""Family parameters: frozen dataclasses inside, pydantic models at the input boundary.

A family declares its parameters once, as a frozen dataclass whose field types carry
their dimension (``Length``, ``Power``, ...) and whose metadata carries a one-line
doc. From that dataclass this module derives

- a pydantic model (``extra='forbid'``) that reads quantity strings such as ``"0.3 mm"``
  and enforces the bounds, used when a design file or the CLI comes in;
- the commented YAML template printed by ``semipack new FAMILY``.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

import annotated_types as at
import pydantic
from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict

from semipack.errors import DesignError
from semipack.units import MAX_LENGTH_M, MIN_LENGTH_M, Dimension, format_quantity, parse_quantity


def _bound_text(value: float, dim: Dimension) -> str:
    if dim is Dimension.LENGTH and 0 < abs(value) < 1e-4:
        return f"{value * 1e6:g} um"
    if dim is Dimension.DIMENSIONLESS:
        return f"{value:g}"
    return format_quantity(value, dim)


def _range_text(dim: Dimension, bounds: list[Any]) -> str:
    signs = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
    parts = [f"{signs[a]} {_bound_text(float(getattr(b, a)), dim)}" for b in bounds for a in signs if hasattr(b, a)]
    return " and ".join(parts)


def _quantity(dim: Dimension, bounds: list[Any]) -> BeforeValidator:
    """Parse a quantity and check its bounds, naming them in the field's display unit."""
    allowed = _range_text(dim, bounds)
    ops = {"gt": float.__gt__, "ge": float.__ge__, "lt": float.__lt__, "le": float.__le__}
    limits = [(ops[a], float(getattr(b, a))) for b in bounds for a in ops if hasattr(b, a)]

    def conv(v: object) -> float:
        x = parse_quantity(v, dim, "value")
        if not all(op(x, limit) for op, limit in limits):
            raise DesignError("value", v, f"a {dim.name.lower()} {allowed}")
        return x

    return BeforeValidator(conv)


MAX_POWER_W = 1.0e4
"""Largest power one die or source may dissipate: 10 kW (a whole server board is below it)."""
MAX_COUNT = 1000
"""Largest count one field may give (pads per side, layers, dies, rows, units); their
product is bounded separately by the package's body cap (`semipack.model.budget`)."""
MAX_INDEX = 100_000
"""Largest plain integer a field may give (ball counts, signal counts, levels)."""
MAX_ITEMS = 20_000
"""Longest list a field may give (pin-map entries, dies, passives)."""

# Field types that say their unit and their bounds. SI floats inside.
Length = Annotated[float, Dimension.LENGTH, at.Ge(MIN_LENGTH_M), at.Le(MAX_LENGTH_M)]
Offset = Annotated[float, Dimension.LENGTH, at.Ge(-MAX_LENGTH_M), at.Le(MAX_LENGTH_M)]
Power = Annotated[float, Dimension.POWER, at.Ge(0.0), at.Le(MAX_POWER_W)]
Temperature = Annotated[float, Dimension.TEMPERATURE]
Conductivity = Annotated[float, Dimension.CONDUCTIVITY, at.Gt(0.0), at.Le(5000.0)]
Count = Annotated[int, at.Ge(1), at.Le(MAX_COUNT)]
Fraction = Annotated[float, Dimension.DIMENSIONLESS, at.Ge(0.0), at.Le(1.0)]


class MaterialRef(str):
    """Marker type: a material key, checked against the library when the family builds."""


def param(default: Any, doc: str) -> Any:
    """Declare a parameter with its default and a one-line description."""
    if isinstance(default, list | dict | set):
        raise TypeError("use tuples for sequence defaults")
    return dataclasses.field(default=default, metadata={"doc": doc})


T = TypeVar("T")


def _printable(v: str) -> str:
    if not v.isprintable():
        raise ValueError("a name is printable single-line text (no newlines, tabs or control characters)")
    return v


def _pydantic_type(tp: Any) -> Any:
    """Translate a dataclass field type into a pydantic annotation."""
    if get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        dims = [m for m in meta if isinstance(m, Dimension)]
        rest = [m for m in meta if not isinstance(m, Dimension)]
        if dims:
            return Annotated[(base, _quantity(dims[0], rest), *rest)]
        if base is int:
            if not any(isinstance(m, at.Le | at.Lt) for m in rest):
                rest.append(at.Le(MAX_INDEX))
            return Annotated[(int, Strict(), *rest)]
        return Annotated[(_pydantic_type(base), *rest)]
    origin = get_origin(tp)
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return Annotated[tuple[_pydantic_type(args[0]), ...], at.MaxLen(MAX_ITEMS)]  # type: ignore[misc]
        return tuple[tuple(_pydantic_type(a) for a in args)]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_pydantic_type(a) for a in get_args(tp))]  # noqa: UP007
    if tp is bool:
        return Annotated[bool, Strict()]
    if tp is int:
        return Annotated[int, Strict(), at.Ge(0), at.Le(MAX_INDEX)]
    if tp is float:
        return Annotated[float, pydantic.AllowInfNan(False), at.Ge(-1e12), at.Le(1e12)]
    if tp is MaterialRef:
        return Annotated[str, Strict(), at.MinLen(1), at.MaxLen(100), pydantic.AfterValidator(_printable)]
    if dataclasses.is_dataclass(tp):
        return model_for(tp)  # type: ignore[arg-type]
    return tp


@cache
def model_for(cls: type) -> type[BaseModel]:
    """The pydantic model that validates input for the parameter dataclass ``cls``."""
    hints = get_type_hints(cls, include_extras=True)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else ...
        fields[f.name] = (_pydantic_type(hints[f.name]), default)
    model: type[BaseModel] = pydantic.create_model(
        cls.__name__ + "Input",
        __config__=ConfigDict(extra="forbid", frozen=True, use_enum_values=False),
        **fields,
    )
    return model


def _to_dataclass(cls: type[T], data: Any) -> T:
    hints = get_type_hints(cls, include_extras=True)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        kwargs[f.name] = _convert(hints[f.name], getattr(data, f.name))
    return cls(**kwargs)


def _convert(tp: Any, value: Any) -> Any:
    if get_origin(tp) is Annotated:
        return _convert(get_args(tp)[0], value)
    if get_origin(tp) in (typing.Union, types.UnionType):
        if value is None:
            return None
        # An optional record (``Lid | None``) or quantity: convert with the non-None member.
        members = [a for a in get_args(tp) if a is not type(None)]
        if len(members) == 1:
            return _convert(members[0], value)
        return value
    if get_origin(tp) is tuple and isinstance(value, tuple):
        args = get_args(tp)
        inner = args[0]
        return tuple(_convert(inner, v) for v in value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and isinstance(value, BaseModel):
        return _to_dataclass(tp, value)
    if tp is MaterialRef and isinstance(value, str):
        return MaterialRef(value)
    return value


def parse_params(cls: type[T], raw: Mapping[str, Any] | None, where: str = "parameters") -> T:
    """Validate user parameters into the frozen dataclass ``cls``.

    Raises
    ------
    DesignError
        On the first problem, naming the field path, the value and what is allowed.
    """
    raw = {} if raw is None else raw
    if not isinstance(raw, Mapping):
        raise DesignError(where, raw, "expected a mapping of parameter: value")
    model = model_for(cls)  # type: ignore[arg-type]
    try:
        data = model.model_validate(dict(raw))
    except pydantic.ValidationError as exc:
        raise pydantic_to_design_error(exc, where, model) from None
    return _to_dataclass(cls, data)


def pydantic_to_design_error(
    exc: pydantic.ValidationError, where: str, model: type[BaseModel] | None = None
) -> DesignError:
    """Turn pydantic's first error into a one-line `DesignError`."""
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    path = ".".join(x for x in (where, loc) if x) or "(top level)"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
        # Our quantity errors already say "value: got ...; allowed" - keep the allowed part.
        if "; " in msg and msg.startswith("value: got"):
            msg = msg.split("; ", 1)[1]
    if err["type"] == "missing":
        return DesignError(path, "<missing>", "this field is required")
    if err["type"] == "extra_forbidden" and model is not None:
        close = difflib.get_close_matches(str(err["loc"][-1]), list(model.model_fields), n=1)
        msg = "unknown parameter" + (f" (did you mean {close[0]!r}?)" if close else "")
        msg += "; allowed: " + ", ".join(model.model_fields)
    return DesignError(path, err.get("input"), msg)


def describe_default(tp: Any, value: Any) -> str:
    """Render a default for the YAML template, with its unit."""
    if get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        dims = [m for m in meta if isinstance(m, Dimension)]
        if dims and isinstance(value, float):
            dim = dims[0]
            if dim is Dimension.LENGTH and 0 < abs(value) < 1e-4:
                return f"{value * 1e6:.4g} um"
            if dim is Dimension.DIMENSIONLESS:
                return f"{value:g}"
            return format_quantity(value, dim)
        return describe_default(base, value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, tuple):
        return "[]" if not value else "[...]"
    return str(value)


def allowed_text(tp: Any) -> str:
    """Short description of what a field accepts (unit, enum values)."""
    if get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        dims = [m for m in meta if isinstance(m, Dimension)]
        bounds = [m for m in meta if isinstance(m, at.Gt | at.Ge | at.Lt | at.Le)]
        text = allowed_text(base)
        if dims:
            name = "" if dims[0] is Dimension.DIMENSIONLESS else dims[0].name.lower()
            return ", ".join(x for x in (name or text, _range_text(dims[0], bounds)) if x)
        signs = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
        for b in bounds:
            text += "".join(f", {signs[a]} {getattr(b, a)}" for a in signs if hasattr(b, a))
        return text
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + " | ".join(str(m.value) for m in tp)
    if tp is MaterialRef:
        return "material name"
    if get_origin(tp) in (typing.Union, types.UnionType):
        return " or ".join(allowed_text(a) for a in get_args(tp) if a is not type(None)) + " or null"
    if get_origin(tp) is tuple:
        return "list"
    return getattr(tp, "__name__", str(tp))


def _strip_optional(tp: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` is kept."""
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _record_type(tp: Any) -> type | None:
    """The dataclass a field holds (directly or optionally), else None."""
    base = _strip_optional(tp)
    return base if isinstance(base, type) and dataclasses.is_dataclass(base) else None


def _list_record_type(tp: Any) -> type | None:
    """The dataclass of a ``tuple[X, ...]`` field, else None."""
    if get_origin(tp) is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return _record_type(args[0])
    return None


def _scalar_text(tp: Any, value: Any) -> str:
    """A default as YAML text; tuples of scalars inline, each item with its unit."""
    if isinstance(value, tuple) and get_origin(tp) is tuple:
        args = get_args(tp)
        inner = [args[0]] * len(value) if len(args) == 2 and args[1] is Ellipsis else list(args)
        return "[" + ", ".join(_scalar_text(t, v) for t, v in zip(inner, value, strict=False)) + "]"
    if value == "":
        return '""'
    return describe_default(_strip_optional(tp), value)


def _record_lines(cls: type, value: Any, indent: int, commented: bool = False) -> list[str]:
    """Every field of a record, one a line, with its doc and what it accepts."""
    hints = get_type_hints(cls, include_extras=True)
    pad = " " * indent
    lead = "# " if commented else ""
    lines: list[str] = []
    for f in dataclasses.fields(cls):
        v = getattr(value, f.name)
        lines += _field_lines(f.name, hints[f.name], v, f.metadata.get("doc", ""), pad, lead)
    return lines


def _field_lines(name: str, tp: Any, value: Any, doc: str, pad: str, lead: str) -> list[str]:
    rec, lst = _record_type(tp), _list_record_type(tp)
    if rec is not None and value is not None:
        return [f"{lead}{pad}{name}:  # {doc}", *_record_lines(rec, value, len(pad) + 2, bool(lead))]
    if rec is not None:
        example = _example_of(rec)
        lines = [f"{lead}{pad}{name}: null  # {doc}"]
        if example is not None:
            # Deleting each line's leading "# " gives valid YAML in place of the null above.
            lines += [f"# {pad}{name}:  # example", *_record_lines(rec, example, len(pad) + 2, True)]
        return lines
    optional_list = _list_record_type(_strip_optional(tp))
    if lst is None and optional_list is not None and value is None:
        # A list whose null default the family fills in (fcbga's capacitors): show one entry to start from.
        example = _example_of(optional_list)
        lines = [f"{lead}{pad}{name}: null  # {doc}"]
        if example is not None:
            lines += [f"# {pad}{name}:  # example entry", *_items(optional_list, (example,), pad, "# ")]
        return lines
    if lst is not None:
        if not value:
            lines = [f"{lead}{pad}{name}: []  # {doc}"]
            example = _example_of(lst)
            if example is not None:
                lines += [f"# {pad}{name}:  # example entry", *_items(lst, (example,), pad, "# ")]
            return lines
        return [f"{lead}{pad}{name}:  # {doc}", *_items(lst, value, pad, lead)]
    text = _scalar_text(tp, value)
    return [f"{lead}{pad}{name}: {text}  # {doc} [{allowed_text(tp)}]"]


def _items(cls: type, values: Any, pad: str, lead: str) -> list[str]:
    out: list[str] = []
    for v in values:
        body = _record_lines(cls, v, len(pad) + 4, False)
        first = body[0][len(pad) + 4 :]
        out.append(f"{lead}{pad}  - {first}")
        out += [lead + ln for ln in body[1:]]
    return out


def _example_of(cls: type) -> Any:
    try:
        return cls()
    except TypeError:
        return None


def template(cls: type, family: str) -> str:
    """A commented YAML design file with every parameter (nested ones too), its unit and its default."""
    lines = [
        f"# semipack design file: family {family}",
        "# Every quantity needs a unit (mm, um, mil, W, C, W/m/K ...).",
        f"family: {family}",
        "name: my_package",
        "parameters:",
    ]
    lines += _record_lines(cls, _example_of(cls), 2)
    lines += [
        "# materials:            # add or override materials (each property needs a source)",
        "#   my_glue: {base: thermal_glue, k: [5 W/m/K, 'vendor data sheet']}",
        "# overrides:            # change the material of bodies by name pattern",
        "#   'ball_*': {material: sn63pb37}",
    ]
    return "\n".join(lines) + "\n"
