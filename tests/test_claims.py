"""Claim charts: every claim of the seeds encoded, and verdicts that follow the designs' variants."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import example

from semipack.claims import PATENTS, Tolerances, Verdict, chart, encoded, seed_claims
from semipack.claims.text import seeds_dir
from semipack.report.claim_chart import summary, to_html, to_markdown

SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/seeds beside this checkout")
def test_shipped_seed_texts_equal_the_shared_originals() -> None:
    for original in sorted(SHARED.glob("*.txt")):
        assert (seeds_dir() / original.name).read_bytes() == original.read_bytes(), original.name


def _numbers_in_seed(patent: str) -> set[int]:
    """Claim numbers found with a plain regex of the test's own (not the parser's)."""
    text = next(seeds_dir().glob(f"{patent}_*.txt")).read_text(encoding="utf-8")
    low = text.lower()
    i = low.find("claimed is")
    if i < 0:
        return set()
    text = text[i:]
    found = set()
    for m in re.finditer(r"(\d{1,3})\.\s*(?:A|An|The)\s+(?:semiconductor|chip|method|structure)", text):
        found.add(int(m.group(1)))
    return found


@pytest.mark.parametrize("patent", PATENTS)
def test_every_claim_in_the_seed_is_encoded(patent: str) -> None:
    in_text = _numbers_in_seed(patent)
    coded = {c.number for c in encoded(patent)}
    assert in_text <= coded, sorted(in_text - coded)
    assert coded == set(range(1, len(coded) + 1))


def test_claim_counts_per_seed() -> None:
    assert {p: len(encoded(p)) for p in PATENTS} == {"000": 18, "001": 0, "002": 138, "003": 20, "004": 16}


def test_dependent_claims_keep_their_parents() -> None:
    parents = {(c.patent, c.number): c.depends_on for p in PATENTS for c in seed_claims(p)}
    assert parents[("000", 17)] == 16 and parents[("000", 13)] is None
    assert parents[("002", 101)] == 100  # as written (a per-group claim hung on the per-die one)
    assert parents[("002", 120)] == 102 and parents[("003", 20)] == 12 and parents[("004", 13)] == 12
    for p in PATENTS:
        for c in encoded(p):
            assert c.depends_on is None or c.depends_on < c.number
            assert all(e.text for e in c.elements)


def _verdict(design: str, patent: str, claim: int, tol: Tolerances | None = None) -> Verdict:
    ch = chart(example(design), (patent,), tol)
    return next(r for r in ch.results if r.number == claim).verdict


# Every independent claim: one design that reads on it and one that does not.
INDEPENDENT = [
    ("000", 1, "spreader_bga", "thinfilm_metal"),
    ("000", 7, "spreader_bga_concave", "spreader_bga"),
    ("000", 13, "spreader_bga", "spreader_bga_no_glue"),
    ("002", 1, "thinfilm_metal", "spreader_bga"),
    ("002", 30, "thinfilm_metal_group_same", "thinfilm_metal"),
    ("002", 61, "thinfilm_metal", "spreader_bga"),
    ("002", 102, "thinfilm_metal", "thinfilm_metal_machined"),
    ("003", 1, "exposed_sink", "exposed_sink_no_interface"),
    ("003", 12, "exposed_sink_buffer_pad", "exposed_sink"),
    ("004", 1, "cavity_buildup", "thinfilm_metal"),
    ("004", 10, "cavity_buildup", "spreader_bga"),
]


def test_the_independent_claim_list_is_complete() -> None:
    indep = {(c.patent, c.number) for p in PATENTS for c in encoded(p) if c.depends_on is None}
    assert indep == {(p, n) for p, n, _, _ in INDEPENDENT}


@pytest.mark.parametrize(("patent", "claim", "yes", "no"), INDEPENDENT)
def test_independent_claim_positive_and_negative(patent: str, claim: int, yes: str, no: str) -> None:
    assert _verdict(yes, patent, claim) is Verdict.MET
    assert _verdict(no, patent, claim) is Verdict.NOT_MET


VARIANTS = [
    # design, patent, claims it must meet, claims it must not meet
    ("spreader_bga", "000", (1, 2, 3, 5, 6, 13, 14, 15, 18), (4, 7, 16, 17)),
    ("spreader_bga_concave", "000", (7, 8, 9, 11, 12, 16, 17), (4, 10)),
    ("spreader_bga_tape", "000", (1, 4, 13), (3,)),
    ("spreader_bga_no_glue", "000", (1,), (6, 12, 13)),
    ("exposed_sink", "003", (1, 2, 3, 4, 5, 10, 11), (6, 7, 12)),
    ("exposed_sink_flip_chip", "003", (1, 4, 6), (5, 10)),
    ("exposed_sink_qfn", "003", (1, 7, 8), (4, 12)),
    ("exposed_sink_qfn_buffer", "003", (12, 17, 18, 19, 20), (1, 15)),
    ("exposed_sink_buffer_pad", "003", (12, 15, 16, 20), (1, 19)),
    (
        "thinfilm_metal",
        "002",
        (1, 5, 6, 7, 8, 13, 14, 25, 26, 27, 28, 29, 61, 70, 72, 73, 75, 76, 83, 102),
        (22, 23, 30, 95),
    ),
    ("thinfilm_metal_passives", "002", (10, 11, 12, 18, 19, 20, 95), (22,)),
    ("thinfilm_metal_machined", "002", (22, 66), (23, 102)),
    ("thinfilm_metal_punched", "002", (22, 23, 67, 69), (66,)),  # the punched opening is a recess too
    ("thinfilm_metal_group_same", "002", (30, 31, 62, 82), (32, 81)),
    ("thinfilm_metal_group_different", "002", (30, 32, 63), (31,)),
    ("thinfilm_metal_no_filling", "002", (1, 6, 61), (14, 25, 27, 70)),
    ("cavity_buildup", "004", tuple(range(1, 17)), ()),
    ("cavity_buildup_staggered", "004", (1, 2, 10), (3,)),
    ("cavity_buildup_open_back", "004", (1, 2), (9,)),
    ("cavity_buildup_bumps", "004", (1, 4), (5,)),
]


@pytest.mark.parametrize(("design", "patent", "yes", "no"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_variants_read_on_the_claims_they_select(
    design: str, patent: str, yes: tuple[int, ...], no: tuple[int, ...]
) -> None:
    ch = chart(example(design), (patent,))
    v = {r.number: r.verdict for r in ch.results}
    assert [n for n in yes if v[n] is not Verdict.MET] == []
    assert [n for n in no if v[n] is not Verdict.NOT_MET] == []


def test_buffer_pad_cte_tolerance_is_the_users() -> None:
    # Alloy 42 (4.3 ppm/K) on silicon (2.6 ppm/K): similar at 3 ppm/K, not at 1 ppm/K.
    assert _verdict("exposed_sink_qfn_buffer", "003", 12) is Verdict.MET
    assert _verdict("exposed_sink_qfn_buffer", "003", 12, Tolerances(similar_cte_ppm_k=1.0)) is Verdict.NOT_MET


def test_internal_circuitry_is_undetermined_not_guessed() -> None:
    assert _verdict("thinfilm_metal", "002", 2) is Verdict.UNDETERMINED
    assert _verdict("thinfilm_metal", "002", 4) is Verdict.UNDETERMINED


def test_cross_patent_overlap_is_reported() -> None:
    ch = chart(example("exposed_sink"))
    assert any(r.patent == "000" and r.number == 1 and r.verdict is Verdict.MET for r in ch.results)
    assert any("overlap" in line and "000 claim 1" in line and "003 claim 1" in line for line in summary(ch))
    # A flex CSP reads on none of the others' independent claims.
    flex = chart(example("flex_csp_fig1"))
    assert not flex.met()


def test_chart_renders(tmp_path: Path) -> None:
    ch = chart(example("spreader_bga_concave"), ("000",))
    md = to_markdown(ch)
    assert "| 7 |" in md and "concave" in md
    page = to_html(ch)
    assert page.startswith("<!DOCTYPE html>") and "claim 17" in page


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "semipack.cli.main", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_json(examples_dir: Path) -> None:
    proc = run("claims", str(examples_dir / "exposed_sink_qfn.yaml"), "--format", "json", "--patent", "003")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    c1 = next(c for c in data["claims"] if c["claim"] == 1)
    assert set(c1) >= {"patent", "claim", "depends_on", "verdict", "elements"} and c1["verdict"] == "met"
    assert {e["verdict"] for e in c1["elements"]} == {"met"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--patent", "005"), "allowed: 000"),
        (("--tolerance", "cte=2"), "allowed: similar_cte_ppm_k"),
        (("--format", "pdf"), "allowed: text"),
    ],
)
def test_cli_bad_options(examples_dir: Path, args: tuple[str, ...], needle: str) -> None:
    proc = run("claims", str(examples_dir / "exposed_sink.yaml"), *args)
    assert proc.returncode == 2 and needle in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
