"""Moisture properties of the package polymers: diffusivity, saturation, swelling; each with its source.

Per polymer (keyed like the materials library):

- diffusivity ``D(T) = D_ref exp(-Ea / R (1/T - 1/T_ref))`` with ``T_ref`` = 85 C, i.e.
  ``D0 = D_ref exp(Ea / (R T_ref))`` in ``D = D0 exp(-Ea / (R T))``;
- saturated moisture content at 85 C / 85 %RH as a mass fraction, converted to a
  concentration with the library density; its humidity dependence is Henry's law,
  ``C_sat(RH) = C_sat(85/85) RH / 0.85``, and at a fixed RH it is taken independent of
  temperature (the Henry-law heat of solution cancels the heat of vaporisation, as
  J-STD-020 assumes when it soaks level 2 at 85 C / 60 %RH for the 30 C / 60 %RH floor
  and offers 60 C / 60 %RH accelerated equivalents);
- coefficient of hygroscopic swelling (CHS), strain per unit mass fraction of moisture,
  so the swelling strain is ``CHS * C / rho = beta * C`` with ``beta = CHS / rho`` (m^3/kg).

Values are representative of each product class (like the materials library's), not a
particular product: a design should use measured data. Metals, solders, silicon,
glasses and ceramics are impermeable. Smeared copper layers and via fields take their
dielectric's values scaled by the dielectric's volume fraction (copper holds no water
and blocks that share of the section: parallel estimate).

References
----------
Crank, The Mathematics of Diffusion, 2nd ed., Oxford 1975, ch. 1 (Fick's laws).
Galloway and Miles, "Moisture absorption and desorption predictions for plastic ball
grid array packages", IEEE Trans. CPMT-A 20(3), 274 (1997).
Wong, Teo, Lim, "Moisture diffusion and vapour pressure modeling of IC packaging",
Proc. 48th ECTC, 1372 (1998) (wetness w = C / C_sat, continuous across interfaces).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from semipack.errors import DesignError
from semipack.materials.library import Category, Material
from semipack.moisture.steam import R_J_MOLK

T_REF_K = 358.15  # 85 C, where the tabulated diffusivities and saturations are given
RH_REF = 0.85

SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "tud_emc": (
            "Epoxy moulding compound measured by dynamic vapour sorption, Fickian up to 85 C and 85 %RH: "
            "D = 3.8e-7 mm^2/s at 20 C and 3.6e-6 mm^2/s at 85 C ('Effect of temperature and humidity on "
            "moisture diffusion in an epoxy moulding compound material', TU Delft repository "
            "uuid:40be966e-1896-4374-b840-45763d92fbec); Ea = R ln(D85/D20)/(1/293.15 K - 1/358.15 K) = 30.2 kJ/mol"
        ),
        "emc_uptake": (
            "Representative saturated uptake of silica-filled EMCs at 85 C/85 %RH, 0.2-0.4 wt% (higher filler "
            "loadings lower); Galloway and Miles, IEEE Trans. CPMT-A 20(3), 274 (1997) report EMC, BT, die attach "
            "and solder mask sorption over 23-210 C. Representative value: use the data sheet"
        ),
        "chs_emc": (
            "Coefficient of hygroscopic swelling of EMCs: measured by moire interferometry for five commercial "
            "compounds by Stellrecht, Han, Pecht, IEEE Trans. Compon. Packag. Technol. 27(3), 499 (2004), "
            "swelling comparable to a thermal excursion of about 90 C (Han, Stellrecht, Pecht, Advanced "
            "Packaging, June 2003). 0.30 taken: a representative value (their numbers were not at hand), of the "
            "order of the 0.067-0.25 measured on packaging films by Jang, Han, Yoon (2010)"
        ),
        "chs_films": (
            "CHS of thin polymer films (polyimide, solder resist, ACF, woven glass/resin) 0.067-0.25 %strain/%wt: "
            "Jang, Han, Yoon, IEEE Trans. Compon. Packag. Technol. 33(2), 340 (2010)"
        ),
        "chs_underfill": (
            "Underfill and die-attach swelling: Wong, Rajoo, Koh, Lim, J. Electron. Packag. 124(2), 122 (2002) "
            "characterised it and found hygroscopic stress 1.3-1.5 times the thermal stress in PBGAs. 0.30 taken: "
            "a representative value for resin-rich adhesives, not a measurement"
        ),
        "da_typical": (
            "Representative silver-filled epoxy die attach: D of order 1e-11 m^2/s at 85 C, Ea about 40 kJ/mol, "
            "0.2 wt% at 85/85 (resin-rich, so more per resin than EMC; Ag filler holds none); class of Galloway "
            "and Miles (1997). Representative value: use the adhesive's data"
        ),
        "bt_typical": (
            "Representative BT-epoxy/glass laminate: 0.6 wt% at 85/85, D about 1.5e-12 m^2/s at 85 C, Ea about "
            "45 kJ/mol (organic substrates absorb more than mould compounds at 30 C/60 %RH: 'Moisture absorption "
            "of molding compound and organic substrate', ISAPM 2011, doi 10.1109/ISAPM.2011.6105737). "
            "Representative value"
        ),
        "fr4_typical": (
            "Representative FR-4 class laminate: 0.35 wt% at 85/85, D about 2e-12 m^2/s at 85 C, Ea about "
            "40 kJ/mol. Representative value: use IPC-4101 slash-sheet / supplier data"
        ),
        "mask_typical": (
            "Representative liquid photo-imageable solder mask: 1.5 wt% at 85/85, D about 1e-11 m^2/s at 85 C, "
            "Ea about 40 kJ/mol (an assumed value, not from a measurement here; mask uptake is studied in "
            "'Investigation of moisture uptake into printed circuit board laminate and solder mask materials'). "
            "Representative value: use the mask's data"
        ),
        "abf_typical": (
            "Representative epoxy build-up film: 0.8 wt% at 85/85, D about 5e-12 m^2/s at 85 C, Ea about "
            "40 kJ/mol. Representative value"
        ),
        "kapton": (
            "DuPont Kapton HN data sheet: moisture absorption 1.8 % at 50 %RH, 23 C (Henry's law gives 3.1 % at "
            "85 %RH); D about 5e-12 m^2/s at 85 C, Ea about 30 kJ/mol (representative for polyimide films)"
        ),
        "pi_typical": (
            "Representative spin-on polyimide / PBO buffer: 1.0 wt% at 85/85, D about 5e-12 m^2/s at 85 C, "
            "Ea about 30 kJ/mol. Representative value"
        ),
        "bcb": (
            "Dow Cyclotene 3000 (BCB) product literature: water uptake 0.14 % at 85 %RH; D about 5e-12 m^2/s "
            "(representative)"
        ),
        "epoxy_neat": (
            "Representative neat (unfilled) epoxy: 2.5 wt% at 85/85, D about 1e-11 m^2/s at 85 C, Ea about "
            "40 kJ/mol (unfilled resins take up several times what filled EMCs do). Representative value"
        ),
        "underfill_typical": (
            "Representative silica-filled capillary underfill: 0.6 wt% at 85/85, D about 5e-12 m^2/s at 85 C, "
            "Ea about 40 kJ/mol. Representative value"
        ),
        "ptfe": "PTFE water absorption < 0.01 % (DuPont Teflon PTFE properties handbook); D representative",
        "silicone": (
            "Representative silicone adhesive/gel: 0.1 wt% at 85/85 but a high diffusivity, about 1e-9 m^2/s "
            "(silicones are permeable, not absorbent). Representative value"
        ),
        "composite": "host dielectric's values scaled by its volume fraction (copper holds no water; parallel estimate)",
    }
)


@dataclass(frozen=True)
class MoistureProperties:
    """Moisture data of one polymer (see module notes).

    Attributes
    ----------
    d_ref_m2_s
        Diffusivity at 85 C (m^2/s).
    ea_j_mol
        Activation energy of the diffusivity (J/mol).
    csat_mass_fraction
        Saturated moisture content at 85 C / 85 %RH (kg water per kg material).
    chs
        Coefficient of hygroscopic swelling (strain per unit mass fraction of moisture).
    sources
        Field name -> citation text.
    """

    d_ref_m2_s: float
    ea_j_mol: float
    csat_mass_fraction: float
    chs: float
    sources: Mapping[str, str]

    @property
    def d0_m2_s(self) -> float:
        """Pre-exponential factor of ``D = D0 exp(-Ea / (R T))``."""
        return self.d_ref_m2_s * math.exp(self.ea_j_mol / (R_J_MOLK * T_REF_K))

    def diffusivity(self, temperature_k: float) -> float:
        """``D(T)`` (m^2/s), Arrhenius (used above Tg too: an extrapolation during reflow)."""
        return self.d_ref_m2_s * math.exp(-self.ea_j_mol / R_J_MOLK * (1.0 / temperature_k - 1.0 / T_REF_K))


def _p(d: float, ea_kj: float, wt: float, chs: float, src: str, chs_src: str) -> MoistureProperties:
    return MoistureProperties(
        d,
        ea_kj * 1e3,
        wt,
        chs,
        MappingProxyType({"d": SOURCES[src], "ea": SOURCES[src], "csat": SOURCES[src], "chs": SOURCES[chs_src]}),
    )


_EMC = MoistureProperties(
    3.6e-12,
    30.2e3,
    0.0030,
    0.30,
    MappingProxyType(
        {"d": SOURCES["tud_emc"], "ea": SOURCES["tud_emc"], "csat": SOURCES["emc_uptake"], "chs": SOURCES["chs_emc"]}
    ),
)

# Library material key -> moisture data.
TABLE: Mapping[str, MoistureProperties] = MappingProxyType(
    {
        "mold_compound": _EMC,
        "mold_compound_high_k": _EMC,
        "glob_top": _EMC,
        "silver_epoxy": _p(1.0e-11, 40.0, 0.0020, 0.30, "da_typical", "chs_underfill"),
        "bt_laminate": _p(1.5e-12, 45.0, 0.0060, 0.10, "bt_typical", "chs_films"),
        "bt_core": _p(1.5e-12, 45.0, 0.0060, 0.10, "bt_typical", "chs_films"),
        "fr4": _p(2.0e-12, 40.0, 0.0035, 0.10, "fr4_typical", "chs_films"),
        "fr5": _p(2.0e-12, 40.0, 0.0035, 0.10, "fr4_typical", "chs_films"),
        "solder_mask": _p(1.0e-11, 40.0, 0.0150, 0.20, "mask_typical", "chs_films"),
        "abf": _p(5.0e-12, 40.0, 0.0080, 0.15, "abf_typical", "chs_films"),
        "polyimide_film": _p(5.0e-12, 30.0, 0.0310, 0.10, "kapton", "chs_films"),
        "polyimide_thinfilm": _p(5.0e-12, 30.0, 0.0100, 0.10, "pi_typical", "chs_films"),
        "stress_buffer": _p(5.0e-12, 30.0, 0.0100, 0.10, "pi_typical", "chs_films"),
        "bcb": _p(5.0e-12, 30.0, 0.0014, 0.10, "bcb", "chs_films"),
        "epoxy": _p(1.0e-11, 40.0, 0.0250, 0.30, "epoxy_neat", "chs_underfill"),
        "underfill": _p(5.0e-12, 40.0, 0.0060, 0.30, "underfill_typical", "chs_underfill"),
        "ptfe": _p(1.0e-12, 30.0, 0.0001, 0.10, "ptfe", "chs_films"),
        "thermal_glue": _p(1.0e-9, 20.0, 0.0010, 0.10, "silicone", "chs_films"),
    }
)

# Categories that hold no water.
IMPERMEABLE = frozenset({Category.METAL, Category.SOLDER, Category.SEMICONDUCTOR, Category.GLASS})
# Polymers inside the die (its back-end dielectrics), sealed by the die's passivation and
# seal ring: no moisture path from the package.
SEALED = frozenset({"porous_lowk"})

_COMPOSITE = re.compile(r"(\d+(?:\.\d+)?)% plated Cu (?:barrels )?in (\w+)")


@dataclass(frozen=True)
class Permeability:
    """Moisture data of one package material as the solver uses it (SI).

    ``capacity_kg_m3`` is the saturated concentration at 100 %RH (Henry's law from
    85 %RH), so a cell holds ``capacity * a`` at moisture activity ``a`` (the local
    equivalent relative humidity, continuous across interfaces); ``beta_m3_kg`` turns a
    concentration into swelling strain. ``props`` is None for impermeable materials.
    """

    key: str
    props: MoistureProperties | None
    capacity_kg_m3: float
    beta_m3_kg: float
    volume_fraction: float = 1.0

    @property
    def permeable(self) -> bool:
        return self.props is not None and self.capacity_kg_m3 > 0

    def diffusivity(self, temperature_k: float) -> float:
        return 0.0 if self.props is None else self.props.diffusivity(temperature_k)

    def permeance(self, temperature_k: float) -> float:
        """``D * capacity`` (kg/(m s)): the flux is ``-permeance * grad(a)``."""
        return self.diffusivity(temperature_k) * self.capacity_kg_m3

    def csat_kg_m3(self, rh: float) -> float:
        """Saturated concentration at relative humidity ``rh`` (0-1), Henry's law."""
        return self.capacity_kg_m3 * rh


