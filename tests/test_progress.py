"""Progress reports: the stages an analysis announces, the CLI's display on a terminal only, hierarchy reuse."""

from __future__ import annotations

import io
import itertools
import json
from typing import Any

import pytest
from conftest import LID, cli, slab
from rich.console import Console

import semipack.cli.progress as cli_progress
import semipack.thermal.reuse as reuse
import semipack.thermal.steady as steady
from semipack.progress import Recorder
from semipack.thermal import BoardKind, Environment, jedec_metrics, solve_thermal
from semipack.thermal.solvers import column_amg
from semipack.thermal.steady import FILM_RTOL


def _slab() -> Any:
    return slab(LID)


def test_jedec_announces_every_environment_and_its_stages_in_order() -> None:
    rec = Recorder()
    jedec_metrics(_slab(), resolution=0.1, progress=rec, workers=1)  # one lane: the stages in order
    stages = rec.stages
    envs = [s for s in stages if s[0] == "environment"]
    assert envs == [("environment", k, 4) for k in (1, 2, 3, 4)]
    # Each environment: grid and raster (only the first of the two on one fixture: the second keeps
    # them), then film-coefficient updates k of n, each followed by its solve.
    starts = [i for i, s in enumerate(stages) if s[0] == "environment"] + [len(stages)]
    built = []
    for a, b in itertools.pairwise(starts):
        names = [s[0] for s in stages[a + 1 : b]]
        built.append(names[:2] == ["grid", "raster"])
        names = names[2:] if built[-1] else names
        films = [s for s in stages[a + 1 : b] if s[0] == "film coefficients"]
        assert [s[1] for s in films] == list(range(1, len(films) + 1))
        assert all(s[2] == films[0][2] for s in films) and len(films) <= films[0][2]
        assert names == ["film coefficients", "solve"] * len(films)
    assert built == [True, False, True, False]
    # Solver iterations arrive with their residuals. A solve ends where the next event is no
    # iteration or the count starts again; the film iterates end at FILM_RTOL, and the last
    # solve of every environment at the tolerance (1e-8).
    per_env: list[list[float]] = []
    for i, e in enumerate(rec.events):
        if e[:2] == ("stage", "environment"):
            per_env.append([])
        nxt = rec.events[i + 1] if i + 1 < len(rec.events) else ("end",)
        if e[0] == "iteration" and (nxt[0] != "iteration" or nxt[1] <= e[1]):
            per_env[-1].append(float(e[2]))
    assert len(per_env) == 4 and all(per_env)
    assert all(r <= FILM_RTOL for ends in per_env for r in ends)
    assert all(ends[-1] <= 1e-8 for ends in per_env)


def test_reused_hierarchy_gives_the_fresh_hierarchys_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still air iterates the film coefficients: one hierarchy serves them, and the answer is the same."""
    builds = []
    real = column_amg.ColumnAMG.__init__

    def counting(self: Any, *a: Any, **k: Any) -> None:
        builds.append(1)
        real(self, *a, **k)

    monkeypatch.setattr(column_amg.ColumnAMG, "__init__", counting)
    # Every iterate to 1e-9: the film loop then takes the same path whichever hierarchy
    # solves it (iterates at FILM_RTOL can settle one iteration apart, within the loop's 1 %).
    monkeypatch.setattr(steady, "FILM_RTOL", 1e-9)
    rec = Recorder()
    pkg = _slab()
    kept = solve_thermal(pkg, Environment(board=BoardKind.NONE), resolution=0.3, progress=rec)
    solves = sum(1 for s in rec.stages if s[0] == "solve")
    assert solves >= 3 and len(builds) < solves
    builds.clear()
    # No kept hierarchy counts as equivalent: every solve builds its own.
    monkeypatch.setattr(reuse, "equivalent", lambda *_: False)
    fresh = solve_thermal(pkg, Environment(board=BoardKind.NONE), resolution=0.3)
    assert len(builds) >= solves
    rise_kept = kept.tj_max_k - kept.environment.ambient_k
    rise_fresh = fresh.tj_max_k - fresh.environment.ambient_k
    assert abs(rise_kept / rise_fresh - 1) < 1e-6


def _terminal(buf: io.StringIO) -> Any:
    return lambda **_: Console(file=buf, force_terminal=True, width=120)


def test_display_only_on_a_terminal_without_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    import yaml

    design = tmp_path / "slab.yaml"
    design.write_text(
        yaml.safe_dump(
            {
                "family": "stack",
                "name": "slab",
                "parameters": {
                    "footprint_x": "4 mm",
                    "footprint_y": "3 mm",
                    "hotspots": [],
                    "layers": [{"name": "die", "material": "si", "thickness": "0.3 mm", "power": "2 W"}],
                },
            }
        )
    )
    args = ("thermal", str(design), "--resolution", "0.3", "--env", "cold-plate-top")
    # On a pipe (pytest's capture): stdout is the JSON alone, stderr is empty.
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0 and err == "" and json.loads(out)["tj_max_c"] > 25
    code, out, err = cli(capsys, *args)
    assert code == 0 and err == "" and "film coefficients" not in out and "iteration" not in out
    # On a terminal the display draws; with --json it still stays silent.
    buf = io.StringIO()
    monkeypatch.setattr(cli_progress, "Console", _terminal(buf))
    code, out, _ = cli(capsys, *args, "--json")
    assert code == 0 and buf.getvalue() == "" and json.loads(out)["tj_max_c"] > 25
    code, _, _ = cli(capsys, *args)
    assert code == 0 and "iteration" in buf.getvalue() and "residual" in buf.getvalue()


def test_eta_from_the_environments_done() -> None:
    view = cli_progress.RichProgress()
    view.stage("environment", 1, 4)
    assert view.eta_s() is None  # nothing done yet: no estimate
    view.outer_start -= 10.0  # the first environment took 10 s
    view.stage("environment", 2, 4)
    eta = view.eta_s()
    assert eta is not None and 29.0 < eta < 31.5  # three left at 10 s each
    view.stage("solve")
    view.iteration(7, 3e-5)
    text = view.__rich__().plain
    assert "environment 2/4" in text and "iteration 7" in text and "3.0e-05" in text


def test_transient_reports_its_steady_stages_then_every_step() -> None:
    from semipack.thermal import BoardKind as Board
    from semipack.thermal import EnvKind
    from semipack.thermal.transient import simulate

    rec = Recorder()
    env = Environment(EnvKind.CUSTOM, Board.NONE, h_custom_w_m2k=50.0)
    r = simulate(_slab(), env, until_s=1.0, first_step_s=0.01, resolution=0.3, progress=rec)
    names = [s[0] for s in rec.stages]
    assert names == ["grid", "raster", "film coefficients", "solve", "time steps"]
    after = rec.events[[e[:2] for e in rec.events].index(("stage", "time steps")) + 1 :]
    assert [e[1] for e in after] == list(range(1, r.steps + 1))  # one report per accepted step
