"""Claim charts: every claim of the seeds encoded, and verdicts that follow the designs' variants."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, cli, example

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


# --- seed 002's claim table is literal data that follows the patent text ----------------------


def _seed_002_text() -> str:
    """The 002 seed as shared beside the checkout (the patent text), else the shipped copy."""
    folder = SHARED if SHARED.is_dir() else seeds_dir()
    return next(folder.glob("002_*.txt")).read_text(encoding="utf-8")


def _seed_002_claims() -> dict[int, tuple[int | None, str]]:
    """Claim number -> (parent, text), read with the test's own line rule: each claim opens a line 'N. '."""
    text = _seed_002_text()
    text = text[text.lower().index("what is claimed is") :]
    out: dict[int, tuple[int | None, str]] = {}
    heads = list(re.finditer(r"^(\d{1,3})\.\s+(?=A |An |The )", text, re.MULTILINE))
    for i, m in enumerate(heads):
        body = " ".join(text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)].split())
        parent = re.match(r"The \w+ (?:in|of) (?:the )?claim (\d+)", body)
        out[int(m.group(1))] = (int(parent.group(1)) if parent else None, body)
    return out


def test_002_table_numbers_are_consecutive_and_parents_precede() -> None:
    from semipack.claims.p002 import ELEMENTS, TABLE

    assert list(TABLE) == list(range(1, len(TABLE) + 1))
    for n, (parent, preds) in TABLE.items():
        assert parent is None or (parent in TABLE and parent < n), n
        assert preds and ELEMENTS[n] == preds


def test_002_table_matches_the_patent_text() -> None:
    """Every claim of the seed is in the table, with the parent the seed gives it (claim 101 hangs on 100)."""
    from semipack.claims.p002 import TABLE

    seed = _seed_002_claims()
    assert sorted(seed) == list(range(1, 139))
    assert {n: parent for n, (parent, _) in TABLE.items()} == {n: p for n, (p, _) in seed.items()}
    independent = [n for n, (p, _) in seed.items() if p is None]
    assert independent == [1, 30, 61, 102]
    assert all(seed[n][1].startswith("A chip packag") for n in independent)


# A phrase of the claim's wording, and a word the evidence of its predicate must carry: a table
# entry that slipped by one claim would chart, say, a singulation claim with the passivation step.
_WORDING = [
    ("passivation layer", "passivate"),
    ("singularization of the chip package structure is performed", "singulate"),
    ("bonding points are selected from", "bonding points"),
    ("material of the first dielectric layer is selected", "dielectric"),
    ("material of the second dielectric layer is selected", "dielectric"),
    ("repeating step (a) and step (b)", "(a) and (b)"),
    ("formed by machining", "machine"),
    ("material of the filling layer", "filling layer"),
]


def test_002_method_claims_chart_the_step_their_wording_names() -> None:
    seed = _seed_002_claims()
    results = {r.number: r for r in chart(example("thinfilm_metal"), ("002",)).results}
    checked = 0
    for n, (_, text) in seed.items():
        for phrase, word in _WORDING:
            if n >= 61 and phrase in text:
                evidence = " ".join(e.evidence for e in results[n].elements)
                assert word in evidence, (n, phrase, evidence)
                checked += 1
    assert checked >= 30


# --- tolerances ---------------------------------------------------------------------------------


def test_approx_equal_tolerance_is_declared_once_and_read_by_the_claims() -> None:
    """The punched first layer is 0.32 mm on a 0.3 mm die (6.7 %): within the default 10 %, not within 5 %."""
    from semipack.claims.facts import Facts

    assert Facts(example("thinfilm_metal")).tol == Tolerances()
    for claim in (24, 68):
        assert _verdict("thinfilm_metal_punched", "002", claim) is Verdict.MET
        tight = Tolerances(approx_equal_rel=0.05)
        assert _verdict("thinfilm_metal_punched", "002", claim, tight) is Verdict.NOT_MET


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("coplanar_m", -1e-6),
        ("coplanar_m", 5e-3),
        ("approx_equal_rel", float("nan")),
        ("same_area_rel", float("inf")),
        ("similar_cte_ppm_k", 1e3),
        ("die_size_rel", True),
    ],
)
def test_tolerances_refuse_values_out_of_range_naming_the_field(name: str, value: float) -> None:
    from semipack.errors import DesignError

    with pytest.raises(DesignError) as err:
        Tolerances(**{name: value})
    assert err.value.field == name and "\n" not in str(err.value)
    assert "finite number from 0 to" in str(err.value)


def test_cli_tolerance_out_of_range_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "claims", str(EXAMPLES / "thinfilm_metal.yaml"), "--tolerance", "coplanar_m=0.01")
    assert code == 2 and err.count("\n") == 1 and "coplanar_m" in err and out == ""
