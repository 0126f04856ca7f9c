"""The families: one builder per architecture, by the name used on the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from semipack.errors import DesignError
from semipack.materials import MaterialLibrary
from semipack.model import Package


@dataclass(frozen=True)
class Family:
    """A parametric architecture: its name, the seed it models, its parameters and builder."""

    name: str
    title: str
    seed: str
    params: type
    build: Callable[[Any, MaterialLibrary, str], Package]


def _families() -> dict[str, Family]:
    from semipack.families import (
        cavity_buildup,
        csp,
        exposed_sink,
        fcbga,
        flex_csp,
        pbga,
        qfn,
        spreader_bga,
        stack,
        thinfilm_metal,
    )

    fams = [
        Family("spreader_bga", "heat-spreader BGA", "000", spreader_bga.SpreaderBgaParams, spreader_bga.build),
        Family("flex_csp", "folded-flex image-sensor CSP", "001", flex_csp.FlexCspParams, flex_csp.build),
        Family(
            "thinfilm_metal",
            "chip-first thin-film package on a metal substrate",
            "002",
            thinfilm_metal.ThinfilmMetalParams,
            thinfilm_metal.build,
        ),
        Family(
            "exposed_sink",
            "exposed heat-sink package (BGA substrate or QFN)",
            "003",
            exposed_sink.ExposedSinkParams,
            exposed_sink.build,
        ),
        Family(
            "cavity_buildup",
            "build-up package, die in a metal carrier's cavity",
            "004",
            cavity_buildup.CavityBuildupParams,
            cavity_buildup.build,
        ),
        Family("stack", "generic layered stack (3D-ICE style)", "-", stack.StackParams, stack.build),
        Family("fcbga", "flip-chip BGA on a build-up substrate, bare die or lidded", "-", fcbga.FcbgaParams, fcbga.build),
        Family("pbga", "wire-bond plastic BGA on a laminate stack-up", "-", pbga.PbgaParams, pbga.build),
        Family("csp", "fine-pitch laminate CSP (wire bond)", "-", csp.CspParams, csp.build_csp),
        Family("lga", "land grid array on a laminate stack-up", "-", csp.LgaParams, csp.build_lga),
        Family("qfn", "quad flat no-lead package (lead frame, exposed pad)", "-", qfn.QfnParams, qfn.build),
        Family("dfn", "dual flat no-lead package (lead frame, exposed pad)", "-", qfn.DfnParams, qfn.build_dfn),
    ]
    return {f.name: f for f in fams}


FAMILY_NAMES = ("spreader_bga", "flex_csp", "thinfilm_metal", "exposed_sink", "cavity_buildup", "stack", "fcbga", "pbga", "csp", "lga", "qfn", "dfn")


def get_family(name: str, field: str = "family") -> Family:
    """Look up a family by name; unknown names raise a `DesignError` listing the choices."""
    fams = _families()
    if name not in fams:
        raise DesignError(field, name, "allowed: " + ", ".join(fams))
    return fams[name]


def all_families() -> list[Family]:
    return list(_families().values())
