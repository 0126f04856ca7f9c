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


def _ctype(param: str) -> Any:
    kind = param.rsplit(None, 1)[0]
    if "*" in kind:
        return ctypes.c_void_p
    return ctypes.c_int if "int" in kind else ctypes.c_double


def _launcher(name: str, params: list[str]) -> str:
    names = [p.rsplit(None, 1)[1].lstrip("*") for p in params]
    return (
        f'extern "C" void launch_{name}(int grid, int block, {", ".join(params)}) {{\n'
        "  blockDim.x = block;\n"
        "  for (int b = 0; b < grid; ++b) for (int t = 0; t < block; ++t) {\n"
        f"    blockIdx.x = b; threadIdx.x = t; {name}({', '.join(names)});\n"
        "  }\n}\n"
    )


def compile_kernels(source: str, workdir: Path) -> dict[str, Callable[..., None]] | None:
    """Launchers by kernel name, or None where no C++ compiler is installed."""
    cxx = shutil.which("g++") or shutil.which("c++")
    if cxx is None:
        return None
    kernels = {m.group(1): [p.strip() for p in m.group(2).split(",")] for m in SIGNATURE.finditer(source)}
    text = PRELUDE + source + "".join(_launcher(n, ps) for n, ps in kernels.items())
    src, lib = workdir / "kernels.cpp", workdir / "kernels.so"
    src.write_text(text)
    subprocess.run(
        [cxx, "-O1", "-shared", "-fPIC", "-Wall", "-Werror", "-Wno-unknown-pragmas", "-o", str(lib), str(src)],
        check=True,
    )
    dll = ctypes.CDLL(str(lib))
    out: dict[str, Callable[..., None]] = {}
    for name, params in kernels.items():
        fn = getattr(dll, f"launch_{name}")
        fn.argtypes = [ctypes.c_int, ctypes.c_int, *(_ctype(p) for p in params)]
        fn.restype = None
        out[name] = _wrap(fn)
    return out


def _wrap(fn: Any) -> Callable[..., None]:
    def launch(grid: tuple[int], block: tuple[int], args: tuple[Any, ...]) -> None:
        conv = []
        for a in args:
            if isinstance(a, np.ndarray):
                assert a.flags.c_contiguous, "a kernel argument must be contiguous"
                conv.append(a.ctypes.data)
            else:
                conv.append(a.item() if isinstance(a, np.generic) else a)
        fn(grid[0], block[0], *conv)

    return launch
