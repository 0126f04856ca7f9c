"""``semipack`` entry point: registers the commands and turns errors into one line and exit 2."""

from __future__ import annotations

import os
import sys

import typer

from semipack.cli import (
    claims_cmd,
    demo_cmd,
    draw_cmd,
    electrical_cmd,
    export_cmd,
    families_cmd,
    flow_cmd,
    materials_cmd,
    mechanics_cmd,
    new_cmd,
    report_cmd,
    show_cmd,
    study_cmd,
    thermal_cmd,
    transient_cmd,
)
from semipack.errors import SemipackError

app = typer.Typer(
    name="semipack",
    help="Describe, build and analyse semiconductor packages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("families", help="List the package families.")(families_cmd.families)
app.command("new", help="Print a commented design-file template for FAMILY.")(new_cmd.new)
app.command("show", help="Build a design file and show its bodies, key dimensions and validation.")(show_cmd.show)
app.command("draw", help="Draw a cross-section or top view as SVG or PNG.")(draw_cmd.draw)
app.command("materials", help="List the materials library with sources.")(materials_cmd.materials)
app.command("thermal", help="Steady thermal analysis and JEDEC metrics (theta-JA, JC, JB, psi-JT, JB).")(
    thermal_cmd.thermal
)
app.command("transient", help="Transient response to a power step: Zth(t), Foster/Cauer networks, structure function.")(
    transient_cmd.transient
)
app.command("flow", help="Run a manufacturing flow step by step: checks, storyboard, thermal history, cost.")(
    flow_cmd.flow
)
app.command("claims", help="Chart a design against every claim of the five seeds.")(claims_cmd.claims)
app.command("nets", help="Nets, connectivity (opens, shorts) and the pin map.")(electrical_cmd.nets)
app.command("parasitics", help="Pad-to-terminal R and L per net, and the thin-film passives' values.")(
    electrical_cmd.parasitics
)
app.command("irdrop", help="IR drop of a power/ground net (nodal solve with planes as 2D sheets).")(
    electrical_cmd.irdrop
)
app.command("drc", help="Design rules: widths, spaces, vias, stacks, ball pitch; 002 claim 4.")(electrical_cmd.drc)
app.command("spice", help="Export an RLC subcircuit per net.")(electrical_cmd.spice)
app.command("warpage", help="Warpage versus temperature over the reflow profile (FE or laminated-plate).")(
    mechanics_cmd.warpage
)
app.command("stress", help="Die and interface stresses at a temperature; the 003 buffer-pad study.")(
    mechanics_cmd.stress
)
app.command("bend", help="Copper strain at the flex's curved portions against its allowable elongation.")(
    mechanics_cmd.bend
)
app.command("fatigue", help="Solder-joint fatigue life per ball (Engelmaier) under JESD22-A104 cycling.")(
    mechanics_cmd.fatigue
)
app.command(
    "export", help="Export the package as STEP, GLB, STL, KiCad VRML, or its land pattern as a KiCad footprint."
)(export_cmd.export)
app.command(
    "report", help="Write an offline HTML report: drawings, 3D view, flow, thermal, mechanics, electrical, claims."
)(report_cmd.report)
app.add_typer(
    study_cmd.app, name="study", help="Design studies: sweeps, DOE, optimisation; process pool or Dask; DuckDB."
)
app.command("demo", help="Build and draw every example design into a figures folder.")(demo_cmd.demo)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; library errors become ``semipack: error: ...`` on stderr and exit code 2."""
    try:
        app(args=argv, standalone_mode=False)
    except SemipackError as exc:
        sys.stderr.write(f"semipack: error: {exc}\n")
        raise SystemExit(2) from None
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        raise SystemExit(code) from None
    except typer.Abort:
        sys.stderr.write("semipack: aborted\n")
        raise SystemExit(1) from None
    except Exception as exc:  # usage errors (typer's vendored click) and anything unexpected
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            sys.stderr.write(f"semipack: error: {exc.format_message()}\n")
            raise SystemExit(2) from None
        if os.environ.get("SEMIPACK_DEBUG"):
            raise
        sys.stderr.write(
            f"semipack: internal error: {type(exc).__name__}: {exc} (set SEMIPACK_DEBUG=1 for a traceback)\n"
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
