"""The JEDEC set-ups in lanes that run at once: the same metrics, every environment once, memory respected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import EXAMPLES, cli, example

import semipack.thermal.lanes as lanes_module
import semipack.thermal.metrics as metrics_module
import semipack.thermal.setup as thermal_setup
from semipack.errors import DesignError
from semipack.progress import Recorder
from semipack.thermal import Environment, EnvKind, jedec_metrics, solve_thermal
from semipack.thermal.grid import estimated_bytes
from semipack.thermal.lanes import lane_count, lanes
from semipack.thermal.metrics import KEYS, RUN_ORDER
from semipack.thermal.setup import ThermalCache, mount, prescribed_board

METRICS = [k for k in KEYS if k.endswith("_c_per_w") or k == "tj_max_c"]


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, ...], ...]]:
    """The lane plans `jedec_metrics` ran (so a test can tell lanes ran at once)."""
    seen: list[tuple[tuple[int, ...], ...]] = []
    real = lanes_module.run_lanes

    def recording(plan: tuple[tuple[int, ...], ...], *a: Any) -> None:
        seen.append(plan)
        real(plan, *a)

    monkeypatch.setattr(metrics_module, "run_lanes", recording)
    return seen


@pytest.mark.parametrize(
    ("todo", "n", "plan"),
    [
        (RUN_ORDER, 1, ((0, 3, 1, 2),)),
        (RUN_ORDER, 2, ((0,), (3, 1, 2))),
        (RUN_ORDER, 3, ((0,), (3,), (1, 2))),
        (RUN_ORDER, 8, ((0,), (3,), (1, 2))),
        ((3, 1, 2), 2, ((3,), (1, 2))),
        ((1, 2), 3, ((1,), (2,))),
    ],
)
def test_lanes_keep_every_set_up_once_in_run_order(todo: tuple[int, ...], n: int, plan: object) -> None:
    got = lanes(todo, n)
    assert got == plan
    assert tuple(i for lane in got for i in lane) == todo


@pytest.mark.parametrize("workers", [2, 3])
def test_lanes_at_once_give_the_one_lane_metrics(workers: int, plans: list[Any]) -> None:
    pkg = example("dfn8")
    one = jedec_metrics(pkg, resolution=0.3, workers=1)
    rec = Recorder()
    many = jedec_metrics(pkg, resolution=0.3, workers=workers, progress=rec)
    assert [len(p) for p in plans] == [1, workers]
    # The solves run to 1e-8 from other starting fields; the film loop takes the same path.
    for k in METRICS:
        assert many[k] == pytest.approx(one[k], rel=1e-6), k
    assert [b["environment"] for b in many["bench"]] == [b["environment"] for b in one["bench"]]
    # Environment k is announced once the k - 1 before it are done: 1 to 4, in order, once each.
    assert [s for s in rec.stages if s[0] == "environment"] == [("environment", k, 4) for k in (1, 2, 3, 4)]


def test_lanes_run_at_once_only_where_their_memory_fits() -> None:
    pkg = example("dfn8")
    fixtures = [Environment(), Environment(kind=EnvKind.COLD_PLATE_TOP)]
    board = mount(pkg, prescribed_board(fixtures[0]), 0.3).cells
    assert board > mount(pkg, prescribed_board(fixtures[1]), 0.3).cells
    need = estimated_bytes(board)
    assert lane_count(pkg, fixtures, 4, 3, 0.3, 3 * need) == 3
    assert lane_count(pkg, fixtures, 4, 3, 0.3, 3 * need - 1) == 2
    assert lane_count(pkg, fixtures, 4, 3, 0.3, 2 * need - 1) == 1
    assert lane_count(pkg, fixtures, 4, 1, 0.3, 1e15) == 1
    assert lane_count(pkg, fixtures, 2, 3, 0.3, 1e15) == 2


@pytest.mark.parametrize("workers", [0, -2, 2.5, True])
def test_workers_that_are_not_a_whole_number_from_one_are_refused_by_name(workers: Any) -> None:
    with pytest.raises(DesignError, match="workers"):
        jedec_metrics(example("dfn8"), resolution=0.3, workers=workers)


def test_lanes_build_each_fixture_once_and_share_it(plans: list[Any]) -> None:
    cache = ThermalCache(max_setups=2)
    jedec_metrics(example("dfn8"), resolution=0.3, workers=2, cache=cache)
    assert [len(p) for p in plans] == [2]
    # The 2s2p board and the bare package, built before the lanes start; all four runs reuse them.
    assert (cache.setups_built, cache.setups_reused) == (2, 4)


def test_a_cache_that_keeps_nothing_runs_one_lane_building_every_set_up(plans: list[Any]) -> None:
    cache = ThermalCache(max_setups=0)
    jedec_metrics(example("dfn8"), resolution=0.3, workers=2, cache=cache)
    assert [len(p) for p in plans] == [1]
    assert (cache.setups_built, cache.setups_reused) == (4, 0)


def test_lanes_widen_a_one_set_up_cache_without_rebuilding_its_set_up(
    plans: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = example("dfn8")
    cache = ThermalCache()  # keeps one set-up: the report's, holding still air's 2s2p board
    still = solve_thermal(pkg, Environment(), resolution=0.3, cache=cache)
    built: list[object] = []
    real = thermal_setup.build_setup
    monkeypatch.setattr(thermal_setup, "build_setup", lambda *a: built.append(a[2]) or real(*a))
    jedec_metrics(pkg, resolution=0.3, workers=2, cache=cache, still_air=still)
    assert [len(p) for p in plans] == [2]
    # Only the bare package's set-up is new: the ring cold plate takes the kept 2s2p one
    # (with the one-set-up cache as it is, the bare package would evict it and it would be built again).
    assert len(built) == 1
    # The caller's counters: still air's build and the bare package's; the 2s2p board found
    # when the set-ups are prepared, then the three runs' look-ups.
    assert (cache.setups_built, cache.setups_reused) == (2, 4)


def test_a_failing_lane_stops_the_others_and_its_error_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    done: list[EnvKind] = []
    real = metrics_module.solve_thermal

    def failing(pkg: Any, env: Environment, **kw: Any) -> Any:
        if env.kind is EnvKind.RING_COLD_PLATE:
            raise RuntimeError("ring cold plate failed")
        out = real(pkg, env, **kw)
        done.append(env.kind)
        return out

    monkeypatch.setattr(metrics_module, "solve_thermal", failing)
    with pytest.raises(RuntimeError, match="ring cold plate failed"):
        jedec_metrics(example("pbga"), resolution=0.5, workers=2)
    # Still air (its own lane) was stopped at its next iteration instead of running to the end.
    assert EnvKind.STILL_AIR not in done


@pytest.mark.parametrize("value", ["0", "-2"])
def test_cli_refuses_workers_below_one_in_one_line(capsys: pytest.CaptureFixture[str], value: str) -> None:
    code, out, err = cli(capsys, "thermal", str(EXAMPLES / "dfn8.yaml"), "--jedec", "--workers", value, "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--workers" in err and value in err, err


def test_cli_refuses_workers_without_jedec(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "thermal", str(EXAMPLES / "dfn8.yaml"), "--workers", "2", "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--workers" in err and "--jedec" in err, err


def test_cli_workers_one_gives_the_default_lanes_metrics(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("thermal", str(EXAMPLES / "dfn8.yaml"), "--jedec", "--resolution", "0.3", "--json")
    code1, out1, _ = cli(capsys, *args, "--workers", "1")
    code2, out2, _ = cli(capsys, *args)
    assert code1 == code2 == 0
    one, dflt = json.loads(out1), json.loads(out2)
    for k in METRICS:
        assert dflt[k] == pytest.approx(one[k], rel=1e-6), k
