"""`semipack thermal` is the library's `thermal_run` plus parsing and rendering: the command's JSON is
the run's `to_dict`, the run checks its own limits in its own argument names, and the CLI names the flags."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, cli, example

from semipack.errors import DesignError
from semipack.thermal import KEYS, EnvKind
from semipack.thermal.environment import BoardKind, Environment
from semipack.thermal.thermal_run import ThermalMode, thermal_run

COLD_TOP = Environment(EnvKind.COLD_PLATE_TOP, BoardKind.NONE)
RES = 0.5


def test_run_metrics_follow_their_definitions() -> None:
    run = thermal_run(example("stack"), COLD_TOP, resolution=RES, power_w=2.0)
    doc = run.to_dict()
    assert list(doc) == [*KEYS, "bench"]
    assert run.result is not None and run.convergence is None and run.mode is ThermalMode.ONE
    # JESD51-12: theta_JC(top) = (Tj - T_case) / P with the case held at the cold plate's 25 C
    assert doc["theta_jc_top_c_per_w"] == pytest.approx((doc["tj_max_c"] - 25.0) / 2.0, rel=1e-9)
    assert doc["energy_balance_rel"] < 1e-8
    assert doc["bench"]["environment"] == "cold-plate-top"


def test_command_json_is_the_runs_dict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "thermal", str(EXAMPLES / "stack.yaml"), "--env", "cold-plate-top", "--board", "none",
        "--resolution", str(RES), "--power", "2 W", "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    lib = thermal_run(example("stack"), COLD_TOP, resolution=RES, power_w=2.0).to_dict()
    timing = {"solve_s"}
    assert {k: v for k, v in doc.items() if k not in timing} == {k: v for k, v in lib.items() if k not in timing}


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"max_cells": 10}, "max_cells"), ({"power_w": 0.0}, "power_w"), ({"resolution": 0.0}, "resolution")],
)
def test_run_refuses_in_its_own_terms(kw: dict[str, float], field: str) -> None:
    with pytest.raises(DesignError) as info:
        thermal_run(example("stack"), COLD_TOP, **kw)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    ("args", "flag"),
    [(("--max-cells", "10"), "--max-cells: got 10;"), (("--power", "0 W"), "--power: got 0.0;")],
)
def test_command_names_the_flag(capsys: pytest.CaptureFixture[str], args: tuple[str, str], flag: str) -> None:
    code, _, err = cli(capsys, "thermal", str(EXAMPLES / "stack.yaml"), *args)
    assert code == 2 and err.startswith(f"semipack: error: {flag}") and err.count("\n") == 1
