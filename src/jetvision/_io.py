"""Atomic file output shared by every stage: write to a temporary name, rename when done."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jetvision.errors import JetvisionError, OutputExistsError


def check_output(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Return ``path`` as a Path after checking that it may be written.

    Raises :class:`OutputExistsError` when it exists and ``overwrite`` is false, and
    :class:`JetvisionError` when its folder does not exist or is not writable.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise OutputExistsError(f"output {str(out)!r} exists; pass --overwrite to replace it")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise JetvisionError(f"cannot write {str(out)!r}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise JetvisionError(f"cannot write {str(out)!r}: folder {str(parent)!r} is not writable")
    return out


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only on success.

    An exception (or an interrupt) inside the block removes the temporary file, so a
    file at ``path`` is always complete.
    """
    out = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through :func:`atomic_path`."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)
