"""Fuzzing the inputs a user can give: every leaf of every example, flow and study file
mutated the ways a person mistypes (negative, zero, tiny, huge, NaN, infinite, wrong
unit, wrong type, removed, added, duplicated), special files and CLI options.

Every case must end in success or in the promised refusal: exit code 2, one line
``semipack: error: ...``, no traceback, no file written, within a time bound. A
mutation that cannot be valid (NaN, an unknown key, a duplicate key, a wrong unit ...)
must be refused. The cases are generated from a seed; the default run takes a fixed
sample of them, ``pytest -m slow tests/test_fuzz.py`` runs the whole corpus.
"""

from __future__ import annotations

import dataclasses
import math
import os
import random
import re
import time
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, ROOT, cli

from semipack.errors import DesignError, SemipackError
from semipack.families import get_family
from semipack.families.params import Offset
from semipack.process.loader import flow_from_mapping
from semipack.study.spec import check_base, study_from_mapping

SEED = 21
SAMPLE = 240  # design cases in the default run (the rest: slow)
CASE_SECONDS = 30.0  # bound on one case (the largest example builds in under 1 s alone)
_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.+?)\s*$")
_LENGTH_UNITS = {"m", "cm", "mm", "um", "µm", "micron", "nm", "mil", "in"}


# ------------------------------------------------------------------ YAML text with duplicates


_DUP = object()  # marks a mapping whose first key is written twice


def to_yaml(obj: Any) -> str:
    """Flow-style YAML (JSON with YAML's .nan/.inf) that can also write a duplicate key."""
    if isinstance(obj, dict):
        items = [(k, v) for k, v in obj.items() if k is not _DUP]
        if obj.get(_DUP) and items:
            items.append(items[0])
        return "{" + ", ".join(f"{to_yaml(k)}: {to_yaml(v)}" for k, v in items) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(to_yaml(v) for v in obj) + "]"
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if obj is None:
        return "null"
    if isinstance(obj, float):
        if math.isnan(obj):
            return ".nan"
        if math.isinf(obj):
            return ".inf" if obj > 0 else "-.inf"
        return repr(obj)
    if isinstance(obj, int):
        return str(obj)
    return '"' + str(obj).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# ------------------------------------------------------------------ mutations


@dataclass(frozen=True)
class Case:
    """One mutated input: where it came from, what was done, and whether it must be refused."""

    source: str  # example file stem, or flow/study name
    path: tuple[Any, ...]  # path of the mutated leaf
    kind: str
    value: Any
    must_refuse: bool

    @property
    def id(self) -> str:
        return f"{self.source}:{'.'.join(map(str, self.path))}:{self.kind}"


