"""Package electrical model: PEEC partial inductance against Grover, Hoer and Love and a round-wire loop;
capacitance against a parallel plate (Palmer) and microstrips (Hammerstad-Jensen); skin effect against the
round wire's asymptote; the extracted matrices' physics (symmetric, positive definite, C off-diagonal <= 0);
the .pkg's structure, the Touchstone round trip through scikit-rf (passive, reciprocal); CLI errors."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES, cli, example
from scipy import integrate

from semipack.electrical import capacitance as cap
from semipack.electrical import formulas as fm
from semipack.electrical import peec, rlgc, skin
from semipack.electrical.segments import Seg
from semipack.electrical.spice import coupled_spice
from semipack.errors import DesignError
from semipack.export import ibis_pkg, touchstone

MU0 = 4e-7 * math.pi


def _round(a: tuple[float, float, float], b: tuple[float, float, float], d: float = 1e-6) -> Seg:
    return Seg("s", "n", a, b, d, 0.0, 1.7e-8)


# --- partial inductance ---------------------------------------------------------------


def test_grover_mutual_of_two_parallel_1mm_filaments_0_1mm_apart() -> None:
    # Grover (Paul eq. 5.21b): M = mu0/(2 pi) [l asinh(l/d) - sqrt(l^2 + d^2) + d]
    l, d = 1e-3, 1e-4
    closed = MU0 / (2 * math.pi) * (l * math.asinh(l / d) - math.hypot(l, d) + d)
    lp = peec.partial_inductance([_round((0, 0, 0), (l, 0, 0)), _round((0, d, 0), (l, d, 0))])
    assert lp[0, 1] == pytest.approx(closed, rel=1e-9)
    assert lp[0, 1] == pytest.approx(0.42e-9, rel=0.01)  # the 0.42 nH (0.4186 nH)


def test_inclined_filaments_gauss_legendre_against_direct_neumann_integral() -> None:
    a0, a1 = np.array([0.0, 0.0, 0.0]), np.array([1e-3, 0.0, 0.0])
    b0, b1 = np.array([0.2e-3, 0.3e-3, 0.1e-3]), np.array([0.9e-3, 0.8e-3, 0.4e-3])
    ua, ub = (a1 - a0) / 1e-3, (b1 - b0) / np.linalg.norm(b1 - b0)
    lb = float(np.linalg.norm(b1 - b0))

    def f(t: float, s: float) -> float:
        return 1.0 / float(np.linalg.norm(a0 + ua * t - (b0 + ub * s)))

    direct, _ = integrate.dblquad(f, 0, lb, 0, 1e-3, epsabs=1e-14)
    expected = 1e-7 * float(ua @ ub) * direct
    lp = peec.partial_inductance([_round(tuple(a0), tuple(a1)), _round(tuple(b0), tuple(b1))])  # type: ignore[arg-type]
    assert lp[0, 1] == pytest.approx(expected, rel=1e-6)


def test_circular_round_wire_loop_against_its_closed_form() -> None:
    # L = mu0 R (ln(8R/a) - 7/4) for a uniform (DC) current (Grover; Paul eq. 5.29)
    r_loop, a, n = 5e-3, 10e-6, 64
    th = np.linspace(0, 2 * np.pi, n + 1)
    pts = [(r_loop * math.cos(t), r_loop * math.sin(t), 0.0) for t in th]
    segs = [_round(pts[k], pts[k + 1], 2 * a) for k in range(n)]
    total = float(peec.partial_inductance(segs).sum())
    assert total == pytest.approx(MU0 * r_loop * (math.log(8 * r_loop / a) - 1.75), rel=0.01)


def test_hoer_love_self_matches_grover_for_a_long_bar() -> None:
    assert peec.hoer_love_self(50e-6, 18e-6, 2e-3) == pytest.approx(fm.l_bar(2e-3, 50e-6, 18e-6), rel=2e-3)


def _filament_mutual(w: float, t: float, length: float, dx: float, dz: float, n: int = 8) -> float:
    """Two parallel w x t bars, each split into n x n filaments (Grover's filament formula, averaged)."""
    off = (np.arange(n) + 0.5) / n - 0.5
    xs, zs = np.meshgrid(off * w, off * t, indexing="ij")
    p = np.stack([xs.ravel(), zs.ravel()], axis=1)
    d = np.linalg.norm(p[:, None, :] + [dx, dz] - p[None, :, :], axis=2)
    return float(np.mean([fm.m_parallel(0, length, 0, length, float(x)) for x in d.ravel()]))


def test_hoer_love_mutual_of_near_bars_against_a_filament_subdivision() -> None:
    w, t, length, gap = 50e-6, 18e-6, 1e-3, 25e-6
    exact = peec.hoer_love_mutual(w, t, length, w, t, length, w + gap, 0.0, 0.0)
    assert exact == pytest.approx(_filament_mutual(w, t, length, w + gap, 0.0), rel=2e-3)
    # and far apart it is the filament value
    far = peec.hoer_love_mutual(10e-6, 10e-6, 1e-3, 10e-6, 10e-6, 1e-3, 200e-6, 0, 0)
    assert far == pytest.approx(fm.m_parallel(0, 1e-3, 0, 1e-3, 200e-6), rel=1e-4)


# --- capacitance ------------------------------------------------------------------------


def _palmer(w: float, length: float, d: float) -> float:
    """Parallel plates with fringing (H. B. Palmer, Trans. AIEE 56, 363 (1937))."""
    fw = 1 + d / (math.pi * w) * (1 + math.log(2 * math.pi * w / d))
    fl = 1 + d / (math.pi * length) * (1 + math.log(2 * math.pi * length / d))
    return fm.EPS0 * w * length / d * fw * fl


def test_parallel_plate_over_ground_against_palmer() -> None:
    a, h, n = 5e-3, 0.1e-3, 32
    e = -a / 2 * np.cos(np.pi * np.arange(n + 1) / n)  # graded towards the edges
    c, dd = 0.5 * (e[1:] + e[:-1]), np.diff(e)
    x, y = np.meshgrid(c, c, indexing="ij")
    dx, dy = np.meshgrid(dd, dd, indexing="ij")
    m = n * n
    el = cap.Elements(
        np.ones(m, dtype=np.int64),
        np.stack([x.ravel(), y.ravel(), np.full(m, h)], axis=1),
        np.tile([1.0, 0.0, 0.0], (m, 1)),
        dx.ravel() / 2,
        dy.ravel() / 2,
        np.zeros(m, dtype=np.int64),
        np.ones(m),
    )
    c_plate = cap.maxwell_matrix(el, 1, 0.0)[0, 0]
    # the plate over its image is two plates 2h apart at twice the voltage
    assert c_plate == pytest.approx(2 * _palmer(a, a, 2 * h), rel=0.02)


@pytest.mark.parametrize(("w", "h", "er"), [(3e-4, 1e-4, 4.4), (1e-4, 2e-4, 9.8), (2e-3, 2e-4, 1.0)])
def test_microstrip_2d_against_hammerstad_jensen(w: float, h: float, er: float) -> None:
    c, c0 = cap.microstrip_2d(w, h, er)
    assert c == pytest.approx(fm.microstrip_lc(w, h, er)[1], rel=0.02)
    assert c0 == pytest.approx(fm.microstrip_lc(w, h, 1.0)[1], rel=0.02)


# --- skin effect ------------------------------------------------------------------------


def test_round_wire_resistance_tends_to_its_skin_asymptote() -> None:
    s = _round((0, 0, 0), (1e-3, 0, 0), 25e-6)
    s = Seg(s.owner, s.net, s.a, s.b, s.width_m, 0.0, 2.2e-8)
    f = np.array([1e3, 1e11])
    z = skin.internal_impedance(s, f)
    delta = skin.skin_depth(2.2e-8, 1e11)
    assert z[0].real == pytest.approx(skin.dc_resistance(s), rel=1e-6)
    assert z[1].real / skin.dc_resistance(s) == pytest.approx(12.5e-6 / (2 * delta) + 0.25, rel=0.01)
    assert z[1].imag == pytest.approx(z[1].real, rel=0.05)  # w L_int = R when the skin is thin


# --- extraction ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qfn() -> rlgc.Extraction:
    return rlgc.extract(example("qfn32"))


def test_extracted_l_and_c_are_symmetric_positive_definite(qfn: rlgc.Extraction) -> None:
    for m in (qfn.l_h, qfn.c_f, qfn.r_dc_ohm):
        assert np.allclose(m, m.T, rtol=0, atol=1e-30)
        assert np.linalg.eigvalsh(m).min() > 0
    off = qfn.c_f - np.diag(np.diag(qfn.c_f))
    assert off.max() <= 0 and off.min() < 0  # Maxwell matrix: couplings negative
    assert qfn.c_clipped_rel == 0.0
    loop = rlgc.loop_inductance(qfn)
    assert np.linalg.eigvalsh(loop).min() > 0


def test_qfn_pin_inductance_lies_in_the_measured_range_of_overmolded_qfns(qfn: rlgc.Extraction) -> None:
    """Promex / E. Bogatin, "QFN Electrical Parasitics" (1 October 2010), Table 1: measured
    L11 from 0.825 to 1.442 nH over overmolded QFNs of 3 x 3 to 7 x 7 mm (0.5 mm pitch among
    them the 5 x 5 mm 32-lead), 1 mil gold wire. Each pin of the default 5 x 5 mm QFN-32 must
    fall in that range (its C is reported against the same table in docs/extract.md)."""
    l_nh = np.diag(qfn.l_h) * 1e9
    assert l_nh.min() >= 0.825 and l_nh.max() <= 1.442, (l_nh.min(), l_nh.max())


def test_loop_reduction_with_one_return_is_the_textbook_sum() -> None:
    lmat = np.array([[2.0, 0.5, 0.3], [0.5, 2.2, 0.4], [0.3, 0.4, 1.8]])
    got = rlgc.loop_reduce(lmat, [0, 1], [2])
    want = lmat[:2, :2] - lmat[:2, 2:3] - lmat[2:3, :2] + lmat[2, 2]
    assert np.allclose(got, want)


def test_pkg_file_has_the_ibis_structure(qfn: rlgc.Extraction, tmp_path: Path) -> None:
    """A strict structure check written apart from the writer (no IBIS .pkg parser is on PyPI)."""
    for form, bw in ((ibis_pkg.MatrixForm.FULL, 0), (ibis_pkg.MatrixForm.BANDED, 3)):
        text = ibis_pkg.package_model(qfn, "q.pkg", form, bw or 4)
        _check_pkg(text, qfn, bw)


def _check_pkg(text: str, ext: rlgc.Extraction, bandwidth: int) -> None:
    lines = [ln for ln in text.splitlines() if not ln.startswith("|")]
    assert all(len(ln) <= 80 for ln in text.splitlines())
    keys = [re.match(r"\[([^\]]+)\]", ln).group(1) for ln in lines if ln.startswith("[")]  # type: ignore[union-attr]
    order = ["IBIS Ver", "File Name", "Define Package Model", "Number Of Pins", "Pin Numbers", "Model Data"]
    assert [k for k in keys if k in order] == order
    assert keys[-3:] == ["End Model Data", "End Package Model", "End"]
    n = int(next(ln.split()[-1] for ln in lines if ln.startswith("[Number Of Pins]")))
    start = lines.index("[Pin Numbers]") + 1
    pins = lines[start : start + n]
    assert pins == [p for p in ext.pins] and len(set(pins)) == n
    for name, want in (("Resistance", ext.r_dc_ohm), ("Inductance", ext.l_h), ("Capacitance", ext.c_f)):
        i0 = next(k for k, ln in enumerate(lines) if ln.startswith(f"[{name} Matrix]"))
        banded = "Banded_matrix" in lines[i0]
        k = i0 + 1
        if banded:
            assert lines[k] == f"[Bandwidth] {bandwidth}"
            k += 1
        got = np.zeros((n, n))
        for row in range(n):
            assert lines[k] == f"[Row] {pins[row]}"
            k += 1
            vals: list[float] = []
            while k < len(lines) and not lines[k].startswith("["):
                vals += [float(v) for v in lines[k].split()]
                k += 1
            width = min(n, row + bandwidth + 1) - row if banded else n - row
            assert len(vals) == width
            got[row, row : row + width] = vals
            got[row : row + width, row] = vals
        mask = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= (bandwidth if banded else n)
        assert np.allclose(got[mask], want[mask], rtol=1e-6, atol=0)


def test_touchstone_round_trips_through_scikit_rf_and_is_passive(qfn: rlgc.Extraction, tmp_path: Path) -> None:
    skrf = pytest.importorskip("skrf")
    sub = rlgc.extract(example("qfn32"), ["S2", "S3"], "VSS")
    f = np.geomspace(1e7, 1e10, 21)
    s = rlgc.s_parameters(sub, f)
    path = tmp_path / "q.s4p"
    path.write_text(touchstone.touchstone_text(f, s, ["a", "b", "c", "d"], 50.0, "t"))
    net = skrf.Network(str(path))
    assert net.nports == 4
    assert np.allclose(net.f, f, rtol=1e-12)
    assert np.allclose(net.s, s, atol=1e-13)
    assert net.is_passive() and net.is_reciprocal()
    assert touchstone.max_singular_value(s) <= 1 + 1e-12
    assert touchstone.reciprocity_error(s) < 1e-12
    # a lossy low-pass: through at 10 MHz, some loss at 10 GHz
    assert abs(s[0, 2, 0]) > 0.99 > abs(s[-1, 2, 0])


def test_coupled_spice_has_each_pin_and_the_strong_couplings(qfn: rlgc.Extraction) -> None:
    text = coupled_spice(qfn, k_min=0.05)
    assert text.count("\nR") == len(qfn.pins) and "\nK" in text and "\nCC" in text
    assert text.rstrip().endswith(".end")


def test_bad_frequencies_and_nets_are_refused() -> None:
    with pytest.raises(DesignError, match="increasing"):
        rlgc.check_frequencies(np.array([1e9, 1e8]))
    with pytest.raises(DesignError, match="nets"):
        rlgc.extract(example("qfn32"), ["NOPE"])
    with pytest.raises(DesignError, match="reference"):
        rlgc.extract(example("qfn32"), ["S2"], "NOPE")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--nets", "NOPE"], "nets: got 'NOPE'"),
        (["--nets", "S2", "--reference", "GNDX"], "reference: got 'GNDX'"),
        (["--nets", "S2", "--format", "touchstone", "-o", "x.s2p", "--frequencies", "1GHz,100MHz"], "increasing"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], needle: str
) -> None:
    args = [str(tmp_path / a) if a == "x.s2p" else a for a in args]
    code, _, err = cli(capsys, "extract", str(EXAMPLES / "qfn32.yaml"), *args)
    assert code == 2
    assert err.count("\n") == 1 and needle in err


def test_cli_writes_a_pkg_and_a_touchstone_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pkg = tmp_path / "q.pkg"
    code, _, _ = cli(capsys, "extract", str(EXAMPLES / "qfn32.yaml"), "--format", "ibis", "-o", str(pkg))
    assert code == 0 and pkg.read_text().rstrip().endswith("[End]")
    s4p = tmp_path / "q.s4p"
    code, _, err = cli(
        capsys, "extract", str(EXAMPLES / "qfn32.yaml"), "--nets", "S2,S3", "--format", "touchstone", "-o", str(s4p)
    )
    assert code == 0, err
    assert s4p.read_text().count("# Hz S RI R 50") == 1
