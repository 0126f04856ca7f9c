"""Refactoring guard: a canonical fingerprint of a built `Package` and a reference file of them.

A builder refactor must leave every package it builds unchanged. The reference JSON files under
``tests/data/identity/`` were written by the ORIGINAL builders (the commit named in each file)
before their refactor; tests/test_builder_identity.py rebuilds every case with the current code
and compares fingerprints exactly. That compares the refactored code with the original implementation, not
with its own output: never regenerate a reference from refactored code (the file records the
commit it came from, and `write_reference` refuses to overwrite an existing file).

The fingerprint holds everything a package carries except its material library and parameter
object: bodies in order (name, role, material, numeral as text, label, net, tags, filler flag, the full
solid with cut-outs, its bounding box), pads, nets and routes, heat sources, contacts, allowed
overlaps, features, the section hint and markers. Lengths are rounded to 1e-12 m (1 pm), so
last-bit noise from a reordered sum passes and any real change fails. Design errors are recorded
by their message, so the checks the builder makes are guarded too.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from semipack.design import build_design
from semipack.errors import SemipackError
from semipack.model import Package

DATA = Path(__file__).resolve().parent / "data" / "identity"

Case = tuple[str, Callable[[], Package]]


def _norm(v: object) -> object:
    """JSON-ready, order-preserving form of a value; floats rounded to 1e-12 (and -0.0 made 0.0)."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return round(v, 12) + 0.0
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, (tuple, list)):
        return [_norm(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted((_norm(x) for x in v), key=repr)
    if isinstance(v, Mapping):
        return {str(k): _norm(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {"type": type(v).__name__, **{f.name: _norm(getattr(v, f.name)) for f in dataclasses.fields(v)}}
    raise TypeError(f"cannot fingerprint a {type(v).__name__}")


def fingerprint(pkg: Package) -> dict[str, Any]:
    """The canonical, JSON-ready description of ``pkg`` (see the module docstring)."""
    bodies = [
        {
            "name": b.name,
            "role": b.role.value,
            "material": b.material,
            "numeral": None if b.numeral is None else str(b.numeral),
            "label": b.label,
            "net": b.net,
            "tags": sorted(b.tags),
            "filler": b.filler,
            "is_filler": b.is_filler,
            "bbox": _norm((b.solid.bbox.lo, b.solid.bbox.hi)),
            "solid": _norm(b.solid),
        }
        for b in pkg.bodies
    ]
    return {
        "name": pkg.name,
        "family": pkg.family,
        "bodies": bodies,
        "pads": _norm(pkg.pads),
        "nets": _norm(pkg.nets),
        "heat_sources": _norm(pkg.heat_sources),
        "contacts": _norm(pkg.contacts),
        "allowed_overlaps": _norm(pkg.allowed_overlaps),
        "features": _norm(dict(pkg.features)),
        "section_hint": _norm(pkg.section_hint),
        "markers": _norm(pkg.markers),
    }


def _digest(v: object) -> str:
    return hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest()[:16]


def outcome(make: Callable[[], Package]) -> dict[str, Any]:
    """Digests of the fingerprint of the package ``make`` builds, or the design error it raises.

    Each section is stored as a 64-bit digest of its canonical JSON, the bodies one digest per
    role (in body order) plus the digest of their names in order, so a failure names the section
    or the role whose bodies changed while the file stays small (full fingerprints of one family
    run to megabytes). To see the change itself, fingerprint the case with the original commit.
    """
    try:
        pkg = make()
    except SemipackError as exc:
        return {"error": type(exc).__name__, "message": str(exc)}
    fp = fingerprint(pkg)
    out: dict[str, Any] = {k: _digest(v) for k, v in fp.items() if k != "bodies"}
    by_role: dict[str, list[Any]] = {}
    for b in fp["bodies"]:
        by_role.setdefault(b["role"], []).append(b)
    out["bodies"] = {role: _digest(bs) for role, bs in by_role.items()}
    out["body_names"] = _digest([b["name"] for b in fp["bodies"]])
    out["body_count"] = len(fp["bodies"])
    return out


def examples(family: str) -> list[Case]:
    """Every example design of ``family`` (examples/<family>*.yaml)."""
    from semipack.design import load_design

    root = Path(__file__).resolve().parents[1] / "examples"
    return [(f"example:{p.stem}", functools.partial(load_design, p)) for p in sorted(root.glob(f"{family}*.yaml"))]


def variant(family: str, **params: Any) -> Callable[[], Package]:
    return lambda: build_design({"family": family, "name": "t", "parameters": params})


def write_reference(family: str, cases: list[Case], commit: str) -> Path:
    """Write the reference file for ``family`` from the semipack on the path: the original code at ``commit``."""
    out = DATA / f"{family}.json"
    if out.exists():
        raise SystemExit(f"{out} exists: the reference must come from the original code, delete it deliberately")
    doc = {
        "about": (
            f"PRE-REFACTOR REFERENCE for the {family} builder: fingerprints written by the original "
            f"implementation at commit {commit}, before it was rebuilt as tables and small functions. "
            "Do not regenerate from later code (see tests/package_identity.py)."
        ),
        "commit": commit,
        "cases": {name: outcome(make) for name, make in cases},
    }
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n")
    tmp.rename(out)
    return out


@functools.cache
def read_reference(family: str) -> dict[str, Any]:
    cases: dict[str, Any] = json.loads((DATA / f"{family}.json").read_text())["cases"]
    return cases


def first_difference(a: object, b: object, path: str = "") -> str | None:
    """Where two JSON values first differ (for a readable failure)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'reference' if k in a else 'current'}"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None if len(a) == len(b) else f"{path}: length {len(a)} (reference) vs {len(b)}"
    return None if a == b else f"{path}: {a!r} (reference) vs {b!r}"


def assert_as_reference(family: str, cases: Mapping[str, Callable[[], Package]], name: str) -> None:
    """Case ``name`` builds (or is refused) exactly as the original builder did."""
    ref = read_reference(family)
    assert name in ref, f"{name}: no reference (cases may only be added with the original code)"
    now = outcome(cases[name])
    assert now == ref[name], first_difference(ref[name], now)


def assert_covers(family: str, cases: Mapping[str, Callable[[], Package]]) -> None:
    """The reference holds exactly the cases the test builds."""
    assert set(read_reference(family)) == set(cases)


def main(family: str, cases: list[Case], argv: list[str]) -> None:
    """``--write COMMIT``: create the reference of ``family`` with semipack as it was at COMMIT.

    Put that commit's source first on the path, e.g. ``git archive COMMIT src | tar -x -C /tmp/orig``
    and ``PYTHONPATH=/tmp/orig/src python tests/identity_<family>.py --write COMMIT``.
    """
    if len(argv) == 2 and argv[0] == "--write":
        import semipack

        print(f"fingerprinting {semipack.__file__}")
        print(write_reference(family, cases, argv[1]))
