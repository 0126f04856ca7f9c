"""Quantities with explicit units at the boundary; SI floats inside.

A quantity string is a number followed by a unit expression: ``"0.3 mm"``,
``"300 um"``, ``"12 mil"``, ``"2 W"``, ``"25 C"``, ``"3.5 W/m/K"``,
``"16.5 ppm/K"``, ``"8.9 g/cm^3"``. A bare number is an error wherever a
dimension is expected: a length without a unit is not guessed.

Temperatures are absolute and stored in kelvin; ``C``/``degC``/``°C`` alone means
degrees Celsius (offset 273.15). Inside a compound unit (``W/m/C``) a degree is a
temperature *difference* and scales like a kelvin.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum

from semipack.errors import DesignError

# Base dimensions: length, mass, time, temperature, current.
_DIM_NAMES = ("m", "kg", "s", "K", "A")
Dims = tuple[int, int, int, int, int]


class Dimension(Enum):
    """Physical dimensions the design files use, as exponent vectors of (m, kg, s, K, A)."""

    DIMENSIONLESS = (0, 0, 0, 0, 0)
    LENGTH = (1, 0, 0, 0, 0)
    AREA = (2, 0, 0, 0, 0)
    TIME = (0, 0, 1, 0, 0)
    TEMPERATURE = (0, 0, 0, 1, 0)
    MASS = (0, 1, 0, 0, 0)
    POWER = (2, 1, -3, 0, 0)
    CURRENT = (0, 0, 0, 0, 1)
    VOLTAGE = (2, 1, -3, 0, -1)
    CONDUCTIVITY = (1, 1, -3, -1, 0)  # W/(m K)
    DENSITY = (-3, 1, 0, 0, 0)
    SPECIFIC_HEAT = (2, 0, -2, -1, 0)  # J/(kg K)
    EXPANSION = (0, 0, 0, -1, 0)  # 1/K
    PRESSURE = (-1, 1, -2, 0, 0)  # Pa
    RESISTIVITY = (3, 1, -3, 0, -2)  # ohm m
    SHEET_RESISTANCE = (2, 1, -3, 0, -2)  # ohm (per square)
    POWER_DENSITY = (0, 1, -3, 0, 0)  # W/m^2
    HEAT_TRANSFER_COEFF = (0, 1, -3, -1, 0)  # W/(m^2 K)
    THERMAL_RESISTANCE_AREA = (0, -1, 3, 1, 0)  # m^2 K / W
    VELOCITY = (1, 0, -1, 0, 0)
    FREQUENCY = (0, 0, -1, 0, 0)

    @property
    def si_unit(self) -> str:
        """The SI unit written out, for messages and templates."""
        return _SI_SYMBOL[self]


_SI_SYMBOL: dict[Dimension, str] = {
    Dimension.DIMENSIONLESS: "1",
    Dimension.LENGTH: "m",
    Dimension.AREA: "m^2",
    Dimension.TIME: "s",
    Dimension.TEMPERATURE: "K",
    Dimension.MASS: "kg",
    Dimension.POWER: "W",
    Dimension.CURRENT: "A",
    Dimension.VOLTAGE: "V",
    Dimension.CONDUCTIVITY: "W/m/K",
    Dimension.DENSITY: "kg/m^3",
    Dimension.SPECIFIC_HEAT: "J/kg/K",
    Dimension.EXPANSION: "1/K",
    Dimension.PRESSURE: "Pa",
    Dimension.RESISTIVITY: "ohm*m",
    Dimension.SHEET_RESISTANCE: "ohm",
    Dimension.POWER_DENSITY: "W/m^2",
    Dimension.HEAT_TRANSFER_COEFF: "W/m^2/K",
    Dimension.THERMAL_RESISTANCE_AREA: "m^2*K/W",
    Dimension.VELOCITY: "m/s",
    Dimension.FREQUENCY: "Hz",
}

# Display units used when echoing values back to people.
DISPLAY_UNIT: dict[Dimension, tuple[str, float]] = {
    Dimension.LENGTH: ("mm", 1e-3),
    Dimension.AREA: ("mm^2", 1e-6),
    Dimension.POWER: ("W", 1.0),
    Dimension.TIME: ("s", 1.0),
    Dimension.CONDUCTIVITY: ("W/m/K", 1.0),
    Dimension.EXPANSION: ("ppm/K", 1e-6),
    Dimension.PRESSURE: ("GPa", 1e9),
    Dimension.DENSITY: ("kg/m^3", 1.0),
    Dimension.SPECIFIC_HEAT: ("J/kg/K", 1.0),
    Dimension.RESISTIVITY: ("ohm*m", 1.0),
}


@dataclass(frozen=True)
class _Unit:
    scale: float
    dims: Dims


def _u(scale: float, *dims: int) -> _Unit:
    return _Unit(scale, (dims[0], dims[1], dims[2], dims[3], dims[4]))


_M = (1, 0, 0, 0, 0)
_UNITS: dict[str, _Unit] = {
    # length
    "m": _u(1.0, *_M),
    "cm": _u(1e-2, *_M),
    "mm": _u(1e-3, *_M),
    "um": _u(1e-6, *_M),
    "µm": _u(1e-6, *_M),
    "micron": _u(1e-6, *_M),
    "nm": _u(1e-9, *_M),
    "mil": _u(25.4e-6, *_M),
    "in": _u(25.4e-3, *_M),
    # mass
    "kg": _u(1.0, 0, 1, 0, 0, 0),
    "g": _u(1e-3, 0, 1, 0, 0, 0),
    "mg": _u(1e-6, 0, 1, 0, 0, 0),
    # time
    "s": _u(1.0, 0, 0, 1, 0, 0),
    "ms": _u(1e-3, 0, 0, 1, 0, 0),
    "us": _u(1e-6, 0, 0, 1, 0, 0),
    "min": _u(60.0, 0, 0, 1, 0, 0),
    "h": _u(3600.0, 0, 0, 1, 0, 0),
    # temperature (difference inside compound units)
    "K": _u(1.0, 0, 0, 0, 1, 0),
    "C": _u(1.0, 0, 0, 0, 1, 0),
    "degC": _u(1.0, 0, 0, 0, 1, 0),
    "°C": _u(1.0, 0, 0, 0, 1, 0),
    # frequency
    "Hz": _u(1.0, 0, 0, -1, 0, 0),
    "kHz": _u(1e3, 0, 0, -1, 0, 0),
    "MHz": _u(1e6, 0, 0, -1, 0, 0),
    "GHz": _u(1e9, 0, 0, -1, 0, 0),
    # current
    "A": _u(1.0, 0, 0, 0, 0, 1),
    "mA": _u(1e-3, 0, 0, 0, 0, 1),
    # derived
    "W": _u(1.0, 2, 1, -3, 0, 0),
    "mW": _u(1e-3, 2, 1, -3, 0, 0),
    "kW": _u(1e3, 2, 1, -3, 0, 0),
    "J": _u(1.0, 2, 1, -2, 0, 0),
    "N": _u(1.0, 1, 1, -2, 0, 0),
    "Pa": _u(1.0, -1, 1, -2, 0, 0),
    "kPa": _u(1e3, -1, 1, -2, 0, 0),
    "MPa": _u(1e6, -1, 1, -2, 0, 0),
    "GPa": _u(1e9, -1, 1, -2, 0, 0),
    "V": _u(1.0, 2, 1, -3, 0, -1),
    "mV": _u(1e-3, 2, 1, -3, 0, -1),
    "ohm": _u(1.0, 2, 1, -3, 0, -2),
    "Ohm": _u(1.0, 2, 1, -3, 0, -2),
    "mohm": _u(1e-3, 2, 1, -3, 0, -2),
    "uohm": _u(1e-6, 2, 1, -3, 0, -2),
    "µohm": _u(1e-6, 2, 1, -3, 0, -2),
    "Ω": _u(1.0, 2, 1, -3, 0, -2),
    "ppm": _u(1e-6, 0, 0, 0, 0, 0),
    "%": _u(1e-2, 0, 0, 0, 0, 0),
    "1": _u(1.0, 0, 0, 0, 0, 0),
}

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY_RE = re.compile(rf"^\s*({_NUMBER})\s*(.*?)\s*$")
_TOKEN_RE = re.compile(r"\s*([A-Za-zµ°%Ω][A-Za-zµ°%Ω]*|1|\(|\)|\*|/|\.|\^|-?\d+)\s*")
_ABS_TEMPERATURE = {"C": 273.15, "degC": 273.15, "°C": 273.15, "K": 0.0}

MIN_LENGTH_M = 1e-7
"""Fabrication floor for every length a design gives: 0.1 um (thinner than any sputtered
seed layer or plated finish a package uses); below it a value is a typo, not a part."""
MAX_LENGTH_M = 1.0
"""Largest length a design gives: 1 m (no package, strip or board is larger)."""
MAX_QUANTITY_CHARS = 100
"""Longest quantity text ("0.3 mm"): bounds the unit parser's work and recursion."""
MAX_UNIT_EXPONENT = 6

