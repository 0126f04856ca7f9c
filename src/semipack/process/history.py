"""The thermal history each material sees through a flow, flagged against its limits."""

from __future__ import annotations

from dataclasses import dataclass

from semipack.materials import Category
from semipack.process.engine import FlowResult


@dataclass(frozen=True)
class Exposure:
    """One step's temperature as one material sees it, with what it passes."""

    step: int
    title: str
    temperature_k: float
    time_s: float
    flags: tuple[str, ...]


@dataclass(frozen=True)
class MaterialHistory:
    material: str
    exposures: tuple[Exposure, ...]

    @property
    def peak_k(self) -> float:
        return max((e.temperature_k for e in self.exposures), default=float("nan"))

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for e in self.exposures for f in e.flags))


def thermal_history(result: FlowResult) -> tuple[MaterialHistory, ...]:
    """For every material in the design: the steps it goes through above room temperature.

    Flags: ``above Tg`` (glass transition), ``molten`` (a solder at or above its
    liquidus: intended in a reflow, a warning anywhere else), ``over limit`` (a short
    excursion above the material's continuous limit; longer ones the engine refuses).
    """
    lib = result.design.materials
    out: dict[str, list[Exposure]] = {}
    for rec in result.records:
        t = rec.step.temperature_k
        if t is None or t <= 303.15:
            continue
        mats = sorted({b.material for b in rec.state.bodies if not b.name.startswith("incoming.")})
        for m in mats:
            if m not in lib:
                continue
            mat = lib[m]
            flags = []
            if mat.tg_k is not None and t > mat.tg_k:
                flags.append("above Tg")
            if mat.category is Category.SOLDER and mat.liquidus_k is not None and t >= mat.liquidus_k:
                flags.append("molten")
            elif mat.max_temperature_k is not None and t > mat.max_temperature_k:
                flags.append("over limit")
            out.setdefault(m, []).append(Exposure(rec.index, rec.step.title, t, rec.step.time_s or 0.0, tuple(flags)))
    return tuple(MaterialHistory(m, tuple(v)) for m, v in sorted(out.items()))
