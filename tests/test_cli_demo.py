"""`semipack demo` on a folder of examples: figures, exports and an index whose links resolve,
the same bytes twice (no timestamps), the lists of showcase examples naming examples that exist."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, cli

from semipack.report import demo


def test_showcase_lists_name_existing_examples() -> None:
    stems = {*demo.REPORT_EXAMPLES, demo.IRDROP_EXAMPLE, demo.WARPAGE_EXAMPLE}
    stems |= {stem for stem, _ in demo.STORYBOARDS.values()}
    assert {s for s in stems if not (EXAMPLES / f"{s}.yaml").exists()} == set()


def _demo(capsys: pytest.CaptureFixture[str], examples: Path, out: Path) -> dict[str, bytes]:
    code, _, err = cli(
        capsys, "demo", str(examples), "--figures", str(out / "fig"), "--out", str(out / "out"), "--no-png",
        "--no-reports",
    )  # fmt: skip
    assert code == 0, err
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_demo_writes_figures_exports_and_an_index_twice_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    for stem in ("stack", "dfn8"):
        shutil.copy(EXAMPLES / f"{stem}.yaml", examples)
    first = _demo(capsys, examples, tmp_path / "a")
    assert {"fig/stack.svg", "fig/dfn8.svg", "out/exports/dfn8.step", "out/index.html"} <= set(first)
    index = first["out/index.html"].decode()
    links = re.findall(r"href='([^']+)'", index)
    assert len(links) == 2 * 4 + 1  # every 3D format of both, the footprint of the dfn8 (a stack has no land)
    assert all(f"out/{link}" in first for link in links)
    # OpenCASCADE numbers a STEP file's assembly usages with a counter of the process, so a second
    # export in the same process differs there (a fresh `make demo` does not); the rest is compared.
    second = _demo(capsys, examples, tmp_path / "b")
    assert set(second) == set(first)
    assert {k: v for k, v in second.items() if not k.endswith(".step")} == {
        k: v for k, v in first.items() if not k.endswith(".step")
    }
