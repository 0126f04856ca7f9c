"""Run CUDA kernels on the CPU: the source compiled as C++ with g++, every thread called in turn.

Valid for kernels whose threads are independent (no shared memory, no barriers, no thread
reading what another writes in the same launch), which is what
:mod:`semipack.thermal.solvers.device_kernels` promises; the tests then exercise the very
text CuPy compiles for the GPU. Returns launchers with CuPy's RawKernel call signature
``kernel(grid, block, args)`` taking numpy arrays and numpy scalars.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

PRELUDE = """
struct Dim3 { int x; };
static Dim3 blockDim, blockIdx, threadIdx;
#define __global__
"""
SIGNATURE = re.compile(r'extern "C" __global__ void (\w+)\(([^)]*)\)')
# Declared parameter type -> (ctypes type, what CuPy needs the argument to be).
TYPES: dict[str, tuple[Any, type | np.dtype[Any]]] = {
    "int": (ctypes.c_int, np.int32),
    "double": (ctypes.c_double, np.float64),
    "int*": (ctypes.c_void_p, np.dtype(np.int32)),
    "double*": (ctypes.c_void_p, np.dtype(np.float64)),
}


def _kind(param: str) -> str:
    """``const double* __restrict__ x`` -> ``double*``."""
    words = param.replace("*", " * ").split()[:-1]
    base = [w for w in words if w not in ("const", "__restrict__", "*")]
    kind = base[0] + ("*" if "*" in words else "") if len(base) == 1 else "?"
    if kind not in TYPES:
        raise ValueError(f"kernel parameter {param!r}: type not supported by the emulation")
    return kind


def _launcher(name: str, params: list[str]) -> str:
    names = [p.replace("*", " ").split()[-1] for p in params]
    assert not any(n.startswith("emu_") for n in names), "kernel parameters must not shadow the launcher's loop"
    plain = [p.replace("__restrict__", "") for p in params]
    return (
        f'extern "C" void launch_{name}(int grid, int block, int reverse, {", ".join(plain)}) {{\n'
        "  blockDim.x = block;\n"
        "  for (int emu_n = 0; emu_n < grid * block; ++emu_n) {  // names no kernel parameter uses\n"
        "    const int emu_t = reverse ? grid * block - 1 - emu_n : emu_n;\n"
        f"    blockIdx.x = emu_t / block; threadIdx.x = emu_t % block; {name}({', '.join(names)});\n"
        "  }\n}\n"
    )


def compile_kernels(source: str, workdir: Path, reverse: bool = False) -> dict[str, Callable[..., None]] | None:
    """Launchers by kernel name, or None where no C++ compiler is installed.

    Threads run one after another, in ascending order or, with ``reverse``, descending: a
    kernel whose threads really are independent gives the same result both ways.
    """
    cxx = shutil.which("g++") or shutil.which("c++")
    if cxx is None:
        return None
    kernels = {m.group(1): [p.strip() for p in m.group(2).split(",")] for m in SIGNATURE.finditer(source)}
    text = PRELUDE + source + "".join(_launcher(n, ps) for n, ps in kernels.items())
    src, lib = workdir / "kernels.cpp", workdir / f"kernels_{int(reverse)}.so"
    src.write_text(text)
    flags = ["-O1", "-shared", "-fPIC", "-Wall", "-Werror", "-Wno-unknown-pragmas"]
    subprocess.run([cxx, *flags, "-o", str(lib), str(src)], check=True)
    dll = ctypes.CDLL(str(lib))
    out: dict[str, Callable[..., None]] = {}
    for name, params in kernels.items():
        kinds = [_kind(p) for p in params]
        fn = getattr(dll, f"launch_{name}")
        fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, *(TYPES[k][0] for k in kinds)]
        fn.restype = None
        out[name] = _wrap(fn, name, kinds, reverse)
    return out


def _wrap(fn: Any, name: str, kinds: list[str], reverse: bool) -> Callable[..., None]:
    """A launcher that checks every argument as CuPy would need it (dtype, contiguity), then runs."""

    def launch(grid: tuple[int], block: tuple[int], args: tuple[Any, ...]) -> None:
        assert len(args) == len(kinds), f"{name}: {len(args)} arguments for {len(kinds)} parameters"
        conv = []
        for i, (a, kind) in enumerate(zip(args, kinds, strict=True)):
            want = TYPES[kind][1]
            if kind.endswith("*"):
                assert isinstance(a, np.ndarray) and a.dtype == want, f"{name} argument {i}: {kind} needs {want}"
                assert a.flags.c_contiguous, f"{name} argument {i}: not contiguous"
                conv.append(a.ctypes.data)
            else:
                assert isinstance(a, want), (
                    f"{name} argument {i}: {kind} needs {want} (CuPy passes a bare int as int64)"
                )
                conv.append(a.item())
        fn(grid[0], block[0], int(reverse), *conv)

    return launch
