"""The JEDEC set-ups in lanes that run at once: the same metrics, every environment once, memory respected."""

from __future__ import annotations

import pytest
from conftest import example

from semipack.errors import DesignError
from semipack.progress import Recorder
from semipack.thermal import Environment, jedec_metrics
from semipack.thermal.grid import estimated_bytes
from semipack.thermal.metrics import KEYS, RUN_ORDER, lane_count, lanes
from semipack.thermal.setup import mount, prescribed_board

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
