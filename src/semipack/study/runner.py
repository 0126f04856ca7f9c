"""Running a study: plan, skip what is done, batch, execute, store each point as it lands.

Executors
---------
- `PoolExecutor` (the default): a local process pool, no set-up. A worker that dies
  (segfault, out of memory, killed) breaks the pool; the pool is rebuilt and the
  unfinished batches are sent again, up to `MAX_ATTEMPTS` times per point.
- `DaskExecutor`: an existing Dask distributed cluster (``scheduler`` address) or a
  local one with ``workers`` processes; Dask itself re-runs a lost worker's tasks
  (``retries``), and a point whose task keeps killing workers is recorded failed.

Cheap points travel in batches sized from the measured time per point (about
`TARGET_TASK_S` per task), so the scheduling overhead per point stays small; at most
two batches per worker are in flight, so the batch size adapts as times come in.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from semipack.errors import DesignError
from semipack.study.analyses import ANALYSES
from semipack.study.point import Outcome, Task, evaluate_batch, point_id, resolve
from semipack.study.sampling import PlannedPoint, plan
from semipack.study.spec import Study, check_base
from semipack.study.store import StudyStore

TARGET_TASK_S = 1.0
MAX_ATTEMPTS = 3
MAX_BATCH = 64


class Executor(Protocol):
    workers: int

    def submit(self, batch: list[Task]) -> Any: ...

    def wait_any(self, futures: list[Any]) -> tuple[list[Any], list[Any]]: ...

    def outcome(self, future: Any) -> list[Outcome]: ...

    def close(self) -> None: ...


class WorkerLost(Exception):
    """The worker running a batch died; the batch may be sent again."""


def _one_thread() -> None:
    """Worker start-up: one BLAS thread and one solver thread per process.

    Each worker is one core's worth of work; a BLAS pool of all cores in every worker
    oversubscribes the machine (measured: a thermal point took 2.6x longer with two
    workers than alone), and so would column AMG's row threads. Dask's workers set the
    same limit (``OMP_NUM_THREADS=1``, which the row threads honour).
    """
    from threadpoolctl import threadpool_limits

    from semipack.thermal.solvers import parallel

    threadpool_limits(limits=1)
    parallel.WORKERS = 1


class PoolExecutor:
    """A local process pool (``workers`` processes; default: the machine's cores)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_one_thread)

    def submit(self, batch: list[Task]) -> Future[list[Outcome]]:
        try:
            return self._pool.submit(evaluate_batch, batch)
        except BrokenProcessPool:
            self._restart()
            return self._pool.submit(evaluate_batch, batch)

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new()

    def wait_any(self, futures: list[Any]) -> tuple[list[Any], list[Any]]:
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        return list(done), list(pending)

    def outcome(self, future: Any) -> list[Outcome]:
        try:
            result: list[Outcome] = future.result()
            return result
        except BrokenProcessPool as exc:
            self._restart()
            raise WorkerLost(str(exc) or "a worker process died") from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Dask distributed: ``scheduler`` (``tcp://host:port``) or a local cluster of ``workers`` processes."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - part of the default install
            raise DesignError("workers", workers, "Dask needs distributed: pip install 'semipack[study]'") from None
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout=20)
            except OSError as exc:
                raise DesignError("scheduler", scheduler, f"no Dask scheduler answers there ({exc})") from None
        else:
            self._cluster = LocalCluster(
                n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = Client(self._cluster)
        self.workers = max(1, sum(w["nthreads"] for w in self._client.scheduler_info()["workers"].values()))

    def submit(self, batch: list[Task]) -> Any:
        # pure=False: the same batch sent again after a failure is a new task.
        return self._client.submit(evaluate_batch, batch, pure=False, retries=MAX_ATTEMPTS - 1)

    def wait_any(self, futures: list[Any]) -> tuple[list[Any], list[Any]]:
        from distributed import wait as dwait

        res = dwait(futures, return_when="FIRST_COMPLETED")
        return list(res.done), list(res.not_done)

    def outcome(self, future: Any) -> list[Outcome]:
        from distributed import KilledWorker

        try:
            result: list[Outcome] = future.result()
            return result
        except KilledWorker as exc:
            raise WorkerLost(f"worker killed repeatedly ({exc})") from None

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


@dataclass
class Progress:
    """What the runner reports after each stored point (the CLI draws it)."""

    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    last: Outcome | None = None


@dataclass(frozen=True)
class RunSummary:
    planned: int
    ran: int
    skipped: int
    failed: int
    seconds: float
    compute_s: float
    workers: int


@dataclass
class _Batcher:
    """Batch size from the mean time per point seen so far."""

    cheap: bool
    times: list[float] = field(default_factory=list)

    def size(self, remaining: int, workers: int) -> int:
        if self.times:
            per = sum(self.times[-50:]) / len(self.times[-50:])
            n = int(TARGET_TASK_S / max(per, 1e-3))
        else:
            n = 4 if self.cheap else 1
        # Keep every worker fed: no batch larger than a fair share of what is left.
        return max(1, min(n, MAX_BATCH, math.ceil(remaining / workers)))


def tasks_for(study: Study, points: list[PlannedPoint]) -> list[tuple[PlannedPoint, str, Task]]:
    """Each planned point with its resolved design, id and task (the plan rows and the runs share them)."""
    out = []
    for pp in points:
        design = resolve(study.base, pp.inputs)
        pid = point_id(design, study.analyses)
        out.append((pp, pid, Task(pid, design, study.analyses, study.outputs)))
    return out


def open_store(study: Study, db: Path, text: str, resume: bool) -> StudyStore:
    """Create the study's database, or reopen it to resume (refused if the study changed)."""
    import semipack

    if db.exists() and not resume:
        raise DesignError("resume", str(db), "the database exists: resume it, or remove it")
    store = StudyStore(db)
    if (
        resume
        and db.exists()
        and store.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]
    ):
        meta = store.meta()
        if meta.get("fingerprint") != study.fingerprint:
            store.close()
            raise DesignError("resume", str(db), "the study file changed since this database was made")
        return store
    store.create(study, text, semipack.__version__)
    return store


def execute(
    study: Study,
    store: StudyStore,
    executor: Executor,
    tasks: list[tuple[PlannedPoint, str, Task]],
    on_progress: Callable[[Progress], None] | None = None,
) -> RunSummary:
    """Run the ``tasks`` (points already in the plan, see `tasks_for`) that the store does not hold yet."""
    import semipack

    t0 = time.perf_counter()
    finished = store.finished_ids()
    todo: dict[str, tuple[Task, dict[str, Any]]] = {}
    for pp, pid, task in tasks:
        if pid not in finished and pid not in todo:
            todo[pid] = (task, pp.inputs)
    unique = len({pid for _, pid, _ in tasks})
    prog = Progress(total=unique, skipped=unique - len(todo))
    prog.done = prog.skipped
    if on_progress:
        on_progress(prog)
    batcher = _Batcher(all(ANALYSES[a].cheap for a in study.analyses))
    queue: Iterator[str] = iter(list(todo))
    unsent = [len(todo)]  # ids not yet taken from the queue
    attempts: dict[str, int] = dict.fromkeys(todo, 0)
    retry: list[str] = []
    in_flight: dict[Any, list[str]] = {}
    compute = 0.0
    failed = 0

    def fill() -> None:
        while len(in_flight) < 2 * executor.workers:
            n = batcher.size(max(len(retry) + unsent[0], 1), executor.workers)
            ids: list[str] = []
            while len(ids) < n:
                if retry:
                    ids.append(retry.pop())
                    continue
                nxt = next(queue, None)
                if nxt is None:
                    break
                unsent[0] -= 1
                ids.append(nxt)
            if not ids:
                return
            for i in ids:
                attempts[i] += 1
            in_flight[executor.submit([todo[i][0] for i in ids])] = ids

    def finish(o: Outcome) -> None:
        nonlocal compute, failed
        store.record(o, todo[o.id][1], attempts[o.id], semipack.__version__)
        compute += o.seconds
        prog.done += 1
        if not o.ok:
            failed += 1
            prog.failed += 1
        prog.last = o
        if on_progress:
            on_progress(prog)

    fill()
    while in_flight:
        done, _ = executor.wait_any(list(in_flight))
        for fut in done:
            ids = in_flight.pop(fut)
            try:
                outcomes = executor.outcome(fut)
            except WorkerLost as exc:
                for i in ids:
                    if attempts[i] < MAX_ATTEMPTS and isinstance(executor, PoolExecutor):
                        retry.append(i)
                    else:
                        finish(Outcome(i, False, f"worker lost: {exc}"[:500], {}, 0.0, ""))
                continue
            for o in outcomes:
                batcher.times.append(o.seconds)
                finish(o)
        fill()
    return RunSummary(
        planned=unique,
        ran=len(todo),
        skipped=prog.skipped,
        failed=failed,
        seconds=time.perf_counter() - t0,
        compute_s=compute,
        workers=executor.workers,
    )


def run_study(
    study: Study,
    db: Path,
    text: str,
    executor: Executor,
    resume: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> RunSummary:
    """Plan (or re-plan, identically) the study, run what is not stored yet, then the optimiser's rounds.

    The plan is made before the database: a study that cannot be planned leaves no file.
    A database this call created is removed again if the run fails (an error, not an
    interrupt: an interrupted study is kept to be resumed).
    """
    check_base(study)
    tasks = tasks_for(study, plan(study))
    created = not db.exists()
    store = open_store(study, db, text, resume)
    ok = False
    try:
        if store.plan_size() == 0:
            store.add_plan((i, pid, pp.block, pp.row, pp.inputs) for i, (pp, pid, _) in enumerate(tasks))
        summary = execute(study, store, executor, tasks, on_progress)
        if study.optimiser is not None:
            from semipack.study.optimise import optimise

            summary = optimise(study, store, executor, summary, on_progress)
        ok = True
        return summary
    except KeyboardInterrupt:
        ok = True  # kept: --resume continues it
        raise
    finally:
        store.close()
        if created and not ok:
            for leftover in (db, db.with_name(db.name + ".wal")):
                leftover.unlink(missing_ok=True)
