"""The materials library: every property sourced, values physically consistent."""

from __future__ import annotations

import math

import pytest

from semipack.errors import DesignError
from semipack.materials import Category, default_library

LIB = default_library()
REQUIRED = ("k_inplane", "k_through", "density", "cp", "cte", "youngs", "poisson")

# The issue's list of materials, by library key.
ISSUE_MATERIALS = [
    "si",
    "cu_rolled",
    "cu_plated",
    "al",
    "au",
    "ni",
    "cr",
    "ag",
    "silver_epoxy",
    "mold_compound",
    "bt_laminate",
    "fr4",
    "fr5",
    "polyimide_film",
    "polyimide_thinfilm",
    "bcb",
    "porous_lowk",
    "stress_buffer",
    "epoxy",
    "ptfe",
    "sac305",
    "sn63pb37",
    "au_stud",
    "underfill",
    "glob_top",
    "borosilicate",
    "ircut_glass",
    "thermal_glue",
    "alloy42",
    "c194",
    "air",
]


@pytest.mark.parametrize("key", ISSUE_MATERIALS)
def test_listed_material_present_and_sourced(key: str) -> None:
    m = LIB[key]
    for prop in REQUIRED:
        assert prop in m.sources and len(m.sources[prop]) > 10, (key, prop)
    assert m.resistivity_ohm_m is not None or m.permittivity is not None, key
    for prop in ("resistivity", "permittivity", "tg", "cte_above_tg"):
        if (
            getattr(
                m,
                {"resistivity": "resistivity_ohm_m", "tg": "tg_k", "cte_above_tg": "cte_above_tg_per_k"}.get(
                    prop, prop
                ),
            )
            is not None
        ):
            assert prop in m.sources, (key, prop)


def test_physical_bounds() -> None:
    for key, m in LIB.items():
        assert 0 <= m.poisson < 0.5, key
        assert 0.5 < m.density_kg_m3 < 25000, key
        assert 0.01 < m.k_through_w_mk <= m.k_inplane_w_mk < 500, key
        if m.category is not Category.GAS:
            assert 1e-7 < m.cte_per_k < 3e-4, key


def test_reference_values() -> None:
    # Incropera Table A.1 (300 K) and Okada & Tokumaru (1984).
    assert LIB["cu_rolled"].k_inplane_w_mk == 401
    assert LIB["si"].k_inplane_w_mk == 148
    assert math.isclose(LIB["si"].cte_per_k, 2.6e-6)
    assert LIB["air"].k_inplane_w_mk == pytest.approx(0.0263)


@pytest.mark.parametrize("key", ["cu_rolled", "au", "ag", "al"])
def test_wiedemann_franz_consistency(key: str) -> None:
    """Pure metals' conductivity and resistivity agree through k = L T / rho (L = 2.44e-8) to 20 %."""
    m = LIB[key]
    assert m.resistivity_ohm_m is not None
    k_wf = 2.44e-8 * 300.0 / m.resistivity_ohm_m
    assert abs(k_wf / m.k_inplane_w_mk - 1) < 0.20


def test_plated_copper_from_wiedemann_franz() -> None:
    m = LIB["cu_plated"]
    assert m.resistivity_ohm_m is not None
    assert m.k_inplane_w_mk == pytest.approx(2.44e-8 * 300 / m.resistivity_ohm_m, rel=0.01)


def test_laminates_are_anisotropic_and_polymers_soften_above_tg() -> None:
    for key in ("bt_laminate", "fr4", "fr5"):
        assert LIB[key].k_inplane_w_mk > LIB[key].k_through_w_mk
    emc = LIB["mold_compound"]
    assert emc.tg_k is not None
    assert emc.cte_at(emc.tg_k + 10) > emc.cte_at(emc.tg_k - 10)
    assert emc.youngs_at(emc.tg_k + 10) < emc.youngs_at(emc.tg_k - 10)


def test_conductors() -> None:
    assert LIB["cu_plated"].is_conductor and LIB["sac305"].is_conductor and LIB["silver_epoxy"].is_conductor
    assert not LIB["mold_compound"].is_conductor and not LIB["si"].is_conductor


def test_extend_and_override() -> None:
    lib = LIB.extended(
        {
            "my_glue": {"base": "thermal_glue", "k": ["5 W/m/K", "vendor sheet"]},
            "cu_rolled": {"k": ["390 W/m/K", "measured"]},
        }
    )
    assert lib["my_glue"].k_through_w_mk == 5.0
    assert lib["my_glue"].sources["k_inplane"] == "vendor sheet"
    assert lib["my_glue"].density_kg_m3 == LIB["thermal_glue"].density_kg_m3
    assert lib["cu_rolled"].k_inplane_w_mk == 390
    assert LIB["cu_rolled"].k_inplane_w_mk == 401  # the default library is untouched


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"x": {"base": "nope"}}, "unknown material"),
        ({"x": {"base": "si", "k": "5 W/m/K"}}, "source"),
        ({"x": {"base": "si", "k": ["5 mm", "src"]}}, "dimension"),
        ({"x": {"base": "si", "kk": ["5 W/m/K", "src"]}}, "unknown material property"),
        ({"x": {"k": ["5 W/m/K", "src"], "category": "metal"}}, "missing properties"),
        ({"x": {"base": "si", "poisson": ["0.7", "src"]}}, "poisson"),
    ],
)
def test_bad_material_entries(extra: dict[str, object], needle: str) -> None:
    with pytest.raises(DesignError, match=needle):
        LIB.extended(extra)