def permeability(
    key: str, mat: Material, library: Mapping[str, Material], table: Mapping[str, MoistureProperties] = TABLE
) -> Permeability:
    """Moisture data of the package material ``key`` (see module notes).

    A polymer missing from ``table`` is a `DesignError` naming the material, so that no
    analysis silently treats an unknown resin as dry.
    """
    if mat.category in IMPERMEABLE or mat.category is Category.GAS or key in SEALED:
        return Permeability(key, None, 0.0, 0.0)
    props = table.get(key)
    if props is None:
        # A smeared copper layer or via field: its host's data (itself perhaps a
        # composite) scaled by the host's volume fraction.
        m = _COMPOSITE.search(next(iter(mat.sources.values()), ""))
        host = library.get(m.group(2)) if m is not None else None
        if m is not None and host is not None and m.group(2) != key:
            inner = permeability(m.group(2), host, library, table)
            f = 1.0 - float(m.group(1)) / 100.0
            return Permeability(key, inner.props, f * inner.capacity_kg_m3, inner.beta_m3_kg, f * inner.volume_fraction)
        # A design-file material made from a library one (``base: KEY``) keeps the base's
        # name unless it renames it: it takes the base's moisture data.
        same = [k for k in sorted(table) if k in library and k != key and library[k].name == mat.name]
        if same:
            return replace(permeability(same[0], mat, library, table), key=key)
        raise DesignError(
            f"materials.{key}",
            mat.name,
            f"no moisture data for this {mat.category.value}; known: {', '.join(sorted(table))}",
        )
    capacity = props.csat_mass_fraction * mat.density_kg_m3 / RH_REF
    return Permeability(key, props, capacity, props.chs / mat.density_kg_m3)
