"""Row blocks on several threads: the same answer to the last bit, every row once."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla
import scipy.linalg.lapack as lapack

from semipack.thermal.solvers import parallel
from semipack.thermal.solvers.column_amg import ColumnAMG, solve


def test_gil_free_line_solve_is_lapacks_and_solves_the_system() -> None:
    rng = np.random.default_rng(7)
    n = 1000
    e = -rng.random(n - 1)
    d = 2.5 + rng.random(n)  # diagonally dominant: symmetric positive definite
    df, ef, info = lapack.dpttrf(d, e)
    assert info == 0
    b = rng.standard_normal(n)
    assert parallel._gil_free_dpttrs() is not None  # scipy exports dpttrs as this module expects
    x = b.copy()
    parallel.line_solve(df, ef, x)
    ref, _ = lapack.dpttrs(df, ef, b)
    assert np.array_equal(x, ref)
    full = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    assert np.allclose(x, sla.solve(full, b), rtol=1e-12, atol=0)


@pytest.mark.parametrize(("lo", "hi", "unit"), [(0, 10, 1), (3, 3 + 7 * 5, 5), (0, 1, 1), (100, 100 + 3 * 4, 4)])
def test_split_rows_covers_every_row_once_at_unit_boundaries(
    monkeypatch: pytest.MonkeyPatch, lo: int, hi: int, unit: int
) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    monkeypatch.setattr(parallel, "WORKERS", 3)
    seen = np.zeros(hi + 1, dtype=int)
    pieces: list[tuple[int, int]] = []

    def fn(a: int, b: int) -> None:
        pieces.append((a, b))
        seen[a:b] += 1

    parallel.split_rows(fn, lo, hi, unit)
    assert (seen[lo:hi] == 1).all() and seen[:lo].sum() == 0 and seen[hi:].sum() == 0
    assert all((a - lo) % unit == 0 for a, _ in pieces)
    assert len(pieces) == min(3, (hi - lo) // unit)


def test_threaded_cycle_gives_the_serial_answer_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines and product rows split over threads change no operation's order: identical iterates."""
    from test_thermal_solvers import _package_on_board

    st, b = _package_on_board(0.5)
    m = ColumnAMG(st)
    monkeypatch.setattr(parallel, "WORKERS", 1)
    x1, info1 = solve(st, b, rtol=1e-10, precond=m)
    monkeypatch.setattr(parallel, "WORKERS", 3)
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)  # split every block, the smallest levels too
    x3, info3 = solve(st, b, rtol=1e-10, precond=m)
    assert info1.converged and info3.iterations == info1.iterations
    assert np.array_equal(x1, x3)


def test_blocks_stay_whole_while_another_solve_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two solves at once (the lanes of --jedec) already fill the cores: no block is split."""
    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    pieces: list[tuple[int, int]] = []
    with parallel.solving():
        parallel.split_rows(lambda a, b: pieces.append((a, b)), 0, 10)
        assert len(pieces) == 2
        pieces.clear()
        with parallel.solving():
            parallel.split_rows(lambda a, b: pieces.append((a, b)), 0, 10)
            assert pieces == [(0, 10)]
            pieces.clear()
            monkeypatch.setattr(parallel, "WORKERS", 4)  # four cores, two solves: two pieces each
            parallel.split_rows(lambda a, b: pieces.append((a, b)), 0, 10)
    assert len(pieces) == 2


def _split_in_child(queue: object) -> None:
    parallel.MIN_ROWS = 1
    parallel.WORKERS = 2
    seen: list[int] = []
    parallel.split_rows(lambda a, b: seen.append(b - a), 0, 10)
    queue.put(sum(seen))  # type: ignore[attr-defined]


def test_a_forked_child_gets_its_own_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A study's process pool forks after the parent has used its threads: the child must not wait
    on the parent's pool object, whose threads it did not inherit (it hung before)."""
    import multiprocessing

    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    parallel.split_rows(lambda a, b: None, 0, 10)  # the parent's pool now has its thread
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_split_in_child, args=(queue,))
    child.start()
    child.join(30)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0
    assert queue.get(timeout=5) == 10


def test_a_failing_piece_raises_after_every_piece_has_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(parallel, "MIN_ROWS", 1)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    finished: list[int] = []

    def fn(a: int, b: int) -> None:
        if a == 0:
            raise ValueError("first piece")
        time.sleep(0.2)
        finished.append(a)

    with pytest.raises(ValueError, match="first piece"):
        parallel.split_rows(fn, 0, 10)
    assert finished == [5]  # the other piece was waited for, not left writing


def test_line_solve_takes_any_layout_and_an_empty_system() -> None:
    rng = np.random.default_rng(2)
    n = 50
    df, ef, _ = lapack.dpttrf(3.0 + rng.random(n), -rng.random(n - 1))
    big = rng.standard_normal(2 * n)
    b = big[::2]  # not contiguous: the pointer path would read the wrong entries
    ref, _ = lapack.dpttrs(df, ef, b.copy())
    parallel.line_solve(df, ef, b)
    assert np.allclose(big[::2], ref, rtol=1e-14, atol=0)
    parallel.line_solve(df[:0], ef[:0], np.empty(0))  # nothing to do, and no error
