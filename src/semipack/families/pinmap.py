"""Pin maps: a package's terminals as a table (name, x, y, net, role).

A generic family takes its terminal sites either from a generated array (full or
perimeter rows, a centre block, named depopulated sites) or from a table the user
gives inline in the design file or as a CSV/YAML file beside it. Each entry names the
terminal (a JEDEC ball name such as ``A1``, or a pin number), its centre in the package
frame (origin at the body centre, y up, as seen from the top), its net, and its role.

The CSV has a header row with ``name, x, y, net, role``; ``x`` and ``y`` carry their
units in every cell (``-7.5 mm``) or the header says it (``x_mm, y_mm`` with plain
numbers). ``net`` and ``role`` may be omitted (the net is then the terminal's name and
the role ``signal``).

References
----------
JEDEC JEP95 / JESD95-1, design guide 4.5: ball-grid names, row letters A..Y without
I, O, Q, S, X, Z, then AA, AB, ...; column numbers from 1 at the left (top view).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from semipack.errors import DesignError
from semipack.families.common import row_name
from semipack.families.params import Offset, param
from semipack.files import read_input_bytes
from semipack.model import NetKind
from semipack.units import Dimension, mm, parse_quantity

MAX_TERMINALS = 10_000
MAX_TABLE_BYTES = 1 << 20


class PinRole(Enum):
    """What a terminal carries."""

    SIGNAL = "signal"
    POWER = "power"
    GROUND = "ground"
    THERMAL = "thermal"
    NC = "nc"


@dataclass(frozen=True)
class PinEntry:
    """One terminal of a pin map (package frame, top view)."""

    name: str = param("A1", "terminal name (JEDEC ball name or pin number)")
    x: Offset = param(0.0, "centre x from the body centre")
    y: Offset = param(0.0, "centre y from the body centre (+y is row A)")
    net: str = param("", "net name (empty: the terminal's own name)")
    role: PinRole = param(PinRole.SIGNAL, "signal | power | ground | thermal | nc")

    @property
    def net_name(self) -> str:
        """The net: as given, else the terminal's own name (a no-connect has none)."""
        if self.role is PinRole.NC:
            return self.net
        return self.net or self.name


def net_kind(role: PinRole) -> NetKind:
    """The net kind a terminal role implies (thermal terminals are ground)."""
    return {
        PinRole.POWER: NetKind.POWER,
        PinRole.GROUND: NetKind.GROUND,
        PinRole.THERMAL: NetKind.GROUND,
    }.get(role, NetKind.SIGNAL)


def grid_sites(
    count_x: int,
    count_y: int,
    pitch_x: float,
    pitch_y: float,
    *,
    rows: int | None = None,
    center_block: tuple[int, int] = (0, 0),
    depopulate: Iterable[str] = (),
) -> list[tuple[str, float, float, int, bool]]:
    """Sites of a generated array: (JEDEC name, x, y, ring, in centre block).

    Parameters
    ----------
    count_x, count_y
        Columns and rows of the full grid.
    pitch_x, pitch_y
        Pitches, m.
    rows
        Keep only the outermost ``rows`` rings (None keeps every site).
    center_block
        Also keep a centred block of (columns, rows) sites: thermal balls.
    depopulate
        Site names to leave out.
    """
    gone = set(depopulate)
    bx, by = center_block
    out = []
    for r in range(count_y):
        for c in range(count_x):
            ring = min(r, c, count_y - 1 - r, count_x - 1 - c)
            in_block = abs(c - (count_x - 1) / 2) < bx / 2 and abs(r - (count_y - 1) / 2) < by / 2
            if rows is not None and ring >= rows and not in_block:
                continue
            name = f"{row_name(r)}{c + 1}"
            if name in gone:
                continue
            out.append((name, (c - (count_x - 1) / 2) * pitch_x, ((count_y - 1) / 2 - r) * pitch_y, ring, in_block))
    return out


def assign_grid_nets(
    sites: Sequence[tuple[str, float, float, int, bool]], signals: int, ground_every: int = 4
) -> tuple[PinEntry, ...]:
    """A default pin-out for a generated array.

    Centre-block sites are thermal (ground, net ``VSS``). Of the rest, ordered from the
    outside in and by angle, every ``ground_every``-th site alternates ``VDD``/``VSS``
    and the others carry signals ``S1..S<signals>``; sites left over alternate
    ``VDD``/``VSS``. Real pin-outs come from a table; this one gives every signal a
    neighbouring supply pin, as fan-out guides ask.
    """
    entries: list[PinEntry] = []
    field = [s for s in sites if not s[4]]
    field.sort(key=lambda s: (s[3], math.atan2(s[2], s[1])))
    n_sig = 0
    n_sup = 0
    for i, (name, x, y, _ring, _blk) in enumerate(field):
        supply = (i % ground_every == ground_every - 1) or n_sig >= signals
        if supply:
            role = PinRole.POWER if n_sup % 2 == 0 else PinRole.GROUND
            entries.append(PinEntry(name, x, y, "VDD" if role is PinRole.POWER else "VSS", role))
            n_sup += 1
        else:
            n_sig += 1
            entries.append(PinEntry(name, x, y, f"S{n_sig}", PinRole.SIGNAL))
    entries += [PinEntry(s[0], s[1], s[2], "VSS", PinRole.THERMAL) for s in sites if s[4]]
    return tuple(entries)