# Values beyond these magnitudes (in SI) are refused as typos: no package is a metre wide.
_MAX_ABS: dict[Dimension, float] = {Dimension.LENGTH: MAX_LENGTH_M, Dimension.TEMPERATURE: 2000.0}


class _UnitParser:
    """Recursive-descent parser for unit expressions: products, quotients, powers, parentheses."""

    def __init__(self, text: str) -> None:
        self.tokens = [t for t in _TOKEN_RE.findall(text) if t]
        joined = "".join(_TOKEN_RE.findall(text))
        if joined.replace(" ", "") != text.replace(" ", ""):
            raise ValueError(f"cannot read unit {text!r}")
        self.pos = 0
        self.depth = 0

    def parse(self) -> _Unit:
        unit = self._product()
        if self.pos != len(self.tokens):
            raise ValueError("unexpected " + repr(self.tokens[self.pos]))
        return unit

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _product(self) -> _Unit:
        unit = self._power()
        while self._peek() in ("*", "/", "."):
            op = self.tokens[self.pos]
            self.pos += 1
            rhs = self._power()
            sign = -1 if op == "/" else 1
            unit = _Unit(
                unit.scale * rhs.scale**sign,
                tuple(a + sign * b for a, b in zip(unit.dims, rhs.dims, strict=True)),  # type: ignore[arg-type]
            )
        return unit

    def _power(self) -> _Unit:
        base = self._atom()
        tok = self._peek()
        exp: int | None = None
        if tok == "^":
            self.pos += 1
            tok = self._peek()
            if tok is None or not re.fullmatch(r"-?\d+", tok):
                raise ValueError("exponent expected after '^'")
            exp = int(tok)
            self.pos += 1
        elif tok is not None and re.fullmatch(r"-?\d+", tok) and tok != "1":
            exp = int(tok)  # "cm3", "m2"
            self.pos += 1
        if exp is None:
            return base
        if abs(exp) > MAX_UNIT_EXPONENT:
            raise ValueError(f"exponents are limited to +-{MAX_UNIT_EXPONENT}")
        return _Unit(base.scale**exp, tuple(d * exp for d in base.dims))  # type: ignore[arg-type]

    def _atom(self) -> _Unit:
        tok = self._peek()
        if tok is None:
            raise ValueError("unit expected")
        self.pos += 1
        if tok == "(":
            self.depth += 1
            if self.depth > 8:
                raise ValueError("parentheses are nested at most 8 deep")
            inner = self._product()
            self.depth -= 1
            if self._peek() != ")":
                raise ValueError("missing ')'")
            self.pos += 1
            return inner
        if tok in _UNITS:
            return _UNITS[tok]
        # "mK" style splits are not supported on purpose: name units explicitly.
        raise ValueError(f"unknown unit {tok!r}")


