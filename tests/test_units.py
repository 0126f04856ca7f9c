"""Units at the boundary: explicit units in, SI floats out, clear errors otherwise."""

from __future__ import annotations

import math

import pytest

from semipack.errors import DesignError
from semipack.units import Dimension, format_quantity, parse_quantity


@pytest.mark.parametrize(
    ("text", "dim", "si"),
    [
        ("0.3 mm", Dimension.LENGTH, 0.3e-3),
        ("300 um", Dimension.LENGTH, 300e-6),
        ("300 µm", Dimension.LENGTH, 300e-6),
        ("12 mil", Dimension.LENGTH, 12 * 25.4e-6),
        ("1 in", Dimension.LENGTH, 0.0254),
        ("2 W", Dimension.POWER, 2.0),
        ("500 mW", Dimension.POWER, 0.5),
        ("25 C", Dimension.TEMPERATURE, 298.15),
        ("-40 degC", Dimension.TEMPERATURE, 233.15),
        ("300 K", Dimension.TEMPERATURE, 300.0),
        ("3.5 W/m/K", Dimension.CONDUCTIVITY, 3.5),
        ("3.5 W/(m*K)", Dimension.CONDUCTIVITY, 3.5),
        ("3.5 W/m/C", Dimension.CONDUCTIVITY, 3.5),  # a degree inside a compound unit is a difference
        ("8.9 g/cm^3", Dimension.DENSITY, 8900.0),
        ("8.9 g/cm3", Dimension.DENSITY, 8900.0),
        ("16.5 ppm/K", Dimension.EXPANSION, 16.5e-6),
        ("120 GPa", Dimension.PRESSURE, 120e9),
        ("1.72 uohm*cm", Dimension.RESISTIVITY, 1.72e-8),
        ("385 J/kg/K", Dimension.SPECIFIC_HEAT, 385.0),
        ("10 W/m^2/K", Dimension.HEAT_TRANSFER_COEFF, 10.0),
        ("0.5", Dimension.DIMENSIONLESS, 0.5),
    ],
)
def test_parse_to_si(text: str, dim: Dimension, si: float) -> None:
    assert math.isclose(parse_quantity(text, dim), si, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("0.3", "unit is required"),
        (0.3, "unit is required"),
        ("nan mm", "expected a number"),
        ("inf mm", "expected a number"),
        ("3 W", "dimension"),
        ("3 furlong", "unknown unit"),
        ("1e9 mm", "below 1 m"),
        ("mm", "expected a number"),
        (True, "expected"),
        ([1, "mm"], "expected"),
    ],
)
def test_bad_lengths_are_one_line_errors(value: object, needle: str) -> None:
    with pytest.raises(DesignError) as err:
        parse_quantity(value, Dimension.LENGTH, "parameters.die_size")
    msg = str(err.value)
    assert msg.startswith("parameters.die_size: got ")
    assert needle in msg
    assert "\n" not in msg


def test_below_absolute_zero_is_refused() -> None:
    with pytest.raises(DesignError, match="absolute zero"):
        parse_quantity("-300 C", Dimension.TEMPERATURE)


def test_format_round_trip() -> None:
    for v in (0.3e-3, 27e-3, 1.25e-3):
        assert math.isclose(parse_quantity(format_quantity(v, Dimension.LENGTH, 12), Dimension.LENGTH), v, rel_tol=1e-9)
    assert format_quantity(298.15, Dimension.TEMPERATURE) == "25 C"
