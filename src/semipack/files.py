"""Reading input files safely: regular files only, at most a bounded number of bytes.

A FIFO with no writer blocks ``open()`` forever, a character device such as
``/dev/zero`` reports size 0 and never ends, and a directory cannot be read: each is
refused with one line before a byte is read. The file is opened non-blocking (so a
FIFO returns at once), its type is checked on the open descriptor (no race between
a ``stat`` and the ``open``), and at most ``limit + 1`` bytes are read, whatever
size the file system reports.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from semipack.errors import DesignError

MAX_INPUT_BYTES = 1 << 20
"""Largest input file (design, flow, study, rules, table) in bytes: 1 MiB."""


def read_input_bytes(path: str | Path, where: str | None = None, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises
    ------
    DesignError
        The path names no readable file, names a directory, FIFO, socket or device,
        or holds more than ``limit`` bytes.
    """
    p = Path(path)
    field = where or str(p)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except IsADirectoryError:
        raise DesignError(field, str(p), "is a directory; expected a regular file") from None
    except OSError as exc:
        raise DesignError(field, str(p), f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _kind(mode)
            raise DesignError(field, str(p), f"is a {kind}; expected a regular file")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise DesignError(field, str(p), f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise DesignError(field, str(p), f"input files are limited to {limit} bytes")
    return raw


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"
