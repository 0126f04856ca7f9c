"""Shared helpers: build packages from families or examples once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

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
