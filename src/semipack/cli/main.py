"""``semipack`` entry point: registers the commands and turns errors into one line and exit 2."""

from __future__ import annotations

import importlib
import os
import sys

import typer

from semipack.cli.flags import in_cli_terms
from semipack.errors import SemipackError, one_line

# name -> (module under semipack.cli, function, help). A command's module is imported only
# when that command runs (or for the full --help): each pulls in its analyses, and the
# whole set costs 2-3 s of start-up that `semipack families` should not pay.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "families": ("families_cmd", "families", "List the package families."),
    "new": ("new_cmd", "new", "Print a commented design-file template for FAMILY."),
    "show": ("show_cmd", "show", "Build a design file and show its bodies, key dimensions and validation."),
    "draw": ("draw_cmd", "draw", "Draw a cross-section or top view as SVG or PNG."),
    "materials": ("materials_cmd", "materials", "List the materials library with sources."),
    "thermal": ("thermal_cmd", "thermal", "Steady thermal analysis and JEDEC metrics (theta-JA, JC, JB, psi-JT, JB)."),
    "transient": (
        "transient_cmd",
        "transient",
        "Transient response to a power step: Zth(t), Foster/Cauer networks, structure function.",
    ),
    "compact": (
        "compact_cmd",
        "compact",
        "Compact thermal models: 2R, DELPHI (fit and error report), influence matrices, power traces.",
    ),
    "flow": ("flow_cmd", "flow", "Run a manufacturing flow step by step: checks, storyboard, thermal history, cost."),
    "claims": ("claims_cmd", "claims", "Chart a design against every claim of the five seeds."),
    "nets": ("electrical_cmd", "nets", "Nets, connectivity (opens, shorts) and the pin map."),
    "parasitics": (
        "electrical_cmd",
        "parasitics",
        "Pad-to-terminal R and L per net, and the thin-film passives' values.",
    ),
    "irdrop": ("electrical_cmd", "irdrop", "IR drop of a power/ground net (nodal solve with planes as 2D sheets)."),
    "drc": ("electrical_cmd", "drc", "Design rules: widths, spaces, vias, stacks, ball pitch; 002 claim 4."),
    "spice": ("electrical_cmd", "spice", "Export an RLC subcircuit per net."),
    "extract": (
        "extract_cmd",
        "extract",
        "Coupled R, L (PEEC), C (3D moments) per pin: IBIS .pkg, Touchstone S-parameters or SPICE.",
    ),
    "warpage": (
        "mechanics_cmd",
        "warpage",
        "Warpage versus temperature over the reflow profile (FE or laminated-plate).",
    ),
    "gap": (
        "gap_cmd",
        "gap",
        "Package-to-board gap under every ball over the reflow profile; head-in-pillow risk.",
    ),
    "stress": ("mechanics_cmd", "stress", "Die and interface stresses at a temperature; the 003 buffer-pad study."),
    "bend": ("mechanics_cmd", "bend", "Copper strain at the flex's curved portions against its allowable elongation."),
    "fatigue": (
        "mechanics_cmd",
        "fatigue",
        "Solder-joint fatigue life per ball (Engelmaier) under JESD22-A104 cycling.",
    ),
    "moisture": (
        "moisture_cmd",
        "moisture",
        "Moisture after a J-STD-020 soak (and J-STD-033 bake) and at the reflow peak, per interface.",
    ),
    "msl": (
        "moisture_cmd",
        "msl",
        "Estimated moisture sensitivity level (J-STD-020 soaks, reflow, documented criteria).",
    ),
    "export": (
        "export_cmd",
        "export",
        "Export the package as STEP, GLB, STL, KiCad VRML, or its land pattern as a KiCad footprint.",
    ),
    "report": (
        "report_cmd",
        "report",
        "Write an offline HTML report: drawings, 3D view, flow, thermal, mechanics, electrical, claims.",
    ),
    "study": ("study_cmd", "app", "Design studies: sweeps, DOE, optimisation; process pool or Dask; DuckDB."),
    "demo": ("demo_cmd", "demo", "Build and draw every example design into a figures folder."),
}


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with just ``only`` (the one about to run)."""
    app = typer.Typer(
        name="semipack",
        help="Describe, build and analyse semiconductor packages.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root() -> None:
        """Describe, build and analyse semiconductor packages."""  # keeps one command a group

    for name, (module, attr, text) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"semipack.cli.{module}"), attr)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name, help=text)
        else:
            app.command(name, help=text)(target)
    return app


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names, if its first word is one (options come after it)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; library errors become ``semipack: error: ...`` on stderr and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    try:
        build_app(_command_of(args))(args=args, standalone_mode=False)
    except SemipackError as exc:
        sys.stderr.write(f"semipack: error: {one_line(str(in_cli_terms(exc, _command_of(args))))}\n")
        raise SystemExit(2) from None
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        raise SystemExit(code) from None
    except typer.Abort:
        sys.stderr.write("semipack: aborted\n")
        raise SystemExit(1) from None
    except Exception as exc:  # usage errors (typer's vendored click) and anything unexpected
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            sys.stderr.write(f"semipack: error: {one_line(exc.format_message())}\n")
            raise SystemExit(2) from None
        if os.environ.get("SEMIPACK_DEBUG"):
            raise
        text = one_line(f"{type(exc).__name__}: {exc}")
        text = text if len(text) <= 300 else text[:297] + "..."
        sys.stderr.write(f"semipack: internal error: {text} (set SEMIPACK_DEBUG=1 for a traceback)\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
