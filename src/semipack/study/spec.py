"""The study file: a base design, the parameters to vary, sampling, analyses, outputs, goals.

Validated with pydantic where it comes in (same one-line errors as design files), then
turned into the frozen `Study` the rest of the package uses.

```yaml
name: pbga_tradeoff
base: ../examples/spreader_bga.yaml      # a design file (relative to the study) or a mapping
parameters:
  spreader_thickness: {values: [0.2 mm, 0.3 mm, 0.5 mm]}
  die_size: {range: [6 mm, 12 mm]}                       # continuous
  materials.study_glue.k: {range: [1 W/m/K, 8 W/m/K], scale: log}
  mold_cte: {distribution: normal, mean: 12 ppm/K, std: 1 ppm/K}
sampling: {method: lhs, points: 64, seed: 1}           # factorial | lhs | sobol | saltelli
analyses: {package: {}, thermal: {resolution: 0.5}, warpage: {}}
outputs: [theta_ja_c_per_w, warpage_abs_um, total_height_m]
constraints: ["total_height_m <= 1.8 mm"]
objectives: [{minimize: theta_ja_c_per_w}, {minimize: warpage_abs_um}]
optimiser: {method: rbf, iterations: 4, batch: 4}      # optional
```

A parameter without a dot is a family parameter (``parameters.<name>``); a dotted name
is a path into the design file (``materials.<key>.<property>``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from semipack.design.loader import read_yaml
from semipack.errors import DesignError
from semipack.families.params import pydantic_to_design_error
from semipack.study.analyses import ANALYSES, settings_for
from semipack.units import Dimension, parse_quantity


class Sampling(Enum):
    FACTORIAL = "factorial"
    LHS = "lhs"
    SOBOL = "sobol"
    SALTELLI = "saltelli"  # A, B and the A_B^i blocks for Sobol indices


class Kind(Enum):
    VALUES = "values"
    RANGE = "range"
    DISTRIBUTION = "distribution"


# ---------------------------------------------------------------- input models


class _Param(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    values: list[Any] | None = Field(default=None, min_length=1, max_length=1000)
    range: tuple[Any, Any] | None = None
    steps: int = Field(default=3, ge=2, le=100)
    scale: Literal["linear", "log"] = "linear"
    distribution: Literal["uniform", "normal", "lognormal", "triangular"] | None = None
    mean: Any = None
    std: Any = None
    low: Any = None
    high: Any = None
    mode: Any = None

    @model_validator(mode="after")
    def _one_kind(self) -> _Param:
        n = sum(x is not None for x in (self.values, self.range, self.distribution))
        if n != 1:
            raise ValueError("give exactly one of values, range or distribution")
        return self


class _Sampling(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    method: Sampling = Sampling.FACTORIAL
    points: int | None = Field(default=None, ge=1, le=1_000_000)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


class _Objective(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    minimize: str | None = None
    maximize: str | None = None

    @model_validator(mode="after")
    def _one(self) -> _Objective:
        if (self.minimize is None) == (self.maximize is None):
            raise ValueError("give one of minimize or maximize")
        return self


class _Optimiser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    method: Literal["rbf"] = "rbf"
    iterations: int = Field(default=4, ge=1, le=1000)
    batch: int = Field(default=4, ge=1, le=256)


class _StudyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\- ]+$")
    base: str | dict[str, Any]
    parameters: dict[str, _Param] = Field(min_length=1, max_length=64)
    sampling: _Sampling = _Sampling()
    analyses: dict[str, dict[str, Any] | None] | list[str] = Field(min_length=1)
    outputs: list[str] = Field(min_length=1, max_length=200)
    constraints: list[str] = Field(default_factory=list, max_length=200)
    objectives: list[_Objective] = Field(default_factory=list, max_length=3)
    optimiser: _Optimiser | None = None


# ---------------------------------------------------------------- frozen study


@dataclass(frozen=True)
class Parameter:
    """One varied input: discrete ``values``, a ``range`` (SI) or a distribution (SI)."""

    name: str
    kind: Kind
    values: tuple[Any, ...] = ()
    low: float = 0.0
    high: float = 1.0
    steps: int = 3
    log: bool = False
    distribution: str = ""
    mean: float = 0.0
    std: float = 0.0
    mode: float = 0.0
    dimension: Dimension = Dimension.DIMENSIONLESS

    def as_text(self, si: float) -> str | float:
        """An SI value as the design file takes it: with its SI unit (plain number if dimensionless)."""
        if self.dimension is Dimension.DIMENSIONLESS:
            return si
        return f"{si!r} {self.dimension.si_unit}"


@dataclass(frozen=True)
class Constraint:
    key: str
    op: str
    limit: float

    def holds(self, value: float | None) -> bool:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return False
        return {"<=": value <= self.limit, "<": value < self.limit, ">=": value >= self.limit, ">": value > self.limit}[
            self.op
        ]

    def text(self) -> str:
        return f"{self.key} {self.op} {self.limit:g}"


@dataclass(frozen=True)
class Objective:
    key: str
    sense: int  # +1 minimise, -1 maximise

    def text(self) -> str:
        return f"{'minimise' if self.sense > 0 else 'maximise'} {self.key}"


@dataclass(frozen=True)
class Study:
    """A validated study."""

    name: str
    base: dict[str, Any]
    parameters: tuple[Parameter, ...]
    sampling: Sampling
    points: int | None
    seed: int
    analyses: dict[str, dict[str, Any]]
    outputs: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    objectives: tuple[Objective, ...]
    optimiser: tuple[int, int] | None  # (iterations, batch)
    source: str

    @property
    def fingerprint(self) -> str:
        """A hash of everything that decides which points exist and what they compute."""
        doc = json.dumps(
            {
                "base": self.base,
                "parameters": [repr(p) for p in self.parameters],
                "sampling": [self.sampling.value, self.points, self.seed],
                "analyses": self.analyses,
                "outputs": self.outputs,
                "optimiser": self.optimiser,
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(doc.encode()).hexdigest()[:16]


def parse_any_quantity(value: Any, field: str) -> tuple[float, Dimension]:
    """A quantity of any dimension: (SI value, dimension); plain numbers are dimensionless."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) > 1e30:
            raise DesignError(field, value, "a finite number (magnitude below 1e30)")
        return float(value), Dimension.DIMENSIONLESS
    for dim in Dimension:
        try:
            return parse_quantity(value, dim, field), dim
        except DesignError:
            continue
    raise DesignError(field, value, "a number, or a number with a unit (e.g. '0.3 mm', '2 W/m/K', '125 C')")


