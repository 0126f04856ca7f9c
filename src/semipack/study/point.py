"""A point: the base design with the point's inputs set, its deterministic id, and its evaluation.

`evaluate_batch` is what workers run (a module-level function, so process pools and
Dask can ship it); it never raises for a bad point: the point comes back failed with a
one-line error and the rest of the batch goes on.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from semipack.errors import DesignError


@dataclass(frozen=True)
class Task:
    id: str
    design: dict[str, Any]
    analyses: dict[str, dict[str, Any]]
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    id: str
    ok: bool
    error: str
    outputs: dict[str, Any]
    seconds: float
    worker: str


def resolve(base: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """The design mapping of a point: ``name`` sets ``parameters.name``; a dotted name is a path.

    Where the path ends in a ``[value, source]`` pair (a material property), the value
    is replaced and the source says it is a study value.
    """
    design = copy.deepcopy(base)
    for name, value in inputs.items():
        path = name.split(".") if "." in name else ["parameters", name]
        node: Any = design
        for i, key in enumerate(path[:-1]):
            if not isinstance(node, dict):
                raise DesignError(
                    f"parameters.{name}", value, f"'{'.'.join(path[: i + 1])}' is not a mapping in the base design"
                )
            node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise DesignError(f"parameters.{name}", value, "its parent is not a mapping in the base design")
        old = node.get(path[-1])
        if isinstance(old, list) and len(old) == 2 and isinstance(old[1], str):
            node[path[-1]] = [value, "design study value"]
        else:
            node[path[-1]] = value
    return design


def point_id(design: dict[str, Any], analyses: dict[str, dict[str, Any]]) -> str:
    """A hash of the resolved design and the analysis settings (not of the point's order)."""
    doc = json.dumps({"design": design, "analyses": analyses}, sort_keys=True, default=str)
    return hashlib.sha256(doc.encode()).hexdigest()[:20]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:500]


def evaluate(task: Task) -> Outcome:
    """Build the point's design and run its analyses; failures become a failed outcome."""
    from semipack.design import build_design
    from semipack.errors import SemipackError
    from semipack.study.analyses import ANALYSES

    t0 = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        pkg = build_design(task.design, "point")
        record: dict[str, Any] = {}
        for name, settings in task.analyses.items():
            record.update(ANALYSES[name].run(pkg, settings))
        outputs = {k: record.get(k) for k in task.outputs}
        return Outcome(task.id, True, "", outputs, time.perf_counter() - t0, worker)
    except SemipackError as exc:
        return Outcome(task.id, False, _one_line(exc), {}, time.perf_counter() - t0, worker)
    except Exception as exc:  # a bug in an analysis: record it, keep the study going
        return Outcome(task.id, False, f"{type(exc).__name__}: {_one_line(exc)}", {}, time.perf_counter() - t0, worker)


def evaluate_batch(tasks: list[Task]) -> list[Outcome]:
    """Evaluate several cheap points in one task (keeps the per-task overhead small)."""
    return [evaluate(t) for t in tasks]
