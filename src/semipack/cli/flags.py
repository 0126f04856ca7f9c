"""The one table from the library's argument and field names to the CLI's flags.

The library names what was wrong in its own terms (``air_speed_m_s``, ``net``); a user of the
command line should read the flag they typed. :func:`in_cli_terms` rewrites a
:class:`~semipack.errors.DesignError` whose field is a library argument into the same error
naming its flag; every other error passes through unchanged.

:data:`FLAGS` holds the names that mean one flag in every command. An argument that different
commands set with different flags (``out``: ``-o`` for a drawing or a report folder, ``--plot``
for a compact model's figure) is mapped per command in :data:`COMMAND_FLAGS`, which is read first.
"""

from __future__ import annotations

from semipack.errors import DesignError, SemipackError

# library argument or field name -> the CLI flag that sets it
FLAGS: dict[str, str] = {
    "air_speed_m_s": "--air-speed",
    "ambient_k": "--ambient",
    "bcs": "--bcs",
    "current_a": "--current",
    "cycle": "--cycle",
    "format": "--format",
    "h_custom_w_m2k": "--h",
    "max_cells": "--max-cells",
    "method": "--method",
    "net": "--net",
    "patents": "--patent",
    "power_w": "--power",
    "resume": "--resume",
    "scheduler": "--scheduler",
    "solver": "--solver",
    "trace_file": "--trace",
    "until_s": "--until",
    "weibull_slope": "--weibull-slope",
    "workers": "--workers",
}

# command -> {library argument -> the flag that sets it in that command}
COMMAND_FLAGS: dict[str, dict[str, str]] = {
    "draw": {"out": "-o", "section": "--section"},
    "report": {"out": "-o", "skip": "--skip"},
    "compact": {"out": "--plot"},
}


def in_cli_terms(exc: SemipackError, command: str | None = None) -> SemipackError:
    """``exc`` naming the CLI flag instead of the library argument, where a table has one
    (``command``'s own entries first)."""
    if not (isinstance(exc, DesignError) and isinstance(exc.field, str)):
        return exc
    flag = COMMAND_FLAGS.get(command or "", {}).get(exc.field) or FLAGS.get(exc.field)
    return exc if flag is None else DesignError(flag, exc.value, exc.allowed)
