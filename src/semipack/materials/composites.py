"""Composite materials made from the library: smeared copper layers and via fields.

A laminate's copper layer is copper and its dielectric side by side; a dielectric
pierced by plated vias is copper barrels in a matrix. Both enter the models as one
material whose properties come from the constituents:

- conductivity: parallel in the plane of a copper layer and in series through it (as
  JESD51 board models smear trace layers); through a via field the barrels are in
  parallel, across them Rayleigh's formula for cylinders in a matrix;
- CTE by Turner's rule (modulus-weighted), modulus and density by the rule of mixtures,
  specific heat by mass.

References
----------
Lord Rayleigh, "On the influence of obstacles arranged in rectangular order upon the
properties of a medium", Phil. Mag. 34, 481 (1892): k_eff = k_m (k_c + k_m + f (k_c - k_m))
/ (k_c + k_m - f (k_c - k_m)) for parallel cylinders, fraction f, across their axes.
Turner, "Thermal-expansion stresses in reinforced plastics", J. Res. NBS 37, 239 (1946).
"""

from __future__ import annotations

from semipack.materials.library import Material, MaterialLibrary


def _mix(a: Material, b: Material, f: float) -> dict[str, float]:
    """Properties of a composite with fraction ``f`` of ``a`` in ``b`` (rule of mixtures, Turner)."""
    ea, eb = a.youngs_pa, b.youngs_pa
    e = f * ea + (1 - f) * eb

    def turner(ca: float, cb: float, eb_: float) -> float:
        return (f * ea * ca + (1 - f) * eb_ * cb) / (f * ea + (1 - f) * eb_)

    out = {
        "k_in_parallel": f * a.k_inplane_w_mk + (1 - f) * b.k_inplane_w_mk,
        "k_through_series": 1.0 / (f / a.k_through_w_mk + (1 - f) / b.k_through_w_mk),
        "k_through_parallel": f * a.k_through_w_mk + (1 - f) * b.k_through_w_mk,
        "density": f * a.density_kg_m3 + (1 - f) * b.density_kg_m3,
        "youngs": e,
        "cte": turner(a.cte_per_k, b.cte_per_k, eb),
    }
    rho = out["density"]
    out["cp"] = (f * a.density_kg_m3 * a.cp_j_kgk + (1 - f) * b.density_kg_m3 * b.cp_j_kgk) / rho
    if b.tg_k is not None and b.cte_above_tg_per_k is not None and b.youngs_above_tg_pa is not None:
        eb2 = b.youngs_above_tg_pa
        out["youngs_above_tg"] = f * ea + (1 - f) * eb2
        out["cte_above_tg"] = turner(a.cte_per_k, b.cte_above_tg_per_k, eb2)
    return out


def rayleigh_cylinders(k_matrix: float, k_cyl: float, f: float) -> float:
    """Effective conductivity across parallel cylinders (Rayleigh 1892, dilute-to-moderate f)."""
    d = k_cyl - k_matrix
    return k_matrix * (k_cyl + k_matrix + f * d) / (k_cyl + k_matrix - f * d)


def _entry(name: str, base: Material, m: dict[str, float], k_in: float, k_thr: float, src: str) -> dict[str, object]:
    e: dict[str, object] = {
        "name": name,
        "category": "laminate",
        "k_inplane": [f"{k_in!r} W/m/K", src],
        "k_through": [f"{k_thr!r} W/m/K", src],
        "density": [f"{m['density']!r} kg/m^3", src],
        "cp": [f"{m['cp']!r} J/kg/K", src],
        "cte": [f"{m['cte'] * 1e6!r} ppm/K", src],
        "youngs": [f"{m['youngs'] / 1e9!r} GPa", src],
        "poisson": [repr(base.poisson), src],
    }
    if "cte_above_tg" in m and base.tg_k is not None:
        e["cte_above_tg"] = [f"{m['cte_above_tg'] * 1e6!r} ppm/K", src]
        e["youngs_above_tg"] = [f"{m['youngs_above_tg'] / 1e9!r} GPa", src]
        e["tg"] = [f"{base.tg_k!r} K", src]
    if base.permittivity is not None:
        e["permittivity"] = [repr(base.permittivity), src]
    return e


def copper_layer_material(lib: MaterialLibrary, dielectric: str, coverage: float, copper: str = "cu_plated") -> dict[str, object]:
    """Library entry of a copper layer smeared with its dielectric at ``coverage``."""
    cu, d = lib[copper], lib[dielectric]
    m = _mix(cu, d, coverage)
    src = f"rule of mixtures: {coverage:.0%} plated Cu in {dielectric} (parallel in plane, series through; Turner CTE)"
    e = _entry(f"copper layer, {coverage:.0%} coverage", d, m, m["k_in_parallel"], m["k_through_series"], src)
    e["resistivity"] = [f"{(cu.resistivity_ohm_m or 1.8e-8) / max(coverage, 1e-3)!r} ohm*m", src]
    e.pop("permittivity", None)
    return e


def via_field_material(lib: MaterialLibrary, dielectric: str, f: float, copper: str = "cu_plated") -> dict[str, object]:
    """Library entry of a dielectric layer pierced by plated vias (copper fraction ``f``)."""
    cu, d = lib[copper], lib[dielectric]
    m = _mix(cu, d, f)
    k_in = rayleigh_cylinders(d.k_inplane_w_mk, cu.k_inplane_w_mk, f)
    src = f"thermal-via field: {f:.1%} plated Cu barrels in {dielectric} (parallel through; Rayleigh 1892 in plane)"
    e = _entry(f"thermal-via field in {dielectric}", d, m, k_in, m["k_through_parallel"], src)
    e["resistivity"] = [f"{(cu.resistivity_ohm_m or 1.8e-8) / max(f, 1e-3)!r} ohm*m", src]
    e.pop("permittivity", None)
    return e
