"""The results the thin commands print: one library call each, range checks in library terms."""

from __future__ import annotations

import json

import pytest
from conftest import example

from semipack.errors import DesignError
from semipack.mechanics.fatigue_run import fatigue_run
from semipack.mechanics.profiles import Cycle, CycleCondition, condition


def test_fatigue_run_field_life_and_weibull_lives_follow_their_definitions() -> None:
    field = Cycle(273.15, 333.15, 1.0, "0C:60C", 6 * 3600.0)
    run = fatigue_run(example("spreader_bga"), condition(CycleCondition.G), weibull_slope=4.0, field=field)
    d = json.loads(json.dumps(run.to_dict()))  # plain JSON values only
    assert run.field is not None
    # acceleration factor: field life over test life of the worst ball; years at one cycle a day
    assert d["acceleration_factor"] == pytest.approx(run.field.worst.cycles / run.result.worst.cycles, rel=1e-12)
    assert d["field_years_min"] == pytest.approx(run.field.worst.cycles / 365.25, rel=1e-12)
    lives = [d[f"package_cycles_to_failure_{p}pct"] for p in (1, 10, 50)]
    assert lives == sorted(lives) and lives[-1] <= run.result.worst.cycles  # weakest link: no later than the worst ball
    assert len(d["balls"]) == len(run.result.balls) and d["cycles_to_failure_min"] == min(
        b["cycles_to_failure"] for b in d["balls"]
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weibull_slope": 0.1}, "weibull_slope"),
        ({"power_w": 2.0, "cycle": condition(CycleCondition.G)}, "power_w"),
        ({"power_w": 5000.0}, "power_w"),
        ({"power_w": 2.0, "ambient_k": 500.0}, "ambient_k"),
        ({}, "cycle"),
    ],
)
def test_fatigue_run_names_its_own_arguments(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DesignError) as info:
        fatigue_run(example("spreader_bga"), **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