def _dims_name(dims: Dims) -> str:
    parts = [f"{n}^{e}" if e != 1 else n for n, e in zip(_DIM_NAMES, dims, strict=True) if e]
    return "*".join(parts) or "dimensionless"


def parse_quantity(text: object, dimension: Dimension, field: str = "value") -> float:
    """Parse a quantity with an explicit unit into an SI float.

    Parameters
    ----------
    text
        The user's value, e.g. ``"0.3 mm"``. Numbers without a unit are accepted
        only for dimensionless quantities.
    dimension
        The dimension the field expects.
    field
        Field path used in the error message.

    Returns
    -------
    float
        The value in SI units (temperatures in kelvin).

    Raises
    ------
    DesignError
        Missing or wrong unit, unreadable text, NaN/inf, or an absurd magnitude.
    """
    allowed = f"expected a number with a unit of {dimension.name.lower()} (e.g. '{_example(dimension)}')"
    if isinstance(text, bool):
        raise DesignError(field, text, allowed)
    if isinstance(text, int | float):
        if dimension is Dimension.DIMENSIONLESS:
            value = float(text)
            _check_finite(value, field, text)
            return value
        raise DesignError(field, text, f"a unit is required; {allowed}")
    if not isinstance(text, str):
        raise DesignError(field, text, allowed)
    if len(text) > MAX_QUANTITY_CHARS:
        raise DesignError(field, text, f"a quantity is at most {MAX_QUANTITY_CHARS} characters; {allowed}")
    match = _QUANTITY_RE.match(text)
    if not match:
        raise DesignError(field, text, allowed)
    number = float(match.group(1))
    unit_text = match.group(2)
    _check_finite(number, field, text)
    if not unit_text:
        if dimension is Dimension.DIMENSIONLESS:
            return number
        raise DesignError(field, text, f"a unit is required; {allowed}")
    if dimension is Dimension.TEMPERATURE and unit_text in _ABS_TEMPERATURE:
        value = number + _ABS_TEMPERATURE[unit_text]
        if value < 0:
            raise DesignError(field, text, "temperature below absolute zero")
        _check_range(value, dimension, field, text)
        return value
    try:
        unit = _UnitParser(unit_text).parse()
    except ValueError as exc:
        raise DesignError(field, text, f"{exc}; {allowed}") from None
    if unit.dims != dimension.value:
        raise DesignError(
            field,
            text,
            f"unit has dimension {_dims_name(unit.dims)}, {allowed}",
        )
    value = number * unit.scale
    _check_finite(value, field, text)
    _check_range(value, dimension, field, text)
    return value


