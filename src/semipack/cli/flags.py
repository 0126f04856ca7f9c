"""The one table from the library's argument and field names to the CLI's flags.

The library names what was wrong in its own terms (``air_speed_m_s``, ``net``); a user of the
command line should read the flag they typed. :func:`in_cli_terms` rewrites a
:class:`~semipack.errors.DesignError` whose field is a library argument into the same error
naming its flag; every other error passes through unchanged.
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


def in_cli_terms(exc: SemipackError) -> SemipackError:
    """``exc`` naming the CLI flag instead of the library argument, where the table has one."""
    if isinstance(exc, DesignError) and isinstance(exc.field, str) and exc.field in FLAGS:
        return DesignError(FLAGS[exc.field], exc.value, exc.allowed)
    return exc
