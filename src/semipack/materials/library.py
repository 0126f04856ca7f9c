"""The materials library: frozen `Material` records, each property with its source.

Properties are SI floats. A laminate or composite carries an in-plane and a
through-thickness conductivity; an isotropic material has both equal. Polymers with a
glass transition carry their CTE and modulus above Tg.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from semipack.errors import DesignError
from semipack.units import Dimension, parse_quantity


class Category(Enum):
    """Broad material class; drawings hatch by it and checks use it (conductor or not)."""

    SEMICONDUCTOR = "semiconductor"
    METAL = "metal"
    SOLDER = "solder"
    POLYMER = "polymer"
    ADHESIVE = "adhesive"
    LAMINATE = "laminate"
    GLASS = "glass"
    GAS = "gas"


# property name -> (dimension, required)
_PROPERTIES: dict[str, tuple[Dimension, bool]] = {
    "density": (Dimension.DENSITY, True),
    "cp": (Dimension.SPECIFIC_HEAT, True),
    "cte": (Dimension.EXPANSION, True),
    "youngs": (Dimension.PRESSURE, True),
    "poisson": (Dimension.DIMENSIONLESS, True),
    "cte_above_tg": (Dimension.EXPANSION, False),
    "youngs_above_tg": (Dimension.PRESSURE, False),
    "tg": (Dimension.TEMPERATURE, False),
    "resistivity": (Dimension.RESISTIVITY, False),
    "permittivity": (Dimension.DIMENSIONLESS, False),
    "max_temperature": (Dimension.TEMPERATURE, False),
    "liquidus": (Dimension.TEMPERATURE, False),
    "elongation": (Dimension.DIMENSIONLESS, False),
    "tcr": (Dimension.EXPANSION, False),
    "emissivity": (Dimension.DIMENSIONLESS, False),
    "stress_free": (Dimension.TEMPERATURE, False),
    "cure_shrinkage": (Dimension.DIMENSIONLESS, False),
}

# Physical range of each property, SI (lo, hi), both inclusive: a value outside is a typo
# (a zero modulus, a 1e300 W/m/K conductivity) that would break or fool the solvers.
# The conductivity range also bounds the ratio the thermal solvers must factor: up to
# 5000 W/m/K (CVD diamond), down to 1e-9 W/m/K (far below any solid: an anisotropic
# layer that conducts through its thickness only is modelled so), a ratio of 5e12 that
# the solvers were run at (a 1e-9 W/m/K mould around a 5000 W/m/K die); 1e300 is refused.
RANGES: dict[str, tuple[float, float]] = {
    "k": (1e-9, 5000.0),
    "k_inplane": (1e-9, 5000.0),
    "k_through": (1e-9, 5000.0),
    "density": (1.0, 25_000.0),
    "cp": (10.0, 20_000.0),
    "cte": (-1e-4, 1e-3),
    "cte_above_tg": (-1e-4, 1e-3),
    "youngs": (1e3, 1.2e12),
    "youngs_above_tg": (1e3, 1.2e12),
    "resistivity": (1e-9, 1e20),
    "permittivity": (1.0, 1e5),
    "elongation": (0.0, 10.0),
    "tcr": (-0.1, 0.1),
    "emissivity": (0.0, 1.0),
}


@dataclass(frozen=True)
class Material:
    """One material, SI units throughout.

    Attributes
    ----------
    k_inplane_w_mk, k_through_w_mk
        Thermal conductivity in the plane of the layer (x, y) and through it (z).
    density_kg_m3, cp_j_kgk
        Density and specific heat.
    cte_per_k, cte_above_tg_per_k, tg_k
        Linear CTE below and above the glass transition temperature.
    youngs_pa, youngs_above_tg_pa, poisson
        Elastic constants (isotropic).
    resistivity_ohm_m, permittivity
        Electrical resistivity of conductors; relative permittivity of insulators.
    max_temperature_k, liquidus_k
        Process limit (cure, decomposition, melting) and solder liquidus.
    elongation
        Allowable tensile elongation (fraction), for bend checks.
    tcr_per_k
        Temperature coefficient of resistance at 20 C (1/K), for R(T) = R20 (1 + tcr (T - 20 C)).
    emissivity
        Total hemispherical emissivity of an exposed surface near 300 K (radiation).
    stress_free_k
        Temperature at which the material bonds to its neighbours free of stress (a mould's
        or adhesive's cure); None: the analysis' common stress-free temperature.
    cure_shrinkage
        Linear chemical (cure) shrinkage frozen in once the material has bonded (fraction,
        e.g. 0.001); None: none.
    swelling_strain
        Linear hygroscopic swelling the material carries (fraction, beta * C after a
        moisture soak); not a design-file property: `semipack.moisture.with_swelling`
        sets it from a diffusion analysis. None: dry.
    sources
        Property name -> citation text.
    """

    key: str
    name: str
    category: Category
    k_inplane_w_mk: float
    k_through_w_mk: float
    density_kg_m3: float
    cp_j_kgk: float
    cte_per_k: float
    youngs_pa: float
    poisson: float
    sources: Mapping[str, str] = field(repr=False)
    cte_above_tg_per_k: float | None = None
    youngs_above_tg_pa: float | None = None
    tg_k: float | None = None
    resistivity_ohm_m: float | None = None
    permittivity: float | None = None
    max_temperature_k: float | None = None
    liquidus_k: float | None = None
    elongation: float | None = None
    tcr_per_k: float | None = None
    emissivity: float | None = None
    stress_free_k: float | None = None
    cure_shrinkage: float | None = None
    swelling_strain: float | None = None

    @property
    def is_conductor(self) -> bool:
        """True for metals and solders (and anything with resistivity below 1e-4 ohm m)."""
        return self.resistivity_ohm_m is not None and self.resistivity_ohm_m < 1e-4

    @property
    def isotropic(self) -> bool:
        return self.k_inplane_w_mk == self.k_through_w_mk

    def cte_at(self, temperature_k: float) -> float:
        """CTE at a temperature: the above-Tg value past Tg where one is given."""
        if self.tg_k is not None and self.cte_above_tg_per_k is not None and temperature_k > self.tg_k:
            return self.cte_above_tg_per_k
        return self.cte_per_k

    def youngs_at(self, temperature_k: float) -> float:
        """Young's modulus at a temperature: the above-Tg value past Tg where one is given."""
        if self.tg_k is not None and self.youngs_above_tg_pa is not None and temperature_k > self.tg_k:
            return self.youngs_above_tg_pa
        return self.youngs_pa


def material_from_mapping(
    key: str, raw: Mapping[str, Any], sources: Mapping[str, str], where: str, base: Material | None = None
) -> Material:
    """Build a `Material` from YAML data: ``prop: [value with unit, source key or text]``.

    With ``base``, only the given properties replace the base material's (an override).
    Every property given must name a source: either a key of ``sources`` or free text.
    """
    if not isinstance(raw, Mapping):
        raise DesignError(where, raw, "expected a mapping of material properties")
    known = {"name", "category", "k", "k_inplane", "k_through", "base", *_PROPERTIES}
    for prop in raw:
        if prop not in known:
            close = difflib.get_close_matches(str(prop), sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise DesignError(
                f"{where}.{prop}", raw[prop], f"unknown material property{hint}; allowed: {', '.join(sorted(known))}"
            )

    values: dict[str, float] = {}
    cited: dict[str, str] = dict(base.sources) if base else {}

    def read(prop: str, dim: Dimension) -> None:
        entry = raw[prop]
        path = f"{where}.{prop}"
        if (
            not isinstance(entry, list | tuple)
            or len(entry) != 2
            or not isinstance(entry[1], str)
            or not entry[1].strip()
        ):
            raise DesignError(
                path, entry, "expected [value with unit, source], e.g. [3.5 W/m/K, 'vendor data sheet X']"
            )
        value = parse_quantity(entry[0], dim, path)
        if value < 0 and prop not in ("cte", "cte_above_tg", "tcr"):
            raise DesignError(path, entry[0], "must not be negative")
        if prop in RANGES and not where.startswith("library."):  # the bundled library may model air (E = 0)
            lo, hi = RANGES[prop]
            if not lo <= value <= hi:
                raise DesignError(path, entry[0], f"a value between {lo:g} and {hi:g} {dim.si_unit}")
        values[prop] = value
        cited[prop] = sources.get(entry[1], entry[1])

    for prop, (dim, _) in _PROPERTIES.items():
        if prop in raw:
            read(prop, dim)
    for prop in ("k", "k_inplane", "k_through"):
        if prop in raw:
            read(prop, Dimension.CONDUCTIVITY)
    if "k" in values:
        values["k_inplane"] = values["k_through"] = values.pop("k")
        cited["k_inplane"] = cited["k_through"] = cited.pop("k")

    name = raw.get("name", base.name if base else key)
    if not isinstance(name, str) or not name.isprintable() or len(name) > 200:
        raise DesignError(f"{where}.name", name, "a name is printable single-line text of at most 200 characters")
    cat_raw = raw.get("category", base.category.value if base else None)
    try:
        category = Category(cat_raw)
    except ValueError:
        raise DesignError(f"{where}.category", cat_raw, f"allowed: {', '.join(c.value for c in Category)}") from None

    if "emissivity" in values and not 0.0 <= values["emissivity"] <= 1.0:
        raise DesignError(f"{where}.emissivity", values["emissivity"], "must be in [0, 1]")
    if "cure_shrinkage" in values and not values["cure_shrinkage"] <= 0.05:
        raise DesignError(f"{where}.cure_shrinkage", values["cure_shrinkage"], "must be in [0, 0.05] (a fraction)")
    if "poisson" in values and not 0.0 <= values["poisson"] < 0.5:
        raise DesignError(f"{where}.poisson", values["poisson"], "must be in [0, 0.5)")
    if base is not None:
        mapping = {
            "k_inplane": "k_inplane_w_mk",
            "k_through": "k_through_w_mk",
            "density": "density_kg_m3",
            "cp": "cp_j_kgk",
            "cte": "cte_per_k",
            "youngs": "youngs_pa",
            "poisson": "poisson",
            "cte_above_tg": "cte_above_tg_per_k",
            "youngs_above_tg": "youngs_above_tg_pa",
            "tg": "tg_k",
            "resistivity": "resistivity_ohm_m",
            "permittivity": "permittivity",
            "max_temperature": "max_temperature_k",
            "liquidus": "liquidus_k",
            "elongation": "elongation",
            "tcr": "tcr_per_k",
            "emissivity": "emissivity",
            "stress_free": "stress_free_k",
            "cure_shrinkage": "cure_shrinkage",
        }
        changes: dict[str, Any] = {mapping[p]: v for p, v in values.items()}
        return replace(base, key=key, name=str(name), category=category, sources=MappingProxyType(cited), **changes)

    missing = [p for p, (_, req) in _PROPERTIES.items() if req and p not in values]
    if "k_inplane" not in values or "k_through" not in values:
        missing.append("k (or k_inplane and k_through)")
    if missing:
        raise DesignError(where, key, f"missing properties: {', '.join(missing)}")
    if not 0.0 <= values["poisson"] < 0.5:
        raise DesignError(f"{where}.poisson", values["poisson"], "must be in [0, 0.5)")
    return Material(
        key=key,
        name=str(name),
        category=category,
        k_inplane_w_mk=values["k_inplane"],
        k_through_w_mk=values["k_through"],
        density_kg_m3=values["density"],
        cp_j_kgk=values["cp"],
        cte_per_k=values["cte"],
        youngs_pa=values["youngs"],
        poisson=values["poisson"],
        sources=MappingProxyType(cited),
        cte_above_tg_per_k=values.get("cte_above_tg"),
        youngs_above_tg_pa=values.get("youngs_above_tg"),
        tg_k=values.get("tg"),
        resistivity_ohm_m=values.get("resistivity"),
        permittivity=values.get("permittivity"),
        max_temperature_k=values.get("max_temperature"),
        liquidus_k=values.get("liquidus"),
        elongation=values.get("elongation"),
        tcr_per_k=values.get("tcr"),
        emissivity=values.get("emissivity"),
        stress_free_k=values.get("stress_free"),
        cure_shrinkage=values.get("cure_shrinkage"),
    )


@dataclass(frozen=True)
class MaterialLibrary(Mapping[str, Material]):
    """An immutable name -> `Material` mapping with helpful lookup errors."""

    materials: Mapping[str, Material]
    sources: Mapping[str, str]

    def __getitem__(self, key: str) -> Material:
        return self.materials[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.materials)

    def __len__(self) -> int:
        return len(self.materials)

    def get_material(self, key: str, field_path: str) -> Material:
        """Look up ``key``; an unknown name is a `DesignError` naming close matches."""
        if key in self.materials:
            return self.materials[key]
        close = difflib.get_close_matches(str(key), list(self.materials), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DesignError(field_path, key, f"unknown material{hint} (see `semipack materials`)")

    def extended(self, extra: Mapping[str, Any], where: str = "materials") -> MaterialLibrary:
        """Return a new library with materials added or overridden from design-file data.

        An entry with ``base: NAME`` starts from that material and replaces what it gives;
        an entry whose name exists already overrides it the same way; otherwise the entry
        must give every required property.
        """
        if not isinstance(extra, Mapping):
            raise DesignError(where, extra, "expected a mapping of material name -> properties")
        table = dict(self.materials)
        for key, raw in extra.items():
            path = f"{where}.{key}"
            if not isinstance(key, str) or not key.isidentifier():
                raise DesignError(path, key, "material names are identifiers (letters, digits, _)")
            base_name = raw.get("base") if isinstance(raw, Mapping) else None
            base = None
            if base_name is not None:
                base = self.get_material(str(base_name), f"{path}.base")
            elif key in table:
                base = table[key]
            table[key] = material_from_mapping(key, raw, self.sources, path, base)
        return MaterialLibrary(MappingProxyType(table), self.sources)


@cache
def default_library() -> MaterialLibrary:
    """The library shipped with semipack (``materials/data/materials.yaml``)."""
    text = resources.files("semipack.materials").joinpath("data/materials.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    sources: dict[str, str] = dict(data["sources"])
    table = {key: material_from_mapping(key, raw, sources, f"library.{key}") for key, raw in data["materials"].items()}
    return MaterialLibrary(MappingProxyType(table), MappingProxyType(sources))
