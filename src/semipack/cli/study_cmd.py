"""``semipack study run | show | export``: design studies on a process pool or Dask, stored in DuckDB."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from semipack.errors import DesignError

if TYPE_CHECKING:
    from semipack.study.results import StudyResults
    from semipack.study.runner import Executor, RunSummary
    from semipack.study.spec import Study

app = typer.Typer(no_args_is_help=True, help="Design studies: sweeps, DOE and optimisation.")


@app.command("run")
def run(
    study_file: Path = typer.Argument(..., help="study file (YAML)"),
    db: Path | None = typer.Option(None, "--db", help="results database (default: STUDY.duckdb beside the file)"),
    workers: int | None = typer.Option(None, "--workers", min=1, max=1024, help="a local Dask cluster of N processes"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="an existing Dask cluster, tcp://HOST:PORT"),
    pool: int | None = typer.Option(None, "--pool", min=1, max=1024, help="process-pool size (default: all cores)"),
    resume: bool = typer.Option(False, "--resume", help="continue a study whose database exists"),
    plain: bool = typer.Option(False, "--plain", help="one line per finished point instead of a progress bar"),
) -> None:
    from semipack.design.loader import read_yaml
    from semipack.files import read_input_bytes
    from semipack.study.runner import DaskExecutor, PoolExecutor
    from semipack.study.spec import study_from_mapping

    if workers is not None and scheduler is not None:
        raise DesignError(
            "--workers", workers, "give --workers (local Dask) or --scheduler (existing cluster), not both"
        )
    if scheduler is not None and not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise DesignError("--scheduler", scheduler, "a Dask scheduler address such as tcp://10.0.0.5:8786")
    data = read_yaml(study_file)
    study = study_from_mapping(data, study_file)
    target = db or study_file.with_suffix(".duckdb")
    text = read_input_bytes(study_file).decode("utf-8")
    err = Console(stderr=True)
    executor: Executor = (
        DaskExecutor(scheduler=scheduler, workers=workers) if (workers or scheduler) else PoolExecutor(pool)
    )
    try:
        summary = _run_with_progress(study, target, text, executor, resume, plain, err)
    finally:
        executor.close()
    err.print(
        f"{summary.ran} points run, {summary.skipped} already stored, {summary.failed} failed, in "
        f"{summary.seconds:.1f} s on {summary.workers} workers (compute {summary.compute_s:.1f} s); {target}"
    )


@app.command("show")
def show(
    db: Path = typer.Argument(..., help="study database (.duckdb)"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    html_out: Path | None = typer.Option(None, "--html", help="write a self-contained HTML page of the study"),
    plot: Path | None = typer.Option(None, "--plot", help="write the Pareto-front plot (.svg)"),
) -> None:
    from semipack.study.results import load_results, summary_json

    if plot is not None and plot.suffix.lower() != ".svg":
        raise DesignError("--plot", str(plot), "the plot is written as .svg")
    res = load_results(_existing(db))
    doc = summary_json(res)
    if plot is not None:
        from semipack.draw.output import atomic_write_bytes
        from semipack.study.page import pareto_svg

        svg = pareto_svg(res)
        if svg is None:
            raise DesignError("--plot", str(plot), "a Pareto plot needs two or three objectives in the study")
        atomic_write_bytes(plot, svg.encode())
    if html_out is not None:
        from semipack.draw.output import atomic_write_bytes
        from semipack.study.page import study_html

        if html_out.suffix.lower() not in (".html", ".htm"):
            raise DesignError("--html", str(html_out), "the page must end in .html")
        atomic_write_bytes(html_out, study_html(res).encode())
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=1, default=str) + "\n")
        return
    _print_summary(res, doc)


@app.command("export")
def export(
    db: Path = typer.Argument(..., help="study database (.duckdb)"),
    parquet: Path = typer.Option(..., "--parquet", help="write the results table as Parquet"),
) -> None:
    from semipack.study.store import StudyStore

    if parquet.suffix.lower() != ".parquet":
        raise DesignError("--parquet", str(parquet), "the file must end in .parquet")
    import os
    import tempfile

    if parquet.is_dir():
        raise DesignError("--parquet", str(parquet), "is a directory; name a .parquet file")
    source = _existing(db)
    try:
        parquet.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{parquet.name}.", suffix=".parquet", dir=parquet.parent)
    except OSError as exc:
        raise DesignError(
            "--parquet", str(parquet), f"cannot be written ({exc.strerror or type(exc).__name__})"
        ) from None
    os.close(fd)
    os.unlink(tmp)  # DuckDB writes the file itself
    try:
        with StudyStore(source, read_only=True) as store:
            store.export_parquet(Path(tmp))
        os.replace(tmp, parquet)
    except OSError as exc:
        raise DesignError(
            "--parquet", str(parquet), f"cannot be written ({exc.strerror or type(exc).__name__})"
        ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    Console(stderr=True).print(f"wrote {parquet}")


def _existing(db: Path) -> Path:
    if not db.is_file():
        raise DesignError("DB", str(db), "a study database written by `semipack study run`")
    return db


def _run_with_progress(
    study: Study, target: Path, text: str, executor: Executor, resume: bool, plain: bool, err: Console
) -> RunSummary:
    """Run the study with one line per finished point (``plain``) or a progress bar on ``err``."""
    from semipack.study.runner import Progress, run_study

    if plain:

        def report(p: Progress) -> None:
            if p.last is not None:
                state = "ok" if p.last.ok else f"failed: {p.last.error}"
                print(f"point {p.done}/{p.total} {p.last.id} {p.last.seconds:.2f} s {state}", flush=True)

        return run_study(study, target, text, executor, resume, report)
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[failed]} failed"),
        console=err,
    ) as bar:
        task = bar.add_task(study.name, total=None, failed=0)

        def update(p: Progress) -> None:
            bar.update(task, total=p.total, completed=p.done, failed=p.failed)

        return run_study(study, target, text, executor, resume, update)


def _print_summary(res: StudyResults, doc: dict[str, Any]) -> None:
    """The study's summary as tables: outputs, best point per objective, Pareto front, sensitivity."""
    from semipack.study.results import input_text

    c = Console()
    c.print(
        f"[bold]{res.name}[/bold]: {doc['finished']} of {doc['planned']} points, {doc['ok']} ok, {doc['failed']} failed"
    )
    for e in doc["errors"][:5]:
        c.print(f"  [red]failed:[/red] {e}")
    t = Table(title="outputs")
    for col in ("output", "min", "median", "max"):
        t.add_column(col)
    for k, s in doc["outputs"].items():
        t.add_row(k, f"{s['min']:.4g}", f"{s['median']:.4g}", f"{s['max']:.4g}")
    c.print(t)
    if doc["best"]:
        b = Table(title="best feasible point per objective")
        b.add_column("objective")
        for p in res.parameters:
            b.add_column(p)
        for o in res.outputs:
            b.add_column(o)
        for k, r in doc["best"].items():
            b.add_row(k, *(input_text(r, p) for p in res.parameters), *(f"{r.get(o):.4g}" for o in res.outputs))
        c.print(b)
    if doc["pareto_front"]:
        c.print(f"Pareto front: {len(doc['pareto_front'])} points")
    sens = doc["sensitivity"]
    if sens["values"]:
        s = Table(title=f"sensitivity ({'Sobol S1 / ST' if sens['method'] == 'sobol' else 'Spearman rho'})")
        s.add_column("output")
        for p in res.parameters:
            s.add_column(p)
        for k, d in sens["values"].items():
            s.add_row(
                k,
                *(
                    (f"{d[p][0]:+.2f}" + (f" / {d[p][1]:.2f}" if sens["method"] == "sobol" else "")) if p in d else "-"
                    for p in res.parameters
                ),
            )
        c.print(s)
