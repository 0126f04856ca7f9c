"""The JEDEC set-ups in lanes that run at once: the same metrics, every environment once, memory respected."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, cli, example

import semipack.thermal.setup as thermal_setup
from semipack.errors import DesignError
from semipack.progress import Recorder
from semipack.thermal import Environment, jedec_metrics, solve_thermal
from semipack.thermal.grid import estimated_bytes
from semipack.thermal.metrics import KEYS, RUN_ORDER, lane_count, lanes
from semipack.thermal.setup import ThermalCache, mount, prescribed_board

METRICS = [k for k in KEYS if k.endswith("_c_per_w") or k == "tj_max_c"]


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
def test_lanes_at_once_give_the_one_lane_metrics(workers: int) -> None:
    pkg = example("dfn8")
    one = jedec_metrics(pkg, resolution=0.3, workers=1)
    rec = Recorder()
    many = jedec_metrics(pkg, resolution=0.3, workers=workers, progress=rec)
    # The solves run to 1e-8 from other starting fields; the film loop takes the same path.
    for k in METRICS:
        assert many[k] == pytest.approx(one[k], rel=1e-6), k
    assert [b["environment"] for b in many["bench"]] == [b["environment"] for b in one["bench"]]
    assert sorted(s for s in rec.stages if s[0] == "environment") == [("environment", k, 4) for k in (1, 2, 3, 4)]


def test_lanes_run_at_once_only_where_their_memory_fits() -> None:
    pkg = example("dfn8")
    board = mount(pkg, prescribed_board(Environment()), 0.3).cells
    need = estimated_bytes(board)
    assert lane_count(pkg, Environment(), RUN_ORDER, 3, 0.3, 3 * need) == 3
    assert lane_count(pkg, Environment(), RUN_ORDER, 3, 0.3, 3 * need - 1) == 2
    assert lane_count(pkg, Environment(), RUN_ORDER, 3, 0.3, 2 * need - 1) == 1
    assert lane_count(pkg, Environment(), RUN_ORDER, 1, 0.3, 1e15) == 1


def test_workers_below_one_is_refused_by_name() -> None:
    with pytest.raises(DesignError, match="workers"):
        jedec_metrics(example("dfn8"), resolution=0.3, workers=0)


@pytest.mark.parametrize("value", ["0", "-2"])
def test_cli_refuses_workers_below_one_in_one_line(capsys: pytest.CaptureFixture[str], value: str) -> None:
    code, out, err = cli(capsys, "thermal", str(EXAMPLES / "dfn8.yaml"), "--jedec", "--workers", value, "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--workers" in err and value in err, err


def test_cli_workers_one_gives_the_default_lanes_metrics(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("thermal", str(EXAMPLES / "dfn8.yaml"), "--jedec", "--resolution", "0.3", "--json")
    code1, out1, _ = cli(capsys, *args, "--workers", "1")
    code3, out3, _ = cli(capsys, *args, "--workers", "3")
    assert code1 == code3 == 0
    one, three = json.loads(out1), json.loads(out3)
    for k in METRICS:
        assert three[k] == pytest.approx(one[k], rel=1e-6), k


def test_lanes_build_each_fixture_once_and_share_it() -> None:
    cache = ThermalCache(max_setups=2)
    jedec_metrics(example("dfn8"), resolution=0.3, workers=2, cache=cache)
    # The 2s2p board and the bare package, built before the lanes start; all four runs reuse them.
    assert (cache.setups_built, cache.setups_reused) == (2, 4)


def test_lanes_widen_a_one_set_up_cache_without_rebuilding_its_set_up() -> None:
    pkg = example("dfn8")
    cache = ThermalCache()  # keeps one set-up: the report's, holding still air's 2s2p board
    still = solve_thermal(pkg, Environment(), resolution=0.3, cache=cache)
    built: list[object] = []
    real = thermal_setup.build_setup
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(thermal_setup, "build_setup", lambda *a: built.append(a[2]) or real(*a))
        jedec_metrics(pkg, resolution=0.3, workers=2, cache=cache, still_air=still)
    # Only the bare package's set-up is new: the ring cold plate takes the kept 2s2p one.
    assert len(built) == 1
