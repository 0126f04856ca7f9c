"""Shared helpers: build packages from families or examples once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from semipack.cli.main import main
from semipack.design import build_design, load_design
from semipack.model import Package

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@cache
def example(name: str) -> Package:
    return load_design(EXAMPLES / f"{name}.yaml")


def build(family: str, **params: Any) -> Package:
    return build_design({"family": family, "name": "t", "parameters": params})


LID = {"name": "lid", "material": "cu_rolled", "thickness": "0.5 mm"}


def slab(*above: dict[str, str]) -> Package:
    """A 4 x 3 mm stack: a 0.3 mm silicon die dissipating 2 W under the layers ``above``."""
    die = {"name": "die", "material": "si", "thickness": "0.3 mm", "power": "2 W"}
    return build("stack", footprint_x="4 mm", footprint_y="3 mm", hotspots=[], layers=[die, *above])


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process (no interpreter start-up): exit code, stdout, stderr."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err
