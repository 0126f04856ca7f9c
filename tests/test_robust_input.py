"""Bad input files: special files, bounded reads, strict YAML, one-line errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import cli

from semipack.design.loader import MAX_DEPTH, parse_yaml_text
from semipack.errors import DesignError
from semipack.files import read_input_bytes

QFN = "family: qfn\nname: q\n"


def _one_line_exit_2(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = cli(capsys, *args)
    assert code == 2, (code, out, err)
    assert err.count("\n") == 1 and err.startswith("semipack: error: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_with_no_writer_is_refused_without_hanging(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "design.yaml"
    os.mkfifo(fifo)
    done: list[str] = []
    t = threading.Thread(target=lambda: done.append(_one_line_exit_2(capsys, "show", str(fifo))), daemon=True)
    t.start()
    t.join(10)
    assert done and "FIFO" in done[0]


def test_directory_and_device_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "directory" in _one_line_exit_2(capsys, "show", str(tmp_path))
    if Path("/dev/zero").exists():
        assert "device" in _one_line_exit_2(capsys, "show", "/dev/zero")


def test_read_is_bounded_whatever_the_size(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_bytes(b"#" * 2000)
    assert len(read_input_bytes(f, limit=2000)) == 2000
    with pytest.raises(DesignError, match="limited to 1999 bytes"):
        read_input_bytes(f, limit=1999)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (QFN + "name: again\n", "duplicate key"),
        ("family: qfn\nname: !!binary aGVsbG8=\n", "tags are not allowed"),
        ("family: qfn\nname: !!python/name:os.system x\n", "tags are not allowed"),
        (QFN + "parameters: " + "[" * 5000 + "]" * 5000 + "\n", f"limited to {MAX_DEPTH} levels"),
        (QFN + "parameters: {leads_per_side_x: " + "9" * 5000 + "}\n", "integers are limited"),
        (QFN + 'overrides:\n  "lead_*\\nx": {material: copper}\n', "printable single-line"),
    ],
)
def test_strict_yaml(text: str, needle: str) -> None:
    with pytest.raises(DesignError, match=needle) as info:
        parse_yaml_text(text.encode(), "d.yaml")
    assert "\n" not in str(info.value)


def test_newline_in_a_material_name_gives_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "d.yaml"
    f.write_text(QFN + 'parameters: {die_material: "si\\nlicon"}\n')
    err = _one_line_exit_2(capsys, "show", str(f))
    assert "parameters.die_material" in err and "'si\\nlicon'" in err