def check_pin_map(
    entries: Sequence[PinEntry], half_x: float, half_y: float, min_spacing: float, field: str = "pin_map"
) -> None:
    """Refuse duplicate names, duplicate or overlapping sites and sites off the body.

    ``min_spacing`` is the least centre distance two terminals may have (their size).
    """
    where = f"parameters.{field}"
    if not entries:
        raise DesignError(where, [], "at least one terminal is needed")
    if len(entries) > MAX_TERMINALS:
        raise DesignError(where, f"<{len(entries)} entries>", f"at most {MAX_TERMINALS} terminals")
    seen: dict[str, int] = {}
    for i, e in enumerate(entries):
        if not e.name or any(ch in e.name for ch in "\r\n\t,\"'"):
            raise DesignError(f"{where}.{i}.name", e.name, "a non-empty name without commas, quotes or line breaks")
        if e.name in seen:
            raise DesignError(f"{where}.{i}.name", e.name, f"duplicate terminal name (also entry {seen[e.name]})")
        seen[e.name] = i
        if any(ch in e.net for ch in "\r\n\t,\"'"):
            raise DesignError(f"{where}.{i}.net", e.net, "a net name without commas, quotes or line breaks")
        if abs(e.x) > half_x + 1e-12 or abs(e.y) > half_y + 1e-12:
            raise DesignError(
                f"{where}.{i}",
                f"{e.name} at ({mm(e.x)}, {mm(e.y)})",
                f"must lie on the body (|x| <= {mm(half_x)}, |y| <= {mm(half_y)})",
            )
    _check_spacing(entries, min_spacing, where)


def _check_spacing(entries: Sequence[PinEntry], min_spacing: float, where: str) -> None:
    # Sort-and-sweep on x: each pair closer than min_spacing in x is checked in full.
    order = sorted(range(len(entries)), key=lambda i: entries[i].x)
    for a_pos, i in enumerate(order):
        a = entries[i]
        for j in order[a_pos + 1 :]:
            b = entries[j]
            if b.x - a.x >= min_spacing - 1e-12:
                break
            d = math.hypot(a.x - b.x, a.y - b.y)
            if d < min_spacing - 1e-12:
                what = "the same site" if d < 1e-9 else f"{mm(d)} apart, closer than {mm(min_spacing)}"
                raise DesignError(f"{where}.{max(i, j)}", entries[max(i, j)].name, f"overlaps {entries[min(i, j)].name}: {what}")


def read_pin_table(path: Path, field: str = "pin_map") -> list[dict[str, Any]]:
    """Read a pin-map file (``.csv``, ``.yaml`` or ``.yml``) into raw entries for the parameters.

    Lengths keep their units as text, so the family's parameter model parses them.
    """
    where = f"parameters.{field}"
    if path.suffix.lower() not in (".csv", ".yaml", ".yml"):
        raise DesignError(where, str(path), "a pin map is a .csv, .yaml or .yml file")
    raw = read_input_bytes(path, where, MAX_TABLE_BYTES)
    rows = _table_rows(raw, path, where)
    if not rows:
        raise DesignError(where, str(path), "holds no terminals")
    return rows


def _table_rows(raw: bytes, path: Path, where: str) -> list[dict[str, Any]]:
    if path.suffix.lower() in (".yaml", ".yml"):
        from semipack.design.loader import parse_yaml_text

        data = parse_yaml_text(raw, where)
        if isinstance(data, Mapping) and "pins" in data:
            data = data["pins"]
        if not isinstance(data, list):
            raise DesignError(where, str(path), "a YAML pin map is a list of {name, x, y, net, role} (or pins: [...])")
        return data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DesignError(where, str(path), "is not UTF-8 text") from None
    return parse_pin_csv(text, where)


def parse_pin_csv(text: str, where: str = "pin_map") -> list[dict[str, Any]]:
    """Rows of a pin-map CSV as raw entries (``x_mm``/``y_mm`` columns get their unit added)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), skipinitialspace=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if len(set(header)) != len(header) or {"x", "x_mm"} <= set(header) or {"y", "y_mm"} <= set(header):
        raise DesignError(where, header, "each column once, and x or x_mm (y or y_mm), not both")
    allowed = {"name", "x", "y", "x_mm", "y_mm", "net", "role"}
    unknown = [h for h in header if h not in allowed]
    if unknown or "name" not in header or not ({"x", "x_mm"} & set(header)) or not ({"y", "y_mm"} & set(header)):
        raise DesignError(where, header, "CSV header needs name, x, y (or x_mm, y_mm); optional net, role")
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(reader):
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            raise DesignError(f"{where}.{i}", row[None], "more cells than header columns")
        entry: dict[str, Any] = {"name": clean["name"]}
        for axis in ("x", "y"):
            if f"{axis}_mm" in clean:
                entry[axis] = f"{clean[f'{axis}_mm']} mm"
            else:
                entry[axis] = clean[axis]
        if clean.get("net"):
            entry["net"] = clean["net"]
        if clean.get("role"):
            entry["role"] = clean["role"]
        rows.append(entry)
        if len(rows) > MAX_TERMINALS:
            raise DesignError(where, f"<more than {MAX_TERMINALS} rows>", f"at most {MAX_TERMINALS} terminals")
    return rows


def format_pin_csv(entries: Iterable[PinEntry]) -> str:
    """A pin map as CSV text (lengths in mm in the header), the inverse of `parse_pin_csv`."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["name", "x_mm", "y_mm", "net", "role"])
    for e in entries:
        w.writerow([e.name, f"{e.x * 1e3:.6g}", f"{e.y * 1e3:.6g}", e.net_name, e.role.value])
    return out.getvalue()


def parse_length(value: object, field: str) -> float:
    """A length with its unit (for callers outside the parameter models)."""
    return parse_quantity(value, Dimension.LENGTH, field)