def _check_finite(value: float, field: str, text: object) -> None:
    if not math.isfinite(value):
        raise DesignError(field, text, "a finite number is required")


def _check_range(value: float, dimension: Dimension, field: str, text: object) -> None:
    limit = _MAX_ABS.get(dimension)
    if limit is not None and abs(value) > limit:
        raise DesignError(field, text, f"magnitude must be below {limit:g} {dimension.si_unit}")


def _example(dimension: Dimension) -> str:
    return {
        Dimension.LENGTH: "0.3 mm",
        Dimension.POWER: "2 W",
        Dimension.TEMPERATURE: "25 C",
        Dimension.CONDUCTIVITY: "3.5 W/m/K",
        Dimension.DENSITY: "8.9 g/cm^3",
        Dimension.SPECIFIC_HEAT: "385 J/kg/K",
        Dimension.EXPANSION: "16.5 ppm/K",
        Dimension.PRESSURE: "120 GPa",
        Dimension.RESISTIVITY: "1.7e-8 ohm*m",
        Dimension.TIME: "90 s",
    }.get(dimension, f"1 {dimension.si_unit}")


def format_quantity(value: float, dimension: Dimension, digits: int = 4) -> str:
    """Format an SI value in the display unit for its dimension (mm for lengths, C for temperatures)."""
    if dimension is Dimension.TEMPERATURE:
        return f"{value - 273.15:.{digits}g} C"
    unit, scale = DISPLAY_UNIT.get(dimension, (dimension.si_unit, 1.0))
    return f"{value / scale:.{digits}g} {unit}"


def mm(v: float) -> str:
    """A length (m) as text in millimetres, for messages and evidence."""
    return f"{v * 1e3:.4g} mm"


def um(v: float) -> str:
    """A length (m) as text in micrometres, for messages and evidence."""
    return f"{v * 1e6:.4g} um"
