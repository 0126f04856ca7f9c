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
