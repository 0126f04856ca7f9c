"""Physical bounds on every number a design, flow, study or option gives; bounded work."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, cli

from semipack.design import build_design
from semipack.errors import DesignError
from semipack.materials import default_library
from semipack.model.budget import MAX_BODIES
from semipack.process.loader import flow_from_mapping
from semipack.study.spec import study_from_mapping
from semipack.thermal.grid import BYTES_PER_CELL
from semipack.units import MIN_LENGTH_M, Dimension, parse_quantity


def _refused(family: str, needle: str, **params: Any) -> str:
    with pytest.raises(DesignError) as info:
        build_design({"family": family, "name": "t", "parameters": params})
    text = str(info.value)
    assert needle in text and "\n" not in text, text
    return text


def test_unit_expressions_are_bounded() -> None:
    with pytest.raises(DesignError, match="at most 100 characters"):
        parse_quantity("1 " + "(" * 20000 + "m" + ")" * 20000, Dimension.LENGTH, "f")
    with pytest.raises(DesignError, match="nested at most 8"):
        parse_quantity("1 " + "(" * 12 + "m" + ")" * 12, Dimension.LENGTH, "f")
    with pytest.raises(DesignError, match="exponents are limited"):
        parse_quantity("1 mm^-400", Dimension.LENGTH, "f")
    with pytest.raises(DesignError, match="finite"):
        parse_quantity("1e999 mm", Dimension.LENGTH, "f")  # inf
    assert parse_quantity("8.9 (g/((cm)^3))", Dimension.DENSITY, "f") == pytest.approx(8900.0)


def test_lengths_between_the_fabrication_floor_and_a_metre() -> None:
    text = _refused("thinfilm_metal", "0.1 um", die_thickness="1e-30 mm")
    assert "parameters.die_thickness" in text and "'1e-30 mm'" in text
    _refused("thinfilm_metal", "0.1 um", die_thickness="-5 um")
    _refused("qfn", "1 m", body_x="2 m")
    # The floor itself is accepted by the field (then the geometry decides).
    assert pytest.approx(parse_quantity("0.1 um", Dimension.LENGTH, "f")) == MIN_LENGTH_M


def test_counts_powers_and_indices_are_bounded() -> None:
    _refused("cavity_buildup", "less than or equal to 1000", layers=1_000_000)
    _refused("thinfilm_metal", "less than or equal to 1000", die_count=2**40)
    _refused("spreader_bga", "greater than or equal to 0", thermal_balls=-5)
    _refused("thinfilm_metal", "<= 1e+04 W", die_power="1e30 W")


def test_the_body_cap_stops_a_build_early() -> None:
    t0 = time.perf_counter()
    _refused("thinfilm_metal", f"more than {MAX_BODIES} bodies", die_count=1000)
    _refused("spreader_bga", "bodies", strip_units=1000)
    assert time.perf_counter() - t0 < 30  # refused while building, not after minutes


@pytest.mark.parametrize(
    ("prop", "value"),
    [("k", "1e300 W/m/K"), ("k", "0 W/m/K"), ("density", "0 kg/m^3"), ("youngs", "0 GPa"), ("cp", "-1 J/kg/K")],
)
def test_material_properties_within_physical_ranges(prop: str, value: str) -> None:
    with pytest.raises(DesignError, match=rf"materials\.glue\.{prop}"):
        default_library().extended({"glue": {"base": "thermal_glue", prop: [value, "test"]}})


def test_the_bundled_library_lies_within_the_ranges_but_air() -> None:
    lib = default_library()
    assert all(0.01 <= m.k_inplane_w_mk <= 5000 and 1 <= m.density_kg_m3 <= 25000 for m in lib.values())


@pytest.mark.parametrize(
    ("step", "needle"),
    [
        ({"kind": "cure", "temperature": "150 C", "time": "-1 h"}, "time from 0"),
        ({"kind": "deposit_dielectric", "layer": 1, "thickness": "-5 um", "material": "bcb"}, "length from 0.1 um"),
        ({"kind": "cure", "label": "a\nb"}, "printable"),
    ],
)
def test_flow_steps_are_bounded(step: dict[str, Any], needle: str) -> None:
    with pytest.raises(DesignError, match=needle):
        flow_from_mapping({"name": "f", "steps": [{"kind": "provide_substrate"}, step]})


def test_flow_street_is_bounded() -> None:
    with pytest.raises(DesignError, match="saw street"):
        flow_from_mapping({"name": "f", "street": "-0.25 mm", "steps": [{"kind": "provide_substrate"}]})


def _study(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": "s",
        "base": {"family": "qfn", "name": "q"},
        "parameters": {"body_x": {"range": ["4 mm", "6 mm"]}},
        "sampling": {"method": "lhs", "points": 4, "seed": 1},
        "analyses": {"package": {}},
        "outputs": ["total_height_m"],
    }
    doc.update(over)
    return doc


@pytest.mark.parametrize(
    ("over", "needle"),
    [
        ({"parameters": {"x": {"range": [0, float("inf")]}}}, "finite"),
        ({"parameters": {"x": {"distribution": "normal", "mean": "1 mm", "std": ".inf mm"}}}, "x.std"),
        ({"sampling": {"method": "lhs", "points": 4, "seed": -1}}, "sampling.seed"),
        ({"analyses": {"thermal": {"resolution": 0}}}, "resolution from 0.1"),
        ({"analyses": {"thermal": {"resolution": float("nan")}}}, "resolution from 0.1"),
        ({"analyses": {"thermal": {"resolution": 100}}}, "resolution from 0.1"),
        ({"analyses": {"warpage": {"method": "magic"}}}, "allowed: fe, clt"),
        ({"analyses": {"thermal": {"env": "forced-air", "air_speed": "-1 m/s"}}}, "air speed"),
        ({"constraints": ["total_height_m <= nan"]}, "finite"),
        (
            {
                "parameters": {f"p{i}": {"range": [1, 2], "steps": 100} for i in range(6)},
                "sampling": {"method": "factorial"},
            },
            "plan of at most",
        ),
        (
            {
                "parameters": {f"p{i}": {"range": [1, 2]} for i in range(64)},
                "sampling": {"method": "saltelli", "points": 1_000_000},
            },
            "plan of at most",
        ),
    ],
)
def test_study_files_are_bounded(over: dict[str, Any], needle: str) -> None:
    t0 = time.perf_counter()
    with pytest.raises(DesignError, match=needle) as info:
        study_from_mapping(_study(**over))
    assert "\n" not in str(info.value)
    assert time.perf_counter() - t0 < 5  # refused from the counts, before any allocation


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("thermal", "--env", "still-air", "--air-speed", "-1 m/s"), "--air-speed"),
        (("thermal", "--resolution", "0.001"), "--resolution"),
        (("thermal", "--resolution", "16"), "--resolution"),
        (("claims", "--tolerance", "similar_cte_ppm_k=inf"), "--tolerance"),
        (("claims", "--tolerance", "similar_cte_ppm_k=nan"), "--tolerance"),
    ],
)
def test_cli_options_are_bounded(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str) -> None:
    code, _, err = cli(capsys, args[0], str(EXAMPLES / "qfn32.yaml"), *args[1:])
    assert code == 2 and err.count("\n") == 1 and needle in err, err


def test_max_cells_refuses_with_the_estimate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    t0 = time.perf_counter()
    code, _, err = cli(capsys, "thermal", str(EXAMPLES / "qfn32.yaml"), "--max-cells", "1000", "--json")
    assert code == 2 and err.count("\n") == 1, err
    assert "the limit is 1000 cells" in err and "GB" in err
    cells = int(err.split("got '")[1].split(" cells")[0])
    assert cells > 1000
    assert f"{(150e6 + BYTES_PER_CELL * cells) / 1e9:.1f} GB" in err
    assert time.perf_counter() - t0 < 30  # refused before the solve


def test_max_memory_refuses_with_the_estimate_and_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    t0 = time.perf_counter()
    # The PBGA on its 2s2p board: 1.1 M cells, about 0.8 GB (the QFN's 0.17 M cells now fit in 256 MiB).
    code, _, err = cli(capsys, "thermal", str(EXAMPLES / "pbga.yaml"), "--max-memory", "256 MiB", "--json")
    assert code == 2 and err.count("\n") == 1, err
    cells = int(err.split("got '")[1].split(" cells")[0])
    # The estimate the message gives is the model's (BASE_BYTES + BYTES_PER_CELL per cell), and above the limit.
    estimate = 150e6 + BYTES_PER_CELL * cells
    assert estimate > 2**28
    assert f"about {estimate / 1e9:.1f} GB" in err and f"the memory limit is {2**28 / 1e9:.1f} GB" in err, err
    assert "--max-memory" in err
    assert time.perf_counter() - t0 < 30  # refused before the solve


@pytest.mark.parametrize("text", ["16", "0 GB", "1 MB", "nan GiB", "inf GB", "2 PiB", "1e999 GB", "-4 GB", "16 GiB\n"])
def test_max_memory_needs_a_size_with_its_unit_in_range(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, _, err = cli(capsys, "thermal", str(EXAMPLES / "qfn32.yaml"), "--max-memory", text)
    assert code == 2 and err.count("\n") == 1 and "--max-memory" in err and "256 MiB to 1 PiB" in err, err


def test_memory_sizes_read_in_decimal_and_binary_units() -> None:
    from semipack.thermal.grid import DEFAULT_MAX_MEMORY, parse_memory

    assert parse_memory("16 GiB") == 16 * 1024**3 == DEFAULT_MAX_MEMORY
    assert parse_memory("500 MB") == 500e6
    assert parse_memory("1.5TB") == 1.5e12
    # The default fits a 24 GiB CI machine with room for the system and the estimate's error.
    assert DEFAULT_MAX_MEMORY <= 0.75 * 24 * 1024**3


def test_the_conductivity_range_is_one_the_solver_factors() -> None:
    """The extremes of the allowed k (1e-9 and 5000 W/m/K) side by side solve with energy balance;
    beyond them the input is refused before the solver sees it (1e300 W/m/K failed to factor)."""
    from semipack.thermal import BoardKind, Environment, EnvKind, solve_thermal

    mats = {
        "hot": {"base": "si", "k": ["5000 W/m/K", "test"]},
        "cold": {"base": "mold_compound", "k": ["1e-9 W/m/K", "test"]},
    }
    over = {"die": {"material": "hot"}, "mould": {"material": "cold"}}
    pkg = build_design({"family": "qfn", "name": "kx", "materials": mats, "overrides": over})
    r = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_BOTTOM, BoardKind.NONE), resolution=0.2)
    assert abs(r.energy_balance_rel) < 1e-8 and r.tj_max_k > 298.15
    with pytest.raises(DesignError, match="between 1e-09 and 5000"):
        build_design({"family": "qfn", "name": "kx", "materials": {"hot": {"base": "si", "k": ["1e300 W/m/K", "t"]}}})


def test_a_study_is_checked_against_its_base_before_it_runs() -> None:
    from semipack.study.spec import check_base

    with pytest.raises(DesignError, match=r"parameters\.nope.*a parameter of family qfn"):
        check_base(study_from_mapping(_study(parameters={"nope": {"range": ["1 mm", "2 mm"]}})))
    bad_base = _study(base={"family": "qfn", "name": "q", "parameters": {"die_thickness": "1e-30 mm"}})
    with pytest.raises(DesignError, match=r"base\.parameters\.die_thickness"):
        check_base(study_from_mapping(bad_base))
    with pytest.raises(DesignError, match=r"values\.1"):
        study_from_mapping(_study(parameters={"body_x": {"values": ["5 mm", float("nan")]}}))


def test_the_fe_mesh_is_counted_before_it_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import example

    from semipack.mechanics import fe

    monkeypatch.setattr(fe, "MAX_FE_CELLS", 100)
    with pytest.raises(DesignError, match="an FE mesh of at most 100 cells"):
        fe.mesh_package(example("qfn32"), 0.5)
