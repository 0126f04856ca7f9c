"""A `dataclasses.replace` rebuild keeps every field, for every frozen type of the model, the
process engine, the claims and the thermal environment.

Each type has a sample in which every field is set away from its default; the test replaces
one field at a time (with a value that differs and that the type accepts) and checks that the
new value is taken and every other field is kept. The type list is discovered from the
modules, so a new frozen type without a sample fails here rather than going unchecked.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from enum import Enum
from functools import cache
from types import MappingProxyType
from typing import Any

import pytest
from conftest import example

import semipack.claims
import semipack.model
import semipack.process
from semipack.claims import Tolerances, chart, encoded, seed_claims
from semipack.claims.facts import Facts, MethodRun
from semipack.claims.model import Finding, Verdict
from semipack.errors import SemipackError
from semipack.geometry import Box
from semipack.model import Body, HeatSource, Marker, Net, Pad, Passive, PassiveElement, PassivePart, Role
from semipack.model.body import Route
from semipack.model.derived import summarize
from semipack.model.flex import FlexLayer, FlexPart, FlexPiece
from semipack.model.roles import NetKind
from semipack.process import Flow, Level, Singulation, Step, StepKind, get_method, run_flow
from semipack.process.context import Context
from semipack.process.costing import rollup
from semipack.process.defaults import DEFAULTS
from semipack.process.effects import Change
from semipack.process.facts import AtLevel, Flag, PlatingResist, SeedLayer, ThruHoles, Uncured
from semipack.process.history import Exposure, thermal_history
from semipack.process.parts import Part, PartKey
from semipack.process.run import FlowRun
from semipack.process.state import StepRecord
from semipack.process.unfold import Affine, flat_flex
from semipack.thermal.boards import BoardStandard, ThermalLand, TraceModel
from semipack.thermal.environment import BoardKind, Environment, EnvKind, FilmCoefficients
from semipack.thermal.films import Films
from semipack.thermal.heatsink import PlateFinSink

M61 = "002-claims-61-101"


def _never(pkg: object) -> str:
    return "never applies"


def _modules() -> Iterator[str]:
    for pkg in (semipack.model, semipack.process, semipack.claims):
        yield pkg.__name__
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            yield info.name
    yield "semipack.thermal.environment"
    yield "semipack.thermal.films"


def _frozen_types() -> set[type]:
    out = set()
    for name in _modules():
        mod = importlib.import_module(name)
        for obj in vars(mod).values():
            if (
                isinstance(obj, type)
                and obj.__module__ == name
                and dataclasses.is_dataclass(obj)
                and obj.__dataclass_params__.frozen  # type: ignore[attr-defined]
            ):
                out.add(obj)
    return out


@cache
def _samples() -> dict[type, Any]:
    """One instance per frozen type, every field away from its default where it has one."""
    pkg = example("thinfilm_metal")
    result = run_flow(pkg, get_method(pkg, M61).build(pkg))
    record = result.records[8]
    step = Step(
        StepKind.ELECTROPLATE,
        label="plate 1",
        layer=1,
        target=("wiring_1*",),
        material="cu",
        allowed=("cu",),
        temperature_k=300.0,
        time_s=60.0,
        thickness_m=5e-6,
        radius_m=1e-3,
        depth_m=4e-6,
        fill_vias=True,
        face_down=True,
        temporary=True,
        singulation=Singulation.PER_GROUP,
        figure="FIG. 9",
        claims=(73,),
    )
    part = FlexPart(FlexPiece.BEND, 2, FlexLayer.OUTER)
    passive = PassivePart("die1_filter", Passive.FILTER, PassiveElement.PLATE)
    body = Body(
        "b",
        Role.DIE,
        "si",
        Box((0, 0, 0), (1e-3, 1e-3, 3e-4)),
        7,
        "die",
        "gnd",
        frozenset({"ir_cut"}),
        True,
        part,
        passive,
    )
    ch = chart(pkg, ("002",))
    claim = encoded("002")[1]
    facts = Facts(pkg, Tolerances(3.5, 0.2, 0.02, 3e-6, 0.2))
    history = thermal_history(result)[0]
    costs = rollup(result)
    flex = flat_flex(example("flex_csp_fig1"))
    samples: list[Any] = [
        # model
        body,
        part,
        passive,
        Pad("p1", "die", (1e-4, 2e-4), 5e-5, "n1"),
        Route("a", "b", ("sub",), 1e-3),
        Net("n1", NetKind.POWER, (("a", "b"),), (Route("a", "b", ("sub",), 1e-3),)),
        HeatSource("die", 1.5, (0.0, 0.0, 1e-3, 1e-3)),
        Marker(12, "concave", (0.0, 1e-3, 2e-3)),
        # A valid package (its own contacts and markers), so that validate=True rebuilds it too.
        dataclasses.replace(
            pkg,
            allowed_overlaps=frozenset({frozenset({"die1", "die1_attach"})}),
            parameters={"x": 1},
            section_hint=("x", 1e-3),
            validate=False,
        ),
        summarize(pkg),
        # process
        step,
        Flow("f", (step,), "d", "002", (61,), 5, 0.2e-3),
        Uncured("die_attach"),
        AtLevel(3),
        ThruHoles(2),
        SeedLayer(2),
        PlatingResist(2),
        dataclasses.replace(
            record.state,
            provisional=frozenset({"die1"}),
            temporary=frozenset({"first_filling"}),
            facts=frozenset({Flag.FLEX}),
            level=Level.UNIT,
            face_down=True,
        ),
        StepRecord(record.index, step, record.state, ("a",), ("b",), ("note",)),
        Change(
            (body,),
            ("b",),
            frozenset({"b"}),
            frozenset({"c"}),
            frozenset({"t"}),
            frozenset({"r"}),
            frozenset({Flag.BUMPED}),
            frozenset({ThruHoles(1)}),
            ("n",),
            True,
            Level.UNIT,
        ),
        PartKey(Part.VIAS, 2),
        Affine(-1.0, 2e-3, -1.0, 1e-3),
        flex,
        Context.of(example("flex_csp_fig1")),
        result,
        history,
        Exposure(3, "cure", 423.15, 3600.0, ("above Tg",)),
        costs,
        costs.steps[0],
        FlowRun(result, (history,), costs, True),
        DEFAULTS[StepKind.CURE],
        dataclasses.replace(get_method(pkg, M61), applies=_never),
        # claims
        Finding(Verdict.MET, "e"),
        Tolerances(3.5, 0.2, 0.02, 3e-6, 0.2),
        claim,
        claim.elements[0],
        ch,
        ch.results[1],
        ch.results[1].elements[0],
        seed_claims("002")[1],
        MethodRun(M61, (step,), "why"),
        facts,
        # thermal environment
        FilmCoefficients(5.0, 6.0, 7.0, 8.0),
        Films(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0),
        Environment(
            kind=EnvKind.FORCED_AIR,
            board=BoardKind.ONE_S,
            board_standard=BoardStandard.LEADED,
            thermal_land=ThermalLand(voiding=0.1),
            trace_model=TraceModel.RESOLVED,
            ambient_k=300.0,
            air_speed_m_s=2.0,
            emissivity=0.8,
            h_custom_w_m2k=12.0,
            trace_coverage=0.3,
            film=FilmCoefficients(5.0, 6.0, 7.0, 8.0),
            cold_plate_w_m2k=1e5,
            heat_sink=PlateFinSink(fins=10),
            fanout_rows=2,
            plane_vias=True,
        ),
    ]
    return {type(s): s for s in samples}


def _same(a: object, b: object) -> bool:
    return a is b or bool(a == b)


def _alternatives(v: object) -> Iterator[object]:
    """Values of ``v``'s kind that differ from it (a field's replacement candidates)."""
    if isinstance(v, bool):
        yield not v
    elif isinstance(v, Enum):
        yield from (m for m in type(v) if m is not v)
    elif isinstance(v, int):
        yield from (v + 1, v - 1)
    elif isinstance(v, float):
        yield from ((v * 0.5, v * 2.0) if v else (1e-6, 0.5))
    elif isinstance(v, str):
        yield v + "_2"
    elif isinstance(v, tuple) and v and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v):
        yield tuple(x * 0.5 if x else 1e-6 for x in v)  # a point or a size: same length, other values
    elif isinstance(v, tuple | frozenset) and v:
        yield type(v)(list(v)[:-1])
    elif isinstance(v, Mapping) and v:
        yield MappingProxyType({})
    elif dataclasses.is_dataclass(v) and not isinstance(v, type):
        for f in dataclasses.fields(v):
            for alt in _alternatives(getattr(v, f.name)):
                try:
                    yield dataclasses.replace(v, **{f.name: alt})
                    return
                except (SemipackError, ValueError, TypeError):
                    continue
    elif callable(v):
        yield lambda *a, **k: None


# Fields that no single-field rebuild of the sample may change: the type's own validation ties them to another.
_COUPLED = {(Environment, "kind")}  # the sample's heat sink is modelled in forced air only


def _defaults(cls: type) -> dict[str, object]:
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


def test_every_frozen_type_has_a_sample() -> None:
    found = _frozen_types()
    have = set(_samples())
    assert {t.__qualname__ for t in found - have} == set()
    assert len(found) >= 40


@pytest.mark.parametrize(
    "cls", sorted(_frozen_types(), key=lambda t: (t.__module__, t.__qualname__)), ids=lambda t: t.__qualname__
)
def test_replace_keeps_every_other_field(cls: type) -> None:
    sample = _samples()[cls]
    fields = dataclasses.fields(sample)
    at_default = [n for n, d in _defaults(cls).items() if _same(getattr(sample, n), d)]
    assert at_default == [], f"{cls.__qualname__}: sample leaves {at_default} at the default"
    for f in fields:
        if not f.init:
            continue
        old = getattr(sample, f.name)
        new = None
        for alt in _alternatives(old):
            try:
                rebuilt = dataclasses.replace(sample, **{f.name: alt})
            except (SemipackError, ValueError, TypeError):  # a value the type refuses (its own validation)
                continue
            new = alt
            break
        if new is None and (cls, f.name) in _COUPLED:
            continue
        assert new is not None, f"{cls.__qualname__}.{f.name}: no other value to replace {old!r} with"
        assert not _same(new, old)
        assert _same(getattr(rebuilt, f.name), new), f"{cls.__qualname__}.{f.name} not taken"
        for g in fields:
            if g.name != f.name:
                assert _same(getattr(rebuilt, g.name), getattr(sample, g.name)), (
                    f"replacing {cls.__qualname__}.{f.name} changed {g.name}"
                )