def leaves(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar in a nested document, with its path (lists of scalars count as leaves too)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from leaves(v, (*path, k))
    elif isinstance(obj, list) and obj and all(isinstance(v, dict | list) for v in obj):
        for i, v in enumerate(obj):
            yield from leaves(v, (*path, i))
    else:
        yield path, obj


def value_mutations(v: Any) -> Iterator[tuple[str, Any, bool]]:
    """(kind, new value, must be refused) for one leaf value."""
    m = _QUANTITY.match(v) if isinstance(v, str) else None
    if m is not None and m.group(2) not in ("", "%") and not m.group(2)[0].isdigit():
        num, unit = m.group(1), m.group(2)
        length = unit in _LENGTH_UNITS
        yield "negative", f"-{num.lstrip('+-') or '1'} {unit}", False
        yield "zero", f"0 {unit}", False
        yield "tiny", f"1e-30 {unit}", length
        yield "huge", f"1e30 {unit}", True
        yield "nan", f"nan {unit}", True
        yield "inf", f"inf {unit}", True
        yield "wrong_unit", f"{num} kg*A", True
        yield "no_unit", float(num), unit not in ("ppm",)  # a bare number is never a dimension
        yield "wrong_type", [num, unit], True
        return
    if isinstance(v, bool):
        yield "wrong_type", "maybe", True
        yield "wrong_type_list", [v], True
        return
    if isinstance(v, int):
        yield "negative", -abs(v) - 1, False
        yield "zero", 0, False
        yield "huge", 10**15, True
        yield "too_long", int("9" * 25), True
        yield "nan", float("nan"), True
        yield "inf", float("inf"), True
        yield "wrong_type", "many", True
        return
    if isinstance(v, float):
        yield "negative", -abs(v) - 1.0, False
        yield "zero", 0.0, False
        yield "tiny", 1e-300, False
        yield "huge", 1e300, False
        yield "nan", float("nan"), True
        yield "inf", float("inf"), True
        yield "wrong_type", {"x": 1}, True
        return
    if isinstance(v, str):
        yield "empty", "", False
        yield "unknown", "no_such_thing_x", False
        yield "newline", v + "\nx", False
        yield "long", "x" * 5000, False
        yield "wrong_type", {"nested": [1, 2]}, True
        return
    if isinstance(v, list):
        yield "nan_items", [float("nan")] * 3, True
        yield "many_items", [v[0] if v else 1] * 30000, True
        return
    yield "wrong_type", [[1]], v is not None


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    import copy

    out = copy.deepcopy(doc)
    cur = out
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = value
    return out


def _remove(doc: Any, path: tuple[Any, ...]) -> Any:
    import copy

    out = copy.deepcopy(doc)
    cur = out
    for k in path[:-1]:
        cur = cur[k]
    del cur[path[-1]]
    return out


def _parent_dict(doc: Any, path: tuple[Any, ...]) -> dict[Any, Any] | None:
    cur = doc
    for k in path[:-1]:
        cur = cur[k]
    return cur if isinstance(cur, dict) else None


def _is_position(doc: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` names a family parameter typed `Offset` (a coordinate: 1e-30 mm is 0)."""
    if not isinstance(doc, dict) or path[:1] != ("parameters",) or "family" not in doc:
        return False
    try:
        cls: Any = get_family(str(doc["family"])).params
    except SemipackError:
        return False
    tp: Any = None
    for key in path[1:]:
        if isinstance(key, int):
            args = typing.get_args(_plain(tp))
            cls = _plain(args[0]) if args else None
            continue
        if not dataclasses.is_dataclass(cls):
            return False
        tp = typing.get_type_hints(cls, include_extras=True).get(key)
        cls = _plain(tp)
    return tp is not None and Offset in (tp, *typing.get_args(tp))


def _plain(tp: Any) -> Any:
    """``X`` from ``X | None`` and ``Annotated[X, ...]``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def mutations(source: str, doc: Any) -> Iterator[tuple[Case, Any]]:
    """Every mutation of every leaf of ``doc``, with the mutated document."""
    for path, v in leaves(doc):
        if not path:
            continue
        position = _is_position(doc, path)
        for kind, new, refuse in value_mutations(v):
            refuse = refuse and not (position and kind == "tiny")  # 1e-30 mm from the centre is the centre
            yield Case(source, path, kind, new, refuse), _set(doc, path, new)
        parent = _parent_dict(doc, path)
        if parent is not None:
            # Required keys (family, name ...) make removal a refusal; others fall back to defaults.
            yield Case(source, path, "removed", None, False), _remove(doc, path)
            added = _set(doc, (*path[:-1], "no_such_key"), v)
            yield Case(source, (*path[:-1], "no_such_key"), "added", v, path[0] != "materials"), added
            doubled = {_DUP: True, path[-1]: v, **{k: x for k, x in parent.items() if k != path[-1]}}
            dup = _set(doc, path[:-1], doubled) if path[:-1] else doubled
            yield Case(source, path, "duplicated", v, True), dup


def design_corpus() -> list[tuple[Case, str]]:
    """Every mutation of every example design, as YAML text."""
    out = []
    for f in sorted(EXAMPLES.glob("*.yaml")):
        doc = yaml.safe_load(f.read_text())
        for case, mutated in mutations(f.stem, doc):
            out.append((case, to_yaml(mutated)))
    return out


_CORPUS: list[tuple[Case, str]] | None = None


def _corpus() -> list[tuple[Case, str]]:
    global _CORPUS
    if _CORPUS is None:
        _CORPUS = design_corpus()
    return _CORPUS


def _sample() -> list[int]:
    n = len(_corpus())
    return sorted(random.Random(SEED).sample(range(n), min(SAMPLE, n)))


def _all() -> list[int]:
    return list(range(len(_corpus())))


# ------------------------------------------------------------------ the checks


def _assert_outcome(case: str, must_refuse: bool, code: int, out: str, err: str, seconds: float) -> None:
    assert "Traceback" not in err and "internal error" not in err, f"{case}: {err}"
    assert code in (0, 2), f"{case}: exit {code}: {err}"
    if code == 2:
        assert err.startswith("semipack: error: ") and err.count("\n") == 1, f"{case}: not one line: {err!r}"
    if must_refuse:
        assert code == 2, f"{case}: accepted, but it must be refused"
    assert seconds < CASE_SECONDS, f"{case}: took {seconds:.1f} s"


def _run_design_case(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case, text = _corpus()[index]
    src = tmp_path / "in"
    src.mkdir()
    for table in EXAMPLES.glob(f"{case.source}_*.csv"):  # pin-map tables beside their design
        (src / table.name).write_bytes(table.read_bytes())
    design = src / f"{case.source}.yaml"
    design.write_text(text, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    t0 = time.perf_counter()
    code, out, err = cli(capsys, "show", str(design))
    _assert_outcome(case.id, case.must_refuse, code, out, err, time.perf_counter() - t0)
    assert not list(work.iterdir()), f"{case.id}: wrote {list(work.iterdir())}"


@pytest.mark.parametrize("index", _sample())
def test_mutated_designs(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_design_case(index, tmp_path, capsys, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("index", sorted(set(_all()) - set(_sample())))
def test_mutated_designs_full(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_design_case(index, tmp_path, capsys, monkeypatch)


# ------------------------------------------------------------------ accepted mutations through the analyses

_SMALL = ("dfn8", "qfn32", "csp", "lga", "stack", "exposed_sink_qfn", "thinfilm_metal", "cavity_buildup")
_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("draw", "-o", "out.svg"),
    ("flow", "--json"),
    ("warpage", "--method", "clt", "--json"),
    ("nets",),
    ("drc",),
)


def _small_cases() -> list[int]:
    return [i for i, (c, _) in enumerate(_corpus()) if c.source in _SMALL and not c.must_refuse]


def _run_through_analyses(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case, text = _corpus()[index]
    design = tmp_path / f"{case.source}.yaml"
    design.write_text(text, encoding="utf-8")
    for table in EXAMPLES.glob(f"{case.source}_*.csv"):
        (tmp_path / table.name).write_bytes(table.read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for command in _COMMANDS:
        t0 = time.perf_counter()
        code, out, err = cli(capsys, command[0], str(design), *command[1:])
        _assert_outcome(f"{case.id} ({command[0]})", False, code, out, err, time.perf_counter() - t0)
        written = sorted(p.name for p in work.iterdir())
        assert written == (["out.svg"] if code == 0 and command[0] == "draw" else []), f"{case.id}: {written}"
        for p in work.iterdir():
            p.unlink()


@pytest.mark.parametrize("index", sorted(random.Random(SEED).sample(_small_cases(), 10)))
def test_mutated_designs_through_analyses(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_through_analyses(index, tmp_path, capsys, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("index", sorted(random.Random(SEED + 1).sample(_small_cases(), min(200, len(_small_cases())))))
def test_mutated_designs_through_analyses_more(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_through_analyses(index, tmp_path, capsys, monkeypatch)


# ------------------------------------------------------------------ flows and studies (library level)


_FLOW = {
    "name": "fuzz-flow",
    "units": 4,
    "street": "0.3 mm",
    "steps": [
        {"kind": "provide_substrate"},
        {"kind": "die_attach"},
        {"kind": "cure", "temperature": "150 C", "time": "1 h"},
        {"kind": "deposit_dielectric", "layer": 1, "thickness": "12 um", "material": "bcb"},
    ],
}


def _documents() -> list[tuple[str, Any, Any]]:
    """(name, document, validator) for the flow and every study file."""
    docs: list[tuple[str, Any, Any]] = [("flow", _FLOW, lambda d: flow_from_mapping(d, "flow"))]
    for f in sorted((ROOT / "studies").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text())
        docs.append((f.stem, doc, lambda d, f=f: check_base(study_from_mapping(d, f))))
    return docs


def _doc_cases() -> list[tuple[Case, Any, Any]]:
    out = []
    for name, doc, check in _documents():
        for case, mutated in mutations(name, doc):
            if case.kind == "duplicated":
                continue  # a parsed document cannot hold a duplicate key: see the file tests
            out.append((case, mutated, check))
    return out


_DOCS = _doc_cases()


_DOC_SAMPLE = sorted(random.Random(SEED).sample(range(len(_DOCS)), min(60, len(_DOCS))))


@pytest.mark.parametrize("index", _DOC_SAMPLE)
def test_mutated_flows_and_studies(index: int) -> None:
    _check_document(index)


@pytest.mark.slow
@pytest.mark.parametrize("index", sorted(set(range(len(_DOCS))) - set(_DOC_SAMPLE)))
def test_mutated_flows_and_studies_full(index: int) -> None:
    _check_document(index)


def _check_document(index: int) -> None:
    case, doc, check = _DOCS[index]
    t0 = time.perf_counter()
    try:
        check(doc)
        refused = False
    except SemipackError as exc:
        refused = True
        assert "\n" not in str(exc), f"{case.id}: {exc!r}"
    assert time.perf_counter() - t0 < CASE_SECONDS
    if (case.must_refuse and case.path[-1] != "no_such_key") or case.kind in ("nan", "inf", "huge"):
        assert refused or case.kind == "huge", f"{case.id}: accepted, but it must be refused"


# ------------------------------------------------------------------ special files


def _special_files(tmp: Path) -> Iterator[tuple[str, Path]]:
    if hasattr(os, "mkfifo"):
        fifo = tmp / "fifo.yaml"
        os.mkfifo(fifo)
        yield "fifo", fifo
    if Path("/dev/zero").exists():
        yield "dev_zero", Path("/dev/zero")
    if Path("/dev/null").exists():
        yield "dev_null", Path("/dev/null")
    yield "directory", tmp
    yield "missing", tmp / "missing.yaml"
    for name, data in {
        "empty": b"",
        "binary": bytes(range(256)) * 4,
        "nul": b"family: qfn\x00\n",
        "latin1": "name: caf\xe9\n".encode("latin-1"),
        "too_big": b"# " + b"x" * (1 << 20) + b"\n",
        "list": b"- 1\n- 2\n",
        "scalar": b"just text\n",
        "deep": b"family: qfn\nname: q\nparameters: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "deep_map": b"a: " + b"{b: " * 3000 + b"1" + b"}" * 3000 + b"\n",
        "alias": b"family: qfn\nname: &a q\nparameters: {x: *a}\n",
        "binary_tag": b"family: qfn\nname: !!binary aGVsbG8=\n",
        "python_tag": b"family: qfn\nname: !!python/object/apply:os.system [echo hi]\n",
        "dup_top": b"family: qfn\nname: a\nname: b\n",
        "big_int": b"family: qfn\nname: q\nparameters: {leads_per_side_x: " + b"9" * 5000 + b"}\n",
        "parens": b"family: qfn\nname: q\nparameters: {body_x: '5 " + b"(" * 20000 + b"mm" + b")" * 20000 + b"'}\n",
        "newline_key": b'family: qfn\nname: q\nparameters: {"body\\nx": 5 mm}\n',
        "newline_override": b'family: qfn\nname: q\noverrides: {"lead*\\n": {material: au}}\n',
        "newline_material": b'family: qfn\nname: q\nmaterials: {"gl\\nue": {base: au}}\n',
        "tab_name": b'family: qfn\nname: "q\\tq"\n',
        "unicode_control": 'family: qfn\nname: q\nparameters: {die_material: "si\u202e"}\n'.encode(),
    }.items():
        p = tmp / f"{name}.yaml"
        p.write_bytes(data)
        yield name, p
    loop = tmp / "loop.yaml"
    loop.symlink_to(loop)
    yield "symlink_loop", loop


def test_special_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    inputs = tmp_path / "in"
    inputs.mkdir()
    monkeypatch.chdir(work)
    for name, path in _special_files(inputs):
        for command in ("show", "thermal", "flow"):
            t0 = time.perf_counter()
            code, out, err = cli(capsys, command, str(path))
            _assert_outcome(f"{name} ({command})", True, code, out, err, time.perf_counter() - t0)
        t0 = time.perf_counter()
        code, out, err = cli(capsys, "study", "run", str(path))
        _assert_outcome(f"{name} (study run)", True, code, out, err, time.perf_counter() - t0)
        code, out, err = cli(capsys, "flow", str(EXAMPLES / "qfn32.yaml"), "--flow", str(path))
        _assert_outcome(f"{name} (--flow)", True, code, out, err, 5.0)
    assert not list(work.iterdir())


# ------------------------------------------------------------------ CLI options


_QFN = str(EXAMPLES / "qfn32.yaml")
_OPTIONS: list[tuple[str, ...]] = [
    *(("thermal", _QFN, "--resolution", r) for r in ("0", "-1", "nan", "inf", "1e9", "0.001", "16", "x")),
    *(("thermal", _QFN, "--air-speed", s) for s in ("-1 m/s", "nan m/s", "1e9 m/s", "2 W")),
    *(("thermal", _QFN, "--power", p) for p in ("-2 W", "nan W", "inf W", "0 W", "2 mm")),
    *(("thermal", _QFN, "--ambient", t) for t in ("-300 C", "1e9 C", "nan C")),
    *(("thermal", _QFN, "--max-cells", n) for n in ("0", "-5", "1e3", "1000")),
    *(("thermal", _QFN, "--max-memory", m) for m in ("0", "-1 GB", "nan GB", "1 MB", "2 PiB", "16")),
    # 256 MiB, the least accepted, is below the estimate for the PBGA's 1.1 M cells on its board (0.8 GB).
    ("thermal", str(EXAMPLES / "pbga.yaml"), "--max-memory", "256 MiB"),
    ("thermal", _QFN, "--voiding", "2"),
    ("thermal", _QFN, "--trace-coverage", "nan"),
    ("thermal", _QFN, "--emissivity", "inf"),
    ("thermal", _QFN, "--h", "-1 W/m^2/K"),
    ("thermal", _QFN, "--env", "vacuum"),
    ("thermal", _QFN, "--fanout-rows", "100000"),
    ("thermal", _QFN, "--sink-fins", "-1", "--heat-sink", "--env", "forced-air"),
    ("thermal", _QFN, "--map", "out.pdf"),
    ("transient", _QFN, "--until", "-1 s"),
    ("transient", _QFN, "--resolution", "0"),
    *(("transient", _QFN, "--solver", s) for s in ("direct", "gpu")),
    *(("claims", _QFN, "--tolerance", t) for t in ("similar_cte_ppm_k=inf", "x=1", "similar_cte_ppm_k=-1", "=")),
    ("claims", _QFN, "--patent", "999"),
    ("warpage", _QFN, "--method", "magic"),
    ("warpage", _QFN, "--resolution", "0"),
    ("warpage", _QFN, "--cure-shrinkage", "nan"),
    ("stress", _QFN, "--temperature", "nan C"),
    ("draw", _QFN, "-o", "out.txt"),
    ("draw", _QFN, "-o", "out.svg", "--section", "z=1mm"),
    ("draw", _QFN, "-o", "out.svg", "--section", "y=1e30mm"),
    ("draw", _QFN, "-o", "."),
    ("export", _QFN, "--format", "dwg", "-o", "out.dwg"),
    ("report", _QFN, "-o", "."),
    ("report", _QFN, "-o", ".."),
    ("report", _QFN, "--resolution", "nan", "-o", "r"),
    ("flow", _QFN, "--method", "no-such-method"),
    ("flow", _QFN, "--units", "0"),
    ("study", "run", str(ROOT / "studies" / "qfn_sweep.yaml"), "--workers", "0"),
    ("irdrop", _QFN, "--net", "NO_SUCH_NET"),
    ("new", "no_such_family"),
]


@pytest.mark.parametrize("args", _OPTIONS, ids=lambda a: " ".join(a[:1] + a[2:])[:60])
def test_cli_options(
    args: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    t0 = time.perf_counter()
    code, out, err = cli(capsys, *args)
    _assert_outcome(" ".join(args), True, code, out, err, time.perf_counter() - t0)
    assert not list(work.iterdir()), f"{args}: wrote {list(work.iterdir())}"


def test_the_generator_covers_every_example_and_kind() -> None:
    corpus = _corpus()
    assert {c.source for c, _ in corpus} == {p.stem for p in EXAMPLES.glob("*.yaml")}
    kinds = {c.kind for c, _ in corpus}
    assert {"negative", "zero", "tiny", "huge", "nan", "inf", "wrong_unit", "wrong_type"} <= kinds
    assert {"removed", "added", "duplicated"} <= kinds
    # Duplicated keys reach the parser as text, and the loader refuses them.
    dup = next(t for c, t in corpus if c.kind == "duplicated")
    with pytest.raises(DesignError, match="duplicate key"):
        from semipack.design.loader import parse_yaml_text

        parse_yaml_text(dup.encode())
