"""Dynamic-warpage limits for BGAs at reflow: JEITA ED-7306, JEDEC JEP95 SPP-024 and an OEM/EMS proposal.

Each gives the largest warpage a BGA may show at any temperature of the reflow profile,
by ball pitch (JEDEC also by body size); signs as in `warpage_sign` (+ convex,
- concave). Every row carries its own source. A package outside these rows gets no
limit ("no tabulated limit") rather than a guessed one - check the standard itself.

- JEITA ED-7306 (March 2007), Table 1 "Maximum permissible package warpages for BGA
  and FBGA": one absolute value per ball pitch (0.4 to 1.27 mm) whatever the body size,
  each for the table's nominal ball height (0.8 mm lists two heights with the same
  limit). The standard's own PDF (home.jeita.or.jp/tsc/std-pdf/ED-7306_E.pdf) could not
  be opened offline; the rows are as two public transcriptions of that table give them
  (they agree row for row; docs/warpage.md names them), and the 0.8 and 1.0 mm rows are
  also quoted by the SMT Magazine study below ("0.22 mm regardless of the size" at 1.0 mm).
- JEDEC JEP95 SPP-024 Issue A (2009): only the one row the SMT Magazine study quotes
  (0.8 mm pitch, 17-19 mm bodies, -0.14/+0.23 mm); the full table was not found.
- The OEM/EMS proposal (against head-in-pillow): 0.09 mm above 150 C for pitches of
  0.8 mm and more; the same group's controlled study (Chan et al., SMTA International
  2017) restates 0.090 mm for 0.8 and 1.0 mm pitch.

References
----------
JEITA ED-7306, "Measurement methods of package warpage at elevated temperature and the
maximum permissible warpage", Japan Electronics and Information Technology Industries
Association, March 2007, Table 1. JEDEC Publication 95, Design Guide 4.x, SPP-024
Issue A, "Reflow flatness requirements for ball grid array packages" (2009). "Warpage
acceptance proposal" (OEM/EMS collaboration), SMT Magazine, Aug. 2015, pp. 40-52
(I-Connect007).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_SRC = "as quoted in SMT Magazine, Aug. 2015, 'Warpage acceptance proposal', pp. 40-52"
_JEITA = (
    "JEITA ED-7306 (March 2007) Table 1, maximum permissible package warpage for BGA/FBGA "
    "(home.jeita.or.jp/tsc/std-pdf/ED-7306_E.pdf), as two public transcriptions give it (they agree row "
    "for row; the PDF itself was not read here)"
)
_JEITA_SMT = _JEITA + "; also " + _SRC + " (any body size)"


@dataclass(frozen=True)
class WarpageLimit:
    """Allowed warpage: ``concave_m`` (>= 0, the most negative allowed is -concave_m) and
    ``convex_m``; ``from_k``: the limit applies from this temperature up (None: all);
    ``ball_height_m``: the nominal ball height the standard states the row for (None: not
    stated). The ball height is reported with the limit, not used to select it."""

    standard: str
    pitch_m: float
    body_min_m: float
    body_max_m: float
    concave_m: float
    convex_m: float
    source: str
    from_k: float | None = None
    ball_height_m: float | None = None

    def passes(self, warpage_m: float, temperature_k: float) -> bool | None:
        """Whether ``warpage_m`` at ``temperature_k`` is inside the limit (None: not applicable)."""
        if self.from_k is not None and temperature_k < self.from_k:
            return None
        return -self.concave_m <= warpage_m <= self.convex_m


_BIG = 1.0  # no upper body-size bound (m)
LIMITS: tuple[WarpageLimit, ...] = (
    WarpageLimit("JEITA ED-7306", 0.4e-3, 0.0, _BIG, 0.10e-3, 0.10e-3, _JEITA, ball_height_m=0.20e-3),
    WarpageLimit("JEITA ED-7306", 0.5e-3, 0.0, _BIG, 0.11e-3, 0.11e-3, _JEITA, ball_height_m=0.25e-3),
    WarpageLimit("JEITA ED-7306", 0.65e-3, 0.0, _BIG, 0.14e-3, 0.14e-3, _JEITA, ball_height_m=0.33e-3),
    # Table 1 lists 0.8 mm twice (ball heights 0.35 and 0.40 mm), both 0.17 mm: one row.
    WarpageLimit("JEITA ED-7306", 0.8e-3, 0.0, _BIG, 0.17e-3, 0.17e-3, _JEITA_SMT + "; ball height 0.35 or 0.40 mm"),
    WarpageLimit("JEITA ED-7306", 1.0e-3, 0.0, _BIG, 0.22e-3, 0.22e-3, _JEITA_SMT, ball_height_m=0.50e-3),
    WarpageLimit("JEITA ED-7306", 1.27e-3, 0.0, _BIG, 0.25e-3, 0.25e-3, _JEITA, ball_height_m=0.60e-3),
    WarpageLimit("JEDEC JEP95 SPP-024", 0.8e-3, 17e-3, 19e-3, 0.14e-3, 0.23e-3, _SRC),
    WarpageLimit(
        "OEM/EMS proposal (HiP), >= 150 C",
        0.8e-3,
        0.0,
        _BIG,
        0.09e-3,
        0.09e-3,
        _SRC + "; pitch 0.8 mm and up; restated for 0.8 and 1.0 mm pitch by Chan et al., 'BGA with controllable "
        "warpage used to confirm the need for a lower warpage specification', SMTA International 2017",
        423.15,
    ),
)


def limits_for(pitch_m: float | None, body_m: float) -> tuple[WarpageLimit, ...]:
    """The tabulated limits for a ball pitch and the body's longer side (pitch to 1 um).

    The OEM/EMS proposal covers every pitch of 0.8 mm and more.
    """
    if pitch_m is None:
        return ()
    out = []
    for lim in LIMITS:
        if lim.standard.startswith("OEM"):
            ok = pitch_m >= lim.pitch_m - 1e-6
        else:
            ok = abs(pitch_m - lim.pitch_m) < 1e-6 and lim.body_min_m - 1e-6 <= body_m <= lim.body_max_m + 1e-6
        if ok:
            out.append(lim)
    return tuple(out)


@dataclass(frozen=True)
class LimitCheck:
    """One limit over a warpage curve: the worst margin and whether every point passes."""

    limit: WarpageLimit
    passes: bool
    worst_temperature_k: float
    worst_warpage_m: float


def check_curve(points: Sequence[tuple[float, float]], limit: WarpageLimit) -> LimitCheck | None:
    """Check (temperature K, signed warpage m) points against ``limit`` (None if it applies to none)."""
    judged = [(t, w, limit.passes(w, t)) for t, w in points]
    judged = [j for j in judged if j[2] is not None]
    if not judged:
        return None

    def used(w: float) -> float:  # share of the allowed band used
        return w / limit.convex_m if w >= 0 else -w / limit.concave_m

    t, w, _ = max(judged, key=lambda j: used(j[1]))
    return LimitCheck(limit, all(bool(j[2]) for j in judged), t, w)