def _parameter(name: str, p: _Param, where: str) -> Parameter:
    if p.values is not None:
        for i, v in enumerate(p.values):
            if isinstance(v, float) and not math.isfinite(v):
                raise DesignError(f"{where}.values.{i}", v, "a finite number, a quantity with a unit, or a name")
        return Parameter(name, Kind.VALUES, values=tuple(p.values))
    if p.range is not None:
        (lo, dlo), (hi, dhi) = (parse_any_quantity(v, f"{where}.range") for v in p.range)
        if dlo is not dhi:
            raise DesignError(f"{where}.range", list(p.range), "both ends need the same kind of unit")
        if not hi > lo:
            raise DesignError(f"{where}.range", list(p.range), "the upper end must be above the lower")
        if p.scale == "log" and lo <= 0:
            raise DesignError(f"{where}.scale", "log", "a log range needs a positive lower end")
        return Parameter(name, Kind.RANGE, low=lo, high=hi, steps=p.steps, log=p.scale == "log", dimension=dlo)
    dist = p.distribution or ""
    need = {
        "uniform": ("low", "high"),
        "normal": ("mean", "std"),
        "lognormal": ("mean", "std"),
        "triangular": ("low", "mode", "high"),
    }[dist]
    vals: dict[str, float] = {}
    dims = set()
    for k in need:
        raw = getattr(p, k)
        if raw is None:
            raise DesignError(f"{where}.{k}", None, f"a {dist} distribution needs {', '.join(need)}")
        vals[k], d = parse_any_quantity(raw, f"{where}.{k}")
        dims.add(d)
    if len(dims) > 1 and dist != "lognormal":
        raise DesignError(where, dist, "all of the distribution's values need the same kind of unit")
    if dist in ("normal", "lognormal") and not vals["std"] > 0:
        raise DesignError(f"{where}.std", p.std, "must be positive")
    if dist in ("uniform", "triangular") and not vals["high"] > vals["low"]:
        raise DesignError(f"{where}.high", p.high, "must be above low")
    if dist == "triangular" and not vals["low"] <= vals["mode"] <= vals["high"]:
        raise DesignError(f"{where}.mode", p.mode, "must lie between low and high")
    if dist == "lognormal" and not vals["mean"] > 0:
        raise DesignError(f"{where}.mean", p.mean, "a lognormal needs a positive mean")
    return Parameter(
        name,
        Kind.DISTRIBUTION,
        distribution=dist,
        mean=vals.get("mean", 0.0),
        std=vals.get("std", 0.0),
        low=vals.get("low", 0.0),
        high=vals.get("high", 1.0),
        mode=vals.get("mode", 0.0),
        dimension=next(iter(dims)),
    )


_CONSTRAINT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*(.+?)\s*$")


def _all_keys(analyses: dict[str, dict[str, Any]]) -> set[str]:
    return {k for a in analyses for k in ANALYSES[a].keys}


