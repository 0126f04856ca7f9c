"""Writing files atomically: a temporary file in the same folder, then a rename.

Every output a command writes goes through `atomic_write_bytes`, so a reader (or an
interrupted run) sees the old file or the whole new one, never half of one; an output
that names a directory, or a place that cannot be written, is a one-line error.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from semipack.errors import DesignError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    Raises
    ------
    DesignError
        ``path`` is a directory, or its folder cannot be made or written.
    """
    path = Path(path)
    if path.is_dir():
        raise DesignError(str(path), str(path), "is a directory; name a file to write")
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise DesignError(str(path), str(path), f"cannot be written ({exc.strerror or type(exc).__name__})") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