def study_from_mapping(data: Any, where: Path | None = None) -> Study:
    """Validate a parsed study file (``where`` resolves a relative ``base`` path)."""
    if not isinstance(data, dict):
        raise DesignError("(top level)", data, "expected a mapping with name:, base:, parameters:, analyses:, outputs:")
    try:
        raw = _StudyFile.model_validate(data)
    except pydantic.ValidationError as exc:
        raise pydantic_to_design_error(exc, "", _StudyFile) from None
    if isinstance(raw.base, str):
        path = Path(raw.base)
        if where is not None and not path.is_absolute():
            path = where.parent / path
        try:
            exists = len(raw.base) <= 4096 and raw.base.isprintable() and path.is_file()
        except OSError:  # a name the file system refuses (too long, a loop of links)
            exists = False
        if not exists:
            raise DesignError("base", raw.base, "a design file that exists (relative to the study file) or a mapping")
        base = read_yaml(path)
        if not isinstance(base, dict):
            raise DesignError("base", raw.base, "the design file must hold a mapping")
    else:
        base = dict(raw.base)
    names = list(raw.analyses)
    given = {} if isinstance(raw.analyses, list) else raw.analyses
    analyses = {n: settings_for(n, given.get(n), f"analyses.{n}") for n in names}
    keys = _all_keys(analyses)
    for o in raw.outputs:
        if o not in keys:
            raise DesignError("outputs", o, "an output of the chosen analyses: " + ", ".join(sorted(keys)))
    params = tuple(_parameter(n, p, f"parameters.{n}") for n, p in raw.parameters.items())
    constraints = []
    for i, c in enumerate(raw.constraints):
        m = _CONSTRAINT.match(c)
        if not m or m.group(1) not in raw.outputs:
            raise DesignError(f"constraints[{i}]", c, "'OUTPUT <= VALUE' (or <, >=, >) on one of the outputs")
        limit, _ = parse_any_quantity(_number_or_text(m.group(3)), f"constraints[{i}]")
        constraints.append(Constraint(m.group(1), m.group(2), limit))
    objectives = []
    for i, ob in enumerate(raw.objectives):
        key = ob.minimize or ob.maximize or ""
        if key not in raw.outputs:
            raise DesignError(f"objectives[{i}]", key, "one of the outputs: " + ", ".join(raw.outputs))
        objectives.append(Objective(key, 1 if ob.minimize else -1))
    method = raw.sampling.method
    if method is Sampling.FACTORIAL:
        if any(p.kind is Kind.DISTRIBUTION for p in params):
            raise DesignError("sampling.method", "factorial", "distributions need lhs, sobol or saltelli sampling")
    elif raw.sampling.points is None:
        raise DesignError("sampling.points", None, f"{method.value} sampling needs a number of points")
    if raw.optimiser is not None and not objectives:
        raise DesignError("optimiser", raw.optimiser.method, "the optimiser needs at least one objective")
    check_plan_size(params, method, raw.sampling.points)
    return Study(
        name=raw.name,
        base=base,
        parameters=params,
        sampling=method,
        points=raw.sampling.points,
        seed=raw.sampling.seed,
        analyses=analyses,
        outputs=tuple(raw.outputs),
        constraints=tuple(constraints),
        objectives=tuple(objectives),
        optimiser=(raw.optimiser.iterations, raw.optimiser.batch) if raw.optimiser else None,
        source=str(where) if where else "",
    )


MAX_PLAN_POINTS = 100_000
"""Most design points one study plan may hold (before any is allocated or run)."""
MAX_PLAN_VALUES = 2_000_000
"""Most numbers one study plan may hold: points x parameters."""


def plan_points(params: tuple[Parameter, ...], method: Sampling, points: int | None) -> int:
    """How many points the plan will have, from the counts alone."""
    if method is Sampling.FACTORIAL:
        n = 1
        for p in params:
            n *= len(p.values) if p.kind is Kind.VALUES else p.steps
            if n > MAX_PLAN_POINTS:
                break  # big enough to refuse; no need to multiply on
        return n
    n = points or 0
    return n * (len(params) + 2) if method is Sampling.SALTELLI else n


def check_plan_size(params: tuple[Parameter, ...], method: Sampling, points: int | None) -> None:
    """Refuse a plan of more than `MAX_PLAN_POINTS` points or `MAX_PLAN_VALUES` numbers."""
    n = plan_points(params, method, points)
    if n > MAX_PLAN_POINTS or n * len(params) > MAX_PLAN_VALUES:
        raise DesignError(
            "sampling",
            f"{n} points x {len(params)} parameters",
            f"a plan of at most {MAX_PLAN_POINTS} points and {MAX_PLAN_VALUES} values; "
            "fewer steps, values or points",
        )


def check_base(study: Study) -> None:
    """Build the base design once, as each point builds its own: a broken base is refused
    before the study runs, not at every point (the varied parameters replace values in a
    valid design)."""
    import dataclasses

    from semipack.design import build_design
    from semipack.families import get_family

    try:
        pkg = build_design(study.base, "base")
    except DesignError as exc:
        raise DesignError(f"base.{exc.field}", exc.value, exc.allowed) from None
    known = [f.name for f in dataclasses.fields(get_family(pkg.family).params)]
    for p in study.parameters:
        if "." not in p.name and p.name not in known:
            raise DesignError(f"parameters.{p.name}", p.name, f"a parameter of family {pkg.family}: {', '.join(known)}")


def _number_or_text(s: str) -> Any:
    try:
        return float(s)
    except ValueError:
        return s


def load_study(path: str | Path) -> Study:
    """Read and validate a study file."""
    p = Path(path)
    return study_from_mapping(read_yaml(p), p)
